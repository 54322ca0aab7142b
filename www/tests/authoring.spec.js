// The authoring window (issue #16): the layout, an editor that knows Proton (completion, hover,
// go to definition), template ↔ output linking, stale renders, help.
import { test, expect } from '@playwright/test';
import { SHOTS, open, outputText, pickExample, pickFolder, diagnostics, openPanel } from './helpers.js';

const ENV_TEMPLATE = 'ecs-shared-env/v1/infrastructure/cloudformation.yaml';
const ENV_OUT = 'infrastructure/cloudformation.yaml';

/** The centre of `word` in the first visible editor line holding `lineText` (in `scope`). */
async function wordPoint(page, scope, lineText, word) {
  const line = page.locator(`${scope} .cm-line`, { hasText: lineText }).first();
  await line.scrollIntoViewIfNeeded();
  return line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    const nodes = [];
    while (walker.nextNode()) {
      nodes.push([walker.currentNode, text.length]);
      text += walker.currentNode.data;
    }
    const at = text.indexOf(w) + Math.floor(w.length / 2);
    const [node, start] = nodes.filter(([, s]) => s <= at).pop();
    const range = document.createRange();
    range.setStart(node, at - start);
    range.setEnd(node, at - start + 1);
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, word);
}

/** Puts the editor's cursor at the end of its line holding `lineText`. */
async function cursorAtEndOf(page, lineText) {
  await page.locator('#editor .cm-line', { hasText: lineText }).first().click();
  await page.keyboard.press('End');
}

for (const [width, height] of [[1280, 800], [1920, 1080]]) {
  test(`a window, not a page: no page scroll at ${width}×${height}, editor, form and output side by side`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await open(page);
    await expect(page.locator('#editor .cm-editor')).toBeVisible();
    const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight, width: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.inner);
    expect(sizes.width).toBeLessThanOrEqual(sizes.innerWidth);
    for (const target of [page.locator('#editor'), page.getByLabel('vpc_cidr'), page.getByRole('region', { name: `Rendered ${ENV_OUT}` }), page.getByRole('region', { name: 'Diagnostics' }), page.locator('.statusline')]) {
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect(box.y + Math.min(box.height, 20)).toBeLessThanOrEqual(height);
      expect(box.x + 10).toBeLessThanOrEqual(width);
    }
    const editor = await page.locator('#editor').boundingBox();
    const output = await page.getByRole('region', { name: `Rendered ${ENV_OUT}` }).boundingBox();
    expect(editor.height).toBeGreaterThan(height * 0.6);
    expect(output.x).toBeGreaterThan(editor.x + editor.width);
    // The editor and the output get the room: the editor at least 45 % of the width, the header one
    // row, 40 lines of output in view at 1280×800, an empty Diagnostics one row.
    expect(editor.width).toBeGreaterThanOrEqual(width * 0.45);
    expect((await page.locator('header.topbar').boundingBox()).height).toBeLessThan(48);
    const visibleLines = await page.evaluate((path) => {
      const view = document.querySelector(`.output-view[data-path="${path}"] .cm-scroller`);
      const lines = view.querySelectorAll('.cm-line');
      const lineHeight = lines[1].getBoundingClientRect().top - lines[0].getBoundingClientRect().top;
      return Math.floor(view.clientHeight / lineHeight);
    }, ENV_OUT);
    expect(visibleLines).toBeGreaterThanOrEqual(40);
    expect((await page.locator('#secondary').boundingBox()).height).toBeLessThan(60);
    // No control marked hidden shows (a button's display rule once beat `hidden`).
    const shownHidden = await page.evaluate(() => [...document.querySelectorAll('[hidden]')].filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 80)));
    expect(shownHidden).toEqual([]);
    // The open file's path heads the editor.
    await expect(page.locator('#editor-path')).toHaveText(ENV_TEMPLATE);
    // Tabs carry counts; the status line the counts and the time.
    await expect(page.locator('#status-counts')).toContainText(/\d+ errors?, \d+ warnings?/);
    await expect(page.locator('#render-time')).toContainText(/engine \d+ ms/);
    await page.screenshot({ path: `${SHOTS}/window-${width}x${height}.png` });
  });
}

test('panes resize by dragging and by keys, and keep their size', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const files = page.locator('#side-pane');
  const before = (await files.boundingBox()).width;
  const splitter = page.getByRole('separator', { name: 'Side pane width' });
  const box = await splitter.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 100, { steps: 4 });
  await page.mouse.up();
  const after = (await files.boundingBox()).width;
  expect(after).toBeGreaterThan(before + 50);
  await page.getByRole('separator', { name: 'Editor pane width' }).focus();
  const editorBefore = (await page.locator('#editor-pane').boundingBox()).width;
  await page.keyboard.press('ArrowRight');
  expect((await page.locator('#editor-pane').boundingBox()).width).toBeGreaterThan(editorBefore);
  await page.reload();
  await expect(page.getByRole('region', { name: `Rendered ${ENV_OUT}` })).toBeVisible();
  expect(Math.abs((await files.boundingBox()).width - after)).toBeLessThan(3);
});

test('below 1024 px a pane switcher shows one pane at a time', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto('/');
  const switcher = page.getByRole('tablist', { name: 'Panes' });
  await expect(switcher).toBeVisible();
  await expect(page.locator('#editor')).toBeVisible();
  await expect(page.getByRole('region', { name: `Rendered ${ENV_OUT}` })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/window-800x900-editor.png` });
  await switcher.getByRole('tab', { name: 'Output' }).click();
  await expect(page.getByRole('region', { name: `Rendered ${ENV_OUT}` })).toBeVisible();
  // The output sits at the top of its pane (the region may be rebuilt as answers arrive).
  await expect.poll(async () => (await page.getByRole('region', { name: `Rendered ${ENV_OUT}` }).boundingBox())?.y ?? 9999).toBeLessThan(300);
  await page.screenshot({ path: `${SHOTS}/window-800x900-output.png` });
  await switcher.getByRole('tab', { name: 'Files & inputs' }).click();
  await expect(page.getByLabel('vpc_cidr')).toBeVisible();
  const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight }));
  expect(sizes.scroll).toBeLessThanOrEqual(sizes.inner);
});

test('completion lists the schema\'s inputs after {{ environment.inputs. and filters after |', async ({ page }) => {
  await open(page);
  await expect(page.locator('#editor .cm-editor')).toBeVisible();
  await cursorAtEndOf(page, 'Proton-managed shared ECS environment');
  await page.keyboard.press('Enter');
  await page.keyboard.type('# {{ environment.inputs.');
  const list = page.locator('.cm-tooltip-autocomplete');
  await expect(list).toContainText('vpc_cidr');
  await expect(list).toContainText('container_insights');
  await expect(list).toContainText('log_retention_days');
  // The inputs come first, the dict's methods (get, items, keys, values) after them.
  const labels = await list.locator('.cm-completionLabel').allTextContents();
  const lastInput = Math.max(...['vpc_cidr', 'container_insights', 'log_retention_days'].map((l) => labels.indexOf(l)));
  for (const method of ['get', 'items', 'keys', 'values']) if (labels.includes(method)) expect(labels.indexOf(method)).toBeGreaterThan(lastInput);
  await page.screenshot({ path: `${SHOTS}/completion.png` });
  await page.keyboard.type('vpc');
  await page.keyboard.press('Enter');
  await page.keyboard.type(' | proton_');
  await expect(list).toContainText('proton_cfn_sanitize');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 'proton_'.length; i += 1) await page.keyboard.press('Backspace');
  await page.keyboard.type('lower }}');
  await expect.poll(() => outputText(page, ENV_OUT)).toMatch(/# 10\.\d+\.0\.0\/16\n/);
});

test('hover shows a name\'s current value and its schema; Ctrl+click goes to its definition', async ({ page }) => {
  await open(page);
  await expect(page.locator('#editor .cm-editor')).toBeVisible();
  const cidr = await page.getByLabel('vpc_cidr').inputValue();
  const point = await wordPoint(page, '#editor', 'environment.inputs.vpc_cidr', 'vpc_cidr');
  await page.mouse.move(point.x, point.y);
  const hover = page.locator('.assist-hover');
  await expect(hover).toContainText(`'${cidr}'`);
  await expect(hover).toContainText('CIDR block for the VPC');
  await page.screenshot({ path: `${SHOTS}/hover.png` });
  await page.keyboard.down('Control');
  await page.mouse.click(point.x, point.y);
  await page.keyboard.up('Control');
  await expect(page.locator('#editor-path')).toHaveText('ecs-shared-env/v1/schema/schema.yaml');
  await expect(page.locator('#editor .cm-activeLine')).toContainText('vpc_cidr:');
});

test('the cursor in the template marks its rendered lines; clicking a rendered line reveals its template line', async ({ page }) => {
  await open(page);
  await expect(page.locator('#editor .cm-editor')).toBeVisible();
  const cidr = await page.getByLabel('vpc_cidr').inputValue();
  const output = page.getByRole('region', { name: `Rendered ${ENV_OUT}` });
  await output.locator('.cm-line', { hasText: `CidrBlock: "${cidr}"` }).first().click();
  await expect(page.locator('#editor .cm-activeLine')).toContainText('CidrBlock: "{{ environment.inputs.vpc_cidr }}"');
  await expect(output.locator('.cm-linked-line')).toContainText(`CidrBlock: "${cidr}"`);
  await page.locator('#editor .cm-line', { hasText: 'EnableDnsSupport' }).first().click();
  await expect(output.locator('.cm-linked-line').first()).toContainText('EnableDnsSupport: true');
});

test('a half-typed edit keeps the last good render, marked stale; an unclosed {{ is located where it was opened', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates');
  await expect(page.locator('#editor .cm-editor')).toBeVisible();
  await page.getByRole('treeitem', { name: ENV_TEMPLATE }).click();
  await expect(page.locator('#editor-path')).toHaveText(ENV_TEMPLATE);
  await cursorAtEndOf(page, 'Proton-managed shared ECS environment');
  await page.keyboard.press('Enter');
  await page.keyboard.type('# {{ environment.');
  await expect(page.locator('#rendered-state')).toContainText('stale');
  await expect(page.getByRole('region', { name: `Rendered ${ENV_OUT}` })).toContainText('AWSTemplateFormatVersion');
  await expect(diagnostics(page)).toContainText('`{{` opened here is not closed');
  await expect(diagnostics(page)).toContainText(`${ENV_TEMPLATE}:3:`);
  // The services paired with this environment: no contract finding from its render failing.
  const versions = await openPanel(page, 'Versions');
  await expect(versions.getByLabel('Compatibility findings')).toContainText('does not render at the moment');
  await expect(versions.getByLabel('Compatibility findings')).not.toContainText('contract-output');
  await page.screenshot({ path: `${SHOTS}/stale.png` });
  await page.getByRole('tab', { name: /^Diagnostics/ }).click();
  await cursorAtEndOf(page, '# {{ environment.');
  await page.keyboard.type('name }}');
  await expect(page.locator('#rendered-state')).toHaveText('');
  await expect.poll(() => outputText(page, ENV_OUT)).toMatch(/\n# \S+/);
});

test('the file tree: folders, one Tab stop, arrow keys', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates');
  const tree = page.getByRole('tree', { name: 'File tree' });
  expect(await tree.locator('[tabindex="0"]').count()).toBe(1);
  const folder = tree.getByRole('treeitem', { name: 'ecs-shared-env', exact: true });
  await expect(folder).toHaveAttribute('aria-expanded', 'true');
  await folder.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tree.getByRole('treeitem', { name: 'ecs-shared-env', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.getByRole('treeitem', { name: ENV_TEMPLATE })).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(tree.getByRole('treeitem', { name: 'ecs-shared-env', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveAttribute('aria-level', '2');
  // ← closes an open folder, then moves to its parent.
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator(':focus')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator(':focus')).toHaveAttribute('aria-level', '1');
});

test('switching Target opens that target\'s template; the Example picker names no example for your bundle', async ({ page }) => {
  await open(page);
  await pickExample(page, 'ecs-fargate-service', 'instance_infrastructure/cloudformation.yaml');
  await expect(page.locator('#editor-path')).toHaveText('ecs-fargate-service/v1/instance_infrastructure/cloudformation.yaml');
  await page.getByLabel('Target').selectOption('pipeline');
  await expect(page.locator('#editor-path')).toHaveText('ecs-fargate-service/v1/pipeline_infrastructure/cloudformation.yaml');
  await expect(page.locator('#editor-role')).toContainText('pipeline template');
  await pickFolder(page, '../examples/templates');
  await expect(page.getByLabel('Example').locator('option:checked')).toHaveText('Choose an example…');
});

test('help: a first-visit hint, dismissed for good; Help links the docs; rule codes link their documentation', async ({ page }) => {
  await open(page);
  const hint = page.getByRole('note');
  await expect(hint).toContainText('completion');
  await hint.getByRole('button', { name: 'Got it' }).click();
  await expect(hint).toBeHidden();
  await page.reload();
  await expect(page.getByRole('region', { name: `Rendered ${ENV_OUT}` })).toBeVisible();
  await expect(page.getByRole('note')).toBeHidden();
  await page.getByRole('button', { name: 'Help' }).click();
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help.getByRole('link', { name: 'Documentation' })).toHaveAttribute('href', 'docs/');
  await expect(help.getByRole('link', { name: 'Rule codes' })).toHaveAttribute('href', 'docs/#rules');
  await help.getByRole('button', { name: 'Close' }).click();
  await page.getByLabel('vpc_cidr').fill('not a cidr');
  const rule = diagnostics(page).getByRole('link', { name: 'about input-pattern' });
  await expect(rule).toHaveAttribute('href', 'docs/#rule-input');
});

const MANIFEST = 'infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n';
const schema = (kind) => `schema:\n  format:\n    openapi: "3.0.0"\n  ${kind}_input_type: T\n  types:\n    T:\n      type: object\n      properties:\n        size:\n          type: string\n          default: small\n`;

test('an archive of a version folder is named after the archive; a repository in a top folder is not a warning', async ({ page }) => {
  await open(page);
  await page.evaluate(([s, m]) => window.protonPlayground.loadFiles('my-env.tgz', {
    'v1/schema/schema.yaml': s,
    'v1/infrastructure/manifest.yaml': m,
    'v1/infrastructure/cloudformation.yaml': 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n',
  }), [schema('environment'), MANIFEST]);
  await expect(page.locator('#editor-role')).toContainText('environment template of my-env:1');
  await expect(await openPanel(page, 'Spec')).toContainText("proton-playground render 'my-env.tgz' --target environment");
  // A lone version: nothing to compare, said plainly.
  await expect((await openPanel(page, 'Versions')).getByLabel('Verdict')).toContainText('my-env:1 is the only version of this template here: there is nothing to compare');
  const svc = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "{{ environment.outputs.QueueName }}"\n';
  await page.evaluate(([s, e, m, t]) => window.protonPlayground.loadFiles('repo-main.zip', {
    'repo-main/README.md': '# templates\n',
    'repo-main/env/v1/schema/schema.yaml': e,
    'repo-main/env/v1/infrastructure/manifest.yaml': m,
    'repo-main/env/v1/infrastructure/cloudformation.yaml': 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  QueueName:\n    Value: !GetAtt Q.QueueName\n',
    'repo-main/svc/v1/schema/schema.yaml': s,
    'repo-main/svc/v1/instance_infrastructure/manifest.yaml': m,
    'repo-main/svc/v1/instance_infrastructure/cloudformation.yaml': t,
    'repo-main/svc/v1/.template-registration.yaml': 'compatible_environments:\n  - env:1\n',
  }), [schema('service'), schema('environment'), MANIFEST, svc]);
  await expect(page.getByLabel('Template', { exact: true }).locator('option')).toHaveText(['env:1 (environment)', 'svc:1 (service)']);
  await page.getByRole('tab', { name: /^Diagnostics/ }).click();
  await expect(diagnostics(page)).toContainText("read the repository from the archive's top folder `repo-main/`");
  await expect(diagnostics(page)).not.toContainText('warning[bundle-wrapper]');
});

test('mocks: names are never cut, guesses follow the names, and suggestions do not pile up across templates', async ({ page }) => {
  await open(page);
  const reads = (...names) => `Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n${names.map((n) => `      # {{ environment.outputs.${n} }}\n`).join('')}`;
  await page.evaluate(([s, m, a, b]) => window.protonPlayground.loadFiles('two-services', {
    'svc-a/v1/schema/schema.yaml': s,
    'svc-a/v1/instance_infrastructure/manifest.yaml': m,
    'svc-a/v1/instance_infrastructure/cloudformation.yaml': a,
    'svc-b/v1/schema/schema.yaml': s,
    'svc-b/v1/instance_infrastructure/manifest.yaml': m,
    'svc-b/v1/instance_infrastructure/cloudformation.yaml': b,
  }), [schema('service'), MANIFEST, reads('ECSTaskExecutionRoleArn', 'VPCSecurityGroup', 'VpcConnectorArn', 'PrivateSubnet1'), reads('ClusterName')]);
  await page.getByLabel('Template', { exact: true }).selectOption({ label: 'svc-a:1 (service)' });
  const mocks = page.getByRole('region', { name: 'Mocks' });
  const value = (name) => page.getByLabel(`Environment outputs ${name}`, { exact: true });
  await expect(value('VPCSecurityGroup')).toHaveValue(/^sg-/);
  await expect(value('VpcConnectorArn')).toHaveValue(/^arn:aws:apprunner:.*:vpcconnector\//);
  await expect(value('PrivateSubnet1')).toHaveValue(/^subnet-[0-9a-f]+$/);
  const names = page.getByLabel('Environment outputs name');
  const cut = await names.evaluateAll((inputs) => inputs.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => i.value));
  expect(cut).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/mocks.png` });
  await page.getByLabel('Template', { exact: true }).selectOption({ label: 'svc-b:1 (service)' });
  await expect(value('ClusterName')).toBeVisible();
  await expect(names).toHaveCount(1);
  await expect(mocks).not.toContainText('VPCSecurityGroup');
});

test('a pattern error says what the pattern accepts, in the list and in the status line', async ({ page }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('not a cidr');
  await expect(diagnostics(page)).toContainText('the pattern accepts values like `10.0.0.0/16`');
  await expect(page.locator('#status-counts')).toContainText('1 error');
  await expect(page.getByRole('status')).toContainText('1 error');
});
