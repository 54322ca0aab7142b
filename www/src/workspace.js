// The workspace: bundle files, inputs as typed by the user, mocks and selection. Everything the
// page persists, and the engine request built from it.

export function emptyMocks() {
  return {
    environment: { name: '', account_id: '', outputs: {} },
    service: { name: '', branch_name: '', repository_id: '', repository_connection_arn: '' },
    instance_outputs: {},
    component: { attached: false, name: '', outputs: {} },
  };
}

export function newWorkspace({ id, name, files }) {
  return {
    id,
    name,
    files,
    selection: { root: null, target: null, instance: 0, file: null, output: null },
    inputs: { environment: {}, pipeline: {}, instances: [{ name: 'dev', environment: 'dev', spec: {} }] },
    mocks: emptyMocks(),
    options: { undefined: 'strict', compat_preview: false },
  };
}

/// Fills inputs from a parsed EnvironmentSpec / ServiceSpec.
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

/// Fills mocks from a parsed mocks file (the CLI's --mocks format).
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

/// The spec document for the current inputs, as the engine reads it.
export function specDocument(workspace, bundle) {
  if (!bundle) return null;
  if (bundle.kind === 'environment' || bundle.kind === 'customer-managed-environment') {
    return { proton: 'EnvironmentSpec', spec: workspace.inputs.environment };
  }
  const doc = { proton: 'ServiceSpec' };
  if (bundle.has_pipeline) doc.pipeline = workspace.inputs.pipeline;
  doc.instances = workspace.inputs.instances.map((i) => ({ name: i.name, environment: i.environment, spec: i.spec }));
  return doc;
}

export const SPEC_PATH = 'spec.yaml';

/// The engine request (see the core's `Request`).
export function buildRequest(workspace, bundle) {
  const m = workspace.mocks;
  const spec = specDocument(workspace, bundle);
  const instance = workspace.inputs.instances[workspace.selection.instance];
  return {
    target: workspace.selection.target,
    spec: spec ? { path: SPEC_PATH, text: JSON.stringify(spec, null, 2) } : null,
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
  };
}

/// A workspace for a gallery entry of examples.json (its spec and mocks were parsed by the build).
export function exampleWorkspace(entry) {
  const ws = newWorkspace({ id: `example:${entry.id}`, name: entry.title, files: { ...entry.files } });
  ws.selection.root = entry.root ?? null;
  ws.templateName = entry.id;
  applySpec(ws, entry.spec);
  applyMocks(ws, entry.mocks);
  return ws;
}

/// Adds the engine's suggested mock for every output the bundle's templates read (and, for the
/// environment, every output a paired environment declares) that has none yet; true if any.
export function fillSuggestedMocks(workspace, bundle) {
  let added = false;
  const fill = (suggested, map) => {
    for (const [name, value] of Object.entries(suggested)) {
      if (!(name in map)) {
        map[name] = value;
        added = true;
      }
    }
  };
  const m = workspace.mocks;
  fill(bundle.suggested_environment_outputs, m.environment.outputs);
  if (m.component.attached) fill(bundle.suggested_component_outputs, m.component.outputs);
  if (workspace.selection.target === 'pipeline') fill(bundle.suggested_instance_outputs, m.instance_outputs);
  return added;
}
