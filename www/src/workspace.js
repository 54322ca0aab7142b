// The workspace: bundle files, inputs as typed by the user, mocks and selection. Its shape is
// defined here once (`newWorkspace`, `persisted`, `restoreWorkspace`): what the page saves,
// what a share link and the export carry, and the engine request built from it.

export function emptyMocks() {
  return {
    environment: { name: '', account_id: '', outputs: {} },
    service: { name: '', branch_name: '', repository_id: '', repository_connection_arn: '' },
    instance_outputs: {},
    component: { attached: false, name: '', outputs: {} },
  };
}

/** A workspace with nothing typed yet: every field a workspace has, with its default. */
export function newWorkspace({ id, name, files }) {
  return {
    id,
    name,
    /** The name downloads and exports are called by (the archive's or example's). */
    templateName: null,
    files,
    selection: { root: null, target: null, instance: 0, file: null, output: null },
    inputs: { environment: {}, pipeline: {}, instances: [{ name: 'dev', environment: 'dev', spec: {} }] },
    mocks: emptyMocks(),
    options: { undefined: 'strict', compat_preview: false },
    /** Versions panel: the environment template (`name:major`) each instance runs in. */
    instanceEnvironments: {},
    /** Versions panel: compatible environments declared for a loose service bundle. */
    declaredCompatible: '',
  };
}

/** The fields of a workspace that are the user's, beside its id: saved, shared and exported. */
const PERSISTED = ['name', 'templateName', 'files', 'selection', 'inputs', 'mocks', 'options', 'instanceEnvironments', 'declaredCompatible'];

/** What of `workspace` is kept: every persisted field (share links, exports, downloads). */
export function persisted(workspace) {
  return Object.fromEntries(PERSISTED.map((key) => [key, workspace[key]]));
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A workspace from persisted data (a share link, a downloaded workspace): each field of the
 * right type is taken, the others keep their default. Throws when there are no files.
 */
export function restoreWorkspace(data, id) {
  if (!isObject(data) || !isObject(data.files) || !Object.values(data.files).every((t) => typeof t === 'string')) {
    throw new Error('it does not hold a workspace');
  }
  const ws = newWorkspace({ id, name: String(data.name || 'shared'), files: data.files });
  if (typeof data.templateName === 'string') ws.templateName = data.templateName;
  for (const key of ['inputs', 'mocks', 'options', 'selection']) {
    if (isObject(data[key])) ws[key] = { ...ws[key], ...data[key] };
  }
  if (isObject(data.instanceEnvironments)) {
    ws.instanceEnvironments = Object.fromEntries(Object.entries(data.instanceEnvironments).filter(([, v]) => typeof v === 'string'));
  }
  if (typeof data.declaredCompatible === 'string') ws.declaredCompatible = data.declaredCompatible;
  return ws;
}

/** Fills inputs from a parsed EnvironmentSpec / ServiceSpec. */
export function applySpec(workspace, spec) {
  if (!spec || typeof spec !== 'object') return;
  const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
  workspace.inputs.environment = obj(spec.spec);
  workspace.inputs.pipeline = obj(spec.pipeline);
  if (Array.isArray(spec.instances) && spec.instances.length > 0) {
    workspace.inputs.instances = spec.instances.map((i) => ({
      name: String(i.name ?? ''),
      environment: String(i.environment ?? ''),
      spec: obj(i.spec),
    }));
    workspace.selection.instance = 0;
  }
}

/** Fills mocks from a parsed mocks file (the CLI's --mocks format). */
export function applyMocks(workspace, mocks) {
  if (!mocks || typeof mocks !== 'object') return;
  const m = emptyMocks();
  const env = mocks.environment || {};
  m.environment = { name: env.name || '', account_id: env.account_id || '', outputs: { ...(env.outputs || {}) } };
  m.service = { ...m.service, ...(mocks.service || {}) };
  m.instance_outputs = { ...(mocks.instance_outputs || {}) };
  const comp = mocks.component || {};
  m.component = { attached: !!comp.outputs, name: comp.name || '', outputs: { ...(comp.outputs || {}) } };
  workspace.mocks = m;
}

const nonEmpty = (s) => (s === undefined || s === null || s === '' ? null : String(s));

function stringMap(map) {
  const out = {};
  for (const [k, v] of Object.entries(map || {})) if (k !== '') out[k] = String(v);
  return out;
}

/** The name the engine reports the form's spec document under (the core's `FORM_SPEC`). */
export const SPEC_PATH = 'spec.yaml';

/** The engine request (see the core's `Request`). */
export function buildRequest(workspace, bundle) {
  const m = workspace.mocks;
  const { environment, pipeline, instances } = workspace.inputs;
  const instance = workspace.inputs.instances[workspace.selection.instance];
  return {
    target: workspace.selection.target,
    // The engine writes them as the template's spec document (`spec.yaml`: SPEC_PATH).
    inputs: bundle ? { environment, pipeline, instances } : null,
    instance: bundle && (bundle.kind === 'service' || bundle.kind === 'component') && instance && instance.name ? instance.name : null,
    mocks: {
      environment: { name: nonEmpty(m.environment.name), account_id: nonEmpty(m.environment.account_id), outputs: stringMap(m.environment.outputs) },
      service: {
        name: nonEmpty(m.service.name),
        branch_name: nonEmpty(m.service.branch_name),
        repository_id: nonEmpty(m.service.repository_id),
        repository_connection_arn: nonEmpty(m.service.repository_connection_arn),
      },
      instance: { name: null, environment: null },
      instance_outputs: stringMap(m.instance_outputs),
      component: { name: nonEmpty(m.component.name), outputs: m.component.attached ? stringMap(m.component.outputs) : null },
    },
    options: { undefined: workspace.options.undefined, trim_blocks: false, lstrip_blocks: false, keep_trailing_newline: false },
    compat_preview: !!workspace.options.compat_preview,
    // A required input without a default renders with an example until the user types a value.
    fill_required: true,
  };
}

/** A workspace for a gallery entry of examples.json (its spec and mocks were parsed by the build). */
export function exampleWorkspace(entry) {
  const ws = newWorkspace({ id: `example:${entry.id}`, name: entry.title, files: { ...entry.files } });
  ws.selection.root = entry.root ?? null;
  ws.templateName = entry.id;
  applySpec(ws, entry.spec);
  applyMocks(ws, entry.mocks);
  return ws;
}

/**
 * Keeps the mocked outputs to the bundle shown: adds the engine's suggestion for every output its
 * templates read (and, for the environment, every output a paired environment declares) that has
 * none yet, and drops what an earlier template's suggestion added that this one does not read
 * and nobody changed since (so suggestions do not pile up across templates); true if any changed.
 */
export function fillSuggestedMocks(workspace, bundle) {
  let changed = false;
  // What suggestions put in, by map; not saved (a reload keeps the mocks as they are).
  workspace.suggestedMocks ??= { environment: {}, component: {}, instance: {} };
  const fill = (suggested, map, filled) => {
    for (const [name, value] of Object.entries(filled)) {
      if (name in suggested) continue;
      delete filled[name];
      if (map[name] === value) {
        delete map[name];
        changed = true;
      }
    }
    for (const [name, value] of Object.entries(suggested)) {
      if (!(name in map)) {
        map[name] = value;
        filled[name] = value;
        changed = true;
      }
    }
  };
  const m = workspace.mocks;
  const filled = workspace.suggestedMocks;
  fill(bundle.suggested_environment_outputs, m.environment.outputs, filled.environment);
  if (m.component.attached) fill(bundle.suggested_component_outputs, m.component.outputs, filled.component);
  if (workspace.selection.target === 'pipeline') fill(bundle.suggested_instance_outputs, m.instance_outputs, filled.instance);
  return changed;
}
