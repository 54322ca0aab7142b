// *Migrate…*, the way off Proton (docs/migration.md): the CloudFormation Git Sync repository for
// the stacks of the form's inputs and of the spec files the user adds — per template whether it
// became one parameterized template or stayed per stack (with a jump to the construct), a
// stack's template beside its deployment file, and the repository as a .zip. *From running
// stacks* adopts an account's stacks instead (docs/adoption.md): each stack's status, a drifted
// one's differences, an exact one's recovered inputs loaded into the form.
import { zipSync, strToU8 } from 'fflate';
import { answerState } from './engine/answer.js';
import { applySpec, applyMocks } from './workspace.js';
import { h, clear, download } from './dom.js';

const $ = (id) => document.getElementById(id);

/** Wires the Migrate button and dialog to `page` (main.js). */
export function setUpMigration(page) {
  const dialog = $('migrate-dialog');
  /** Spec files the user added: `[{path, text}]`. */
  let specs = [];
  let result = null;
  let runs = 0;

  const drawSpecs = () => {
    const list = clear($('migrate-spec-list'));
    for (const spec of specs) {
      list.append(h('li', {}, spec.path, ' ', h('button', {
        type: 'button',
        'aria-label': `Remove ${spec.path}`,
        onclick: () => { specs = specs.filter((s) => s !== spec); drawSpecs(); run(); },
      }, 'Remove')));
    }
  };

  const reveal = (file, line) => {
    dialog.close();
    page.reveal(file, line);
  };

  const drawTemplates = (migration) => {
    const body = clear($('migrate-templates').tBodies[0]);
    for (const t of migration.templates) {
      const why = t.diagnostics.filter((d) => d.code === 'migrate-per-stack');
      const notes = t.diagnostics.filter((d) => d.code === 'migrate-literal');
      const parameters = t.parameters.length === 0
        ? 'the same render for every stack: no parameters'
        : `${t.parameters.length} parameter${t.parameters.length === 1 ? '' : 's'}`;
      const shared = t.shared_outputs.length === 0 ? ''
        : `; ${t.target === 'environment' ? 'exports' : 'imports'} ${t.shared_outputs.join(', ')}`;
      const detail = t.status === 'parameterized'
        ? `${parameters}${shared}${notes.length ? `; ${notes.length} value${notes.length === 1 ? '' : 's'} written as rendered` : ''}`
        : t.status === 'module' ? 'Terraform module, variables per stack' : '';
      body.append(h('tr', { dataset: { status: t.status } },
        h('td', {}, `${t.template} v${t.version}`),
        h('td', {}, t.target),
        h('td', {}, h('span', { class: `badge ${t.status}` }, t.status)),
        h('td', {}, detail, why.map((d) => h('div', { class: 'reason' }, d.subject.reason, ' ',
          d.file && d.line ? h('button', { type: 'button', class: 'link', onclick: () => reveal(d.file, d.line) }, `${d.file.split('/').pop()} line ${d.line}`) : null)))));
    }
  };

  const drawStack = () => {
    const name = $('migrate-stack').value;
    const stack = result && result.stacks.find((s) => s.name === name);
    const text = (path) => (result.files.find((f) => f.path === path) || {}).content || '';
    $('migrate-template-name').textContent = stack ? stack.template_file : '';
    $('migrate-template-text').textContent = stack ? text(stack.template_file) : '';
    const deployment = stack ? result.files.find((f) => f.path.startsWith(`deployments/${stack.name}.`)) : null;
    $('migrate-deployment-name').textContent = deployment ? deployment.path : '';
    $('migrate-deployment-text').textContent = deployment ? deployment.content : '';
  };

  const run = async () => {
    const ticket = ++runs;
    $('migrate-summary').textContent = 'Migrating…';
    const workspace = page.workspace;
    let migration;
    try {
      migration = await page.engine.call('migrate', {
        files: workspace.files,
        name: workspace.templateName || '',
        state: answerState(workspace),
        specs,
        // The form's inputs make a stack only under the name the user gives it.
        formStack: $('migrate-form').checked ? $('migrate-form-name').value.trim() : '',
        importOutputs: $('migrate-import').checked,
      });
    } catch (e) {
      migration = { templates: [], stacks: [], files: [], diagnostics: [{ severity: 'error', code: 'migrate-spec', message: String(e.message || e) }] };
    }
    if (ticket !== runs) return;
    result = migration;
    drawTemplates(migration);
    const select = clear($('migrate-stack'));
    for (const s of migration.stacks) select.append(h('option', { value: s.name }, `${s.name} (${s.template} ${s.target}${s.instance ? ` ${s.instance}` : ''})`));
    drawStack();
    const errors = migration.diagnostics.filter((d) => d.severity === 'error');
    const count = (status) => migration.templates.filter((t) => t.status === status).length;
    const unnamed = $('migrate-form').checked && !$('migrate-form-name').value.trim();
    // Ticking "Services import environment outputs" always shows its effect, or why there is none.
    const importing = $('migrate-import').checked;
    const imports = migration.templates.filter((t) => t.target !== 'environment' && t.shared_outputs.length).length;
    const importNote = !importing || migration.stacks.length === 0 ? ''
      : imports ? ` · ${imports} service template${imports === 1 ? '' : 's'} import${imports === 1 ? 's' : ''} environment outputs`
        : ' · nothing imported: no migrated service reads an output of a migrated environment';
    $('migrate-summary').textContent = `${unnamed ? 'Name the stack the form\'s inputs are for to migrate it. ' : ''}${migration.stacks.length} stack${migration.stacks.length === 1 ? '' : 's'}: ${count('parameterized')} template${count('parameterized') === 1 ? '' : 's'} parameterized, ${count('per-stack')} per stack${count('module') ? `, ${count('module')} Terraform` : ''}${importNote}`;
    const problems = $('migrate-errors');
    clear(problems);
    // Guessed values first: they are what would be deployed wrongly.
    const ordered = [...errors.filter((d) => d.code === 'migrate-guess'), ...errors.filter((d) => d.code !== 'migrate-guess')];
    for (const d of ordered.slice(0, 8)) problems.append(h('li', {}, `${d.file ? `${d.file}: ` : ''}${d.message}`));
    $('migrate-download').disabled = migration.files.length === 0;
  };

  /** The account's files the user picked: `[[name, text]]`. */
  const account = { stacks: [], templates: [] };
  let adoption = null;

  const zip = (files, name) => {
    const entries = {};
    for (const f of files) entries[f.path] = strToU8(f.content);
    download(name, new Blob([zipSync(entries)], { type: 'application/zip' }));
    page.status(`Downloaded the Git Sync repository: ${files.length} files`);
  };

  /** Loads an exact stack's recovered spec and mocks into the form, on its template and target. */
  const loadStack = async (stack) => {
    const text = (path) => (adoption.files.find((f) => f.path === path) || {}).content || '';
    const bundle = page.bundleNamed(stack.template, stack.version);
    if (!bundle) return;
    const ws = page.workspace;
    ws.selection.root = bundle.root;
    ws.selection.target = stack.target;
    applySpec(ws, await page.engine.call('parseYaml', { text: text(stack.spec_file) }));
    applyMocks(ws, await page.engine.call('parseYaml', { text: text(stack.mocks_file) }));
    const index = ws.inputs.instances.findIndex((i) => i.name === stack.instance);
    ws.selection.instance = Math.max(index, 0);
    dialog.close();
    page.changed({ structure: true, force: true });
    page.status(`Loaded the inputs ${stack.stack} was deployed with (${stack.spec_file})`);
  };

  const drawAdoption = () => {
    const body = clear($('adopt-table').tBodies[0]);
    $('adopt-table').hidden = !adoption;
    if (!adoption) return;
    for (const stack of adoption.stacks) {
      const shown = stack.diagnostics.filter((d) => d.severity !== 'info' || stack.status === 'unmatched');
      const details = stack.status === 'exact'
        ? [stack.undetermined.length ? `undetermined: ${stack.undetermined.join(', ')}` : 'every input read back',
          ' ', h('button', { type: 'button', class: 'link', onclick: () => loadStack(stack) }, 'Load in the form')]
        : shown.map((d) => h('div', { class: 'reason' }, d.message, ' ',
          d.code === 'adopt-difference' && d.file && d.line ? h('button', { type: 'button', class: 'link', onclick: () => reveal(d.file, d.line) }, `${d.file.split('/').pop()} line ${d.line}`) : null));
      body.append(h('tr', { dataset: { status: stack.status } },
        h('td', {}, stack.stack),
        h('td', {}, h('span', { class: `badge ${stack.status}` }, stack.status)),
        h('td', {}, stack.template ? `${stack.template}${stack.version ? ` v${stack.version}` : ''}${stack.target ? ` (${stack.target})` : ''}` : '—'),
        h('td', {}, details)));
    }
    const count = (status) => adoption.stacks.filter((s) => s.status === status).length;
    const unreadable = adoption.diagnostics.filter((d) => d.code === 'adopt-stacks' || d.code === 'adopt-template');
    $('adopt-summary').textContent = `${adoption.stacks.length} stack${adoption.stacks.length === 1 ? '' : 's'}: ${count('exact')} exact, ${count('drift')} drift, ${count('unmatched')} unmatched${unreadable.length ? `; ${unreadable.map((d) => `${d.file}: ${d.message}`).join('; ')}` : ''}`;
    $('adopt-download').disabled = adoption.files.length === 0;
  };

  const adopt = async () => {
    if (!account.stacks.length) {
      $('adopt-summary').textContent = account.templates.length ? 'Add the describe-stacks output too.' : '';
      return;
    }
    $('adopt-summary').textContent = 'Reading the stacks back…';
    const workspace = page.workspace;
    try {
      adoption = await page.engine.call('adopt', {
        files: workspace.files,
        name: workspace.templateName || '',
        stacks: account.stacks,
        templates: account.templates,
        importOutputs: $('migrate-import').checked,
      });
    } catch (e) {
      adoption = null;
      $('adopt-summary').textContent = `Adoption failed: ${e.message || e}`;
      return;
    }
    drawAdoption();
  };

  const pick = (kind) => async (event) => {
    for (const file of event.target.files) account[kind].push([file.name, await file.text()]);
    event.target.value = '';
    adopt();
  };
  $('adopt-stacks').addEventListener('change', pick('stacks'));
  $('adopt-templates').addEventListener('change', pick('templates'));
  $('adopt-download').addEventListener('click', () => {
    if (adoption) zip(adoption.files, `${page.workspace.templateName || 'workspace'}-adopted.zip`);
  });

  $('migrate').addEventListener('click', () => {
    dialog.showModal();
    run();
  });
  $('migrate-form').addEventListener('change', run);
  $('migrate-form-name').addEventListener('change', run);
  $('migrate-import').addEventListener('change', () => {
    run();
    if (adoption) adopt();
  });
  $('migrate-specs').addEventListener('change', async (event) => {
    for (const file of event.target.files) specs.push({ path: file.name, text: await file.text() });
    event.target.value = '';
    drawSpecs();
    run();
  });
  $('migrate-stack').addEventListener('change', drawStack);
  $('migrate-download').addEventListener('click', () => {
    if (result) zip(result.files, `${page.workspace.templateName || 'workspace'}-git-sync.zip`);
  });
  $('close-migrate').addEventListener('click', () => dialog.close());
}
