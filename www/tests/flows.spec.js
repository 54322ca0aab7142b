// The user flows of the page, in Chromium (issue "The playground page"). Each saves a screenshot.
import { test, expect } from '@playwright/test';
import { unzipSync, strFromU8, zipSync, strToU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { SHOTS, open, outputText, pickExample, pickFolder, diagnostics, openPanel } from './helpers.js';

const ENV_OUT = 'ecs-shared-env/v1/infrastructure/cloudformation.yaml';

test('1. the first example is loaded and rendered on open', async ({ page }) => {
  const errors = [];
  await open(page, { errors });
  await expect(page.getByLabel('Example')).toHaveValue('ecs-shared-env');
  const region = page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' });
  await expect(region).toContainText('CidrBlock: "10.10.0.0/16"');
  await expect(diagnostics(page)).toContainText('No problems found');
  await page.screenshot({ path: `${SHOTS}/1-open.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a first visit shows the gallery\'s render at once; the engine gives the same; an edited workspace is rendered by the engine', async ({ page }) => {
  // The engine cannot start until the wasm arrives: the first render is there before it.
  let releaseWasm;
  const wasmHeld = new Promise((resolve) => { releaseWasm = resolve; });
  await page.route('**/proton_playground_bg.wasm', async (route) => { await wasmHeld; await route.continue(); });
  await open(page);
  expect(await page.evaluate(() => [window.protonPlayground.firstRenderShipped, window.protonPlayground.engineAnsweredMs()])).toEqual([true, null]);
  await expect(diagnostics(page)).toContainText('No problems found');
  await expect(page.locator('#status')).toHaveText('Rendered 1 file');
  await page.screenshot({ path: `${SHOTS}/1-first-visit-before-the-engine.png`, fullPage: true });
  releaseWasm();
  await expect.poll(() => page.evaluate(() => window.protonPlayground.engineAnsweredMs())).not.toBeNull();
  const { shipped, engine } = await page.evaluate(async () => {
    const [first] = await (await fetch('examples.json')).json();
    const answer = await window.protonPlayground.engineUpdate({ files: first.files, state: first.firstAnswer.state });
    return { shipped: first.firstAnswer.answer, engine: answer };
  });
  expect(engine).toEqual(shipped);

  await page.getByLabel('vpc_cidr').fill('10.98.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('CidrBlock: "10.98.0.0/16"');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' })).toContainText('CidrBlock: "10.98.0.0/16"');
  expect(await page.evaluate(() => window.protonPlayground.firstRenderShipped)).toBe(false);
});

test('2. editing an input re-renders without a button', async ({ page }) => {
  await open(page);
  const cidr = page.getByLabel('vpc_cidr');
  await cidr.fill('10.99.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('CidrBlock: "10.99.0.0/16"');
  await page.getByLabel('NAT gateways').selectOption({ label: '2' });
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('NatGateway2:');
  await expect(await openPanel(page, 'Spec')).toContainText('nat_gateway_count: 2');
  await page.screenshot({ path: `${SHOTS}/2-edit-input.png`, fullPage: true });
});

test('3. an invalid input shows the field error inline and in the list', async ({ page }) => {
  await open(page);
  await page.getByLabel('VPC CIDR block').fill('not a cidr');
  const field = page.locator('.field.has-error', { has: page.getByLabel('vpc_cidr') });
  await expect(field).toContainText('must match');
  await expect(diagnostics(page)).toContainText('spec.yaml');
  await expect(diagnostics(page)).toContainText('environment inputs: vpc_cidr: must match the pattern');
  await expect(page.getByLabel('Input errors')).toContainText('vpc_cidr');
  await page.screenshot({ path: `${SHOTS}/3-invalid-input.png`, fullPage: true });
});

test('4. a broken template shows a located diagnostic; clicking it jumps to the line', async ({ page }) => {
  await open(page);
  await page.getByRole('treeitem', { name: ENV_OUT }).click();
  const editor = page.locator('#editor .cm-content');
  await editor.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# {{ environment.inputs.nope }}\n');
  const entry = diagnostics(page).getByRole('button', { name: /cloudformation\.yaml:1:/ });
  await expect(entry).toContainText(`${ENV_OUT}:1:6 error[template-undefined]: 'dict object' has no attribute 'nope'`);
  await expect(page.locator('#editor .cm-lint-marker-error')).toHaveCount(1);
  await page.keyboard.press('Control+End');
  await entry.click();
  await expect(page.locator('#editor .cm-activeLine')).toContainText('environment.inputs.nope');
  await page.screenshot({ path: `${SHOTS}/4-broken-template.png`, fullPage: true });
});

test('CloudFormation findings: located in the template and the rendered file, in both gutters', async ({ page }) => {
  await open(page);
  await page.getByRole('treeitem', { name: ENV_OUT }).click();
  const editor = page.locator('#editor .cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n  Broken:\n    Value: !GetAtt ECSCluster.Nme');
  const entry = diagnostics(page).locator('li', { hasText: 'cfn-getatt' });
  await expect(entry).toContainText(/cloudformation\.yaml:\d+:\d+ error\[cfn-getatt\]: AWS::ECS::Cluster has no attribute `Nme`/);
  await expect(entry).toContainText('its attributes are Arn');
  await expect(page.locator('#editor .cm-lint-marker-error')).toHaveCount(1);
  const output = page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' });
  await expect(output.locator('.cm-lint-marker-error')).toHaveCount(1);
  // The rendered location jumps to the output view's line.
  await entry.getByRole('button', { name: /^rendered infrastructure\/cloudformation\.yaml:\d+:\d+/ }).click();
  await expect(output.locator('.cm-activeLine')).toContainText('!GetAtt ECSCluster.Nme');
  await page.screenshot({ path: `${SHOTS}/cfn-findings.png`, fullPage: true });
});

test('5. a .tar.gz picked with the file picker loads as a new workspace', async ({ page }) => {
  await open(page);
  await page.locator('#open-archive').setInputFiles('tests/fixtures/fixture-env.tar.gz');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('BucketName: "my-env-fixture"');
  await page.getByLabel('bucket_suffix').fill('renamed');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('BucketName: "my-env-renamed"');
  // The previous workspace stays reachable in the recent list.
  await expect(page.getByLabel('Recent').locator('option', { hasText: 'Shared ECS environment' })).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/5-archive.png`, fullPage: true });
});

test('a .zip dropped onto the page loads as a new workspace', async ({ page }) => {
  await open(page);
  const folder = '../examples/templates/ecs-shared-env/v1';
  const template = readFileSync(`${folder}/infrastructure/cloudformation.yaml`, 'utf8').replace(/^Description: .*$/m, 'Description: "Dropped as a zip"');
  const zip = zipSync({
    'shared-env/schema/schema.yaml': strToU8(readFileSync(`${folder}/schema/schema.yaml`, 'utf8')),
    'shared-env/infrastructure/manifest.yaml': strToU8(readFileSync(`${folder}/infrastructure/manifest.yaml`, 'utf8')),
    'shared-env/infrastructure/cloudformation.yaml': strToU8(template),
  });
  // What a browser dispatches when a file is dragged over the page, then dropped.
  const drag = (type) => page.evaluate(([event, bytes]) => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([new Uint8Array(bytes)], 'shared-env.zip', { type: 'application/zip' }));
    window.dispatchEvent(new DragEvent(event, { dataTransfer, cancelable: true }));
  }, [type, [...zip]]);
  await drag('dragover');
  await expect(page.locator('#drop-hint')).toBeVisible();
  await drag('drop');
  await expect(page.locator('#drop-hint')).toBeHidden();
  await expect(page.getByLabel('Example')).toHaveValue('');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('Description: "Dropped as a zip"');
  await expect(page.getByRole('treeitem', { name: 'shared-env/infrastructure/cloudformation.yaml', exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/5-dropped-zip.png`, fullPage: true });
});

test('6. a reload keeps the edits (localStorage)', async ({ page }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.42.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.42.0.0/16');
  await page.reload();
  await expect(page.getByLabel('vpc_cidr')).toHaveValue('10.42.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.42.0.0/16');
  await page.screenshot({ path: `${SHOTS}/6-reload.png`, fullPage: true });
});

test('7. the rendered bundle downloads as a .zip', async ({ page }) => {
  await open(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .zip' }).click()]);
  expect(download.suggestedFilename()).toBe('rendered.zip');
  const entries = unzipSync(readFileSync(await download.path()));
  expect(Object.keys(entries)).toEqual(['infrastructure/cloudformation.yaml']);
  expect(strFromU8(entries['infrastructure/cloudformation.yaml'])).toContain('AWSTemplateFormatVersion');
});

test('8. a service: pipeline inputs once, instances added and renamed, pipeline target, component attached', async ({ page }) => {
  await open(page);
  await pickExample(page, 'ecs-fargate-service', 'instance_infrastructure/cloudformation.yaml');
  await expect(page.getByLabel('Template')).toHaveValue('ecs-fargate-service/v1');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await page.getByLabel('Instance name').fill('staging');
  await page.getByLabel('Desired count').fill('3');
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain('DesiredCount: 3');
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain('"payment-api-staging"');
  await page.getByLabel('Target').selectOption('pipeline');
  await expect.poll(() => outputText(page, 'pipeline_infrastructure/cloudformation.yaml')).toContain('Deploy-staging');
  await page.getByLabel('Build compute type').selectOption('BUILD_GENERAL1_LARGE');
  await expect.poll(() => outputText(page, 'pipeline_infrastructure/cloudformation.yaml')).toContain('ComputeType: BUILD_GENERAL1_LARGE');
  await page.getByLabel('Target').selectOption('service-instance');
  await page.getByLabel('Attach a component').check();
  await page.getByRole('button', { name: 'Add component outputs' }).click();
  await page.getByLabel('Component outputs Output1').fill('arn:aws:iam::111122223333:policy/queue-access');
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain('- arn:aws:iam::111122223333:policy/queue-access');
  await expect(await openPanel(page, 'Spec')).toContainText('name: staging');
  await expect(await openPanel(page, 'Spec')).toContainText('--specs ecs-fargate-service:1=spec.yaml');
  await page.screenshot({ path: `${SHOTS}/8-service.png`, fullPage: true });
});

test('the component example renders for the chosen instance', async ({ page }) => {
  await open(page);
  await pickExample(page, 'sqs-queue', 'cloudformation.yaml');
  await expect.poll(() => outputText(page, 'cloudformation.yaml')).toContain('QueueName: "payment-api-dev-jobs"');
  await page.screenshot({ path: `${SHOTS}/component.png`, fullPage: true });
});

test('importing a spec file fills the form', async ({ page }) => {
  await open(page);
  await page.locator('#import-spec').setInputFiles({
    name: 'prod.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from('proton: EnvironmentSpec\nspec:\n  vpc_cidr: "10.20.0.0/16"\n  log_retention_days: 90\n'),
  });
  await expect(page.getByLabel('vpc_cidr')).toHaveValue('10.20.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('RetentionInDays: 90');
});

test('the Spec panel offers the workspace\'s own spec files and commands that work after Proton', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    const ws = window.protonPlayground.workspace();
    return window.protonPlayground.loadFiles('with-specs', {
      ...ws.files,
      'specs/prod.yaml': 'proton: EnvironmentSpec\nspec:\n  vpc_cidr: "10.30.0.0/16"\n  log_retention_days: 60\n',
    });
  });
  await page.getByLabel('Template', { exact: true }).selectOption('ecs-shared-env/v1');
  const panel = await openPanel(page, 'Spec');
  const specs = panel.getByLabel('Specs in this workspace');
  await expect(specs.locator('option', { hasText: 'specs/prod.yaml' })).toHaveCount(1);
  await specs.selectOption('specs/prod.yaml');
  await expect(page.getByLabel('vpc_cidr')).toHaveValue('10.30.0.0/16');
  const commands = panel.getByLabel('Commands for this spec');
  await expect(commands).toContainText('proton-playground render');
  await expect(commands).toContainText('proton-playground migrate');
  await expect(commands).not.toContainText('aws proton');
  await page.screenshot({ path: `${SHOTS}/spec-panel.png` });
});

test('light and dark themes follow the system, editors included, with readable text', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  await expect(page.locator('#editor .cm-content')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' }).locator('.cm-content')).toBeVisible();
  // WCAG contrast of every coloured token, line number and plain line against its editor's
  // background: at least 4.5 (AA for normal text).
  const look = () => page.evaluate(() => {
    const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const luminance = (c) => {
      const [r, g, b] = rgb(c).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const worst = [];
    for (const editor of document.querySelectorAll('.cm-editor')) {
      const background = getComputedStyle(editor).backgroundColor;
      const gutters = editor.querySelector('.cm-gutters');
      const texts = [...editor.querySelectorAll('.cm-line:not(.cm-activeLine), .cm-line:not(.cm-activeLine) span')]
        .map((e) => [e, background])
        .concat([...editor.querySelectorAll('.cm-lineNumbers .cm-gutterElement:not(.cm-activeLineGutter)')].map((e) => [e, getComputedStyle(gutters).backgroundColor]));
      for (const [element, behind] of texts) {
        if (!element.textContent.trim()) continue;
        const ratio = contrast(getComputedStyle(element).color, behind);
        if (ratio < 4.5) worst.push(`${element.className || 'text'} "${element.textContent.slice(0, 20)}" ${ratio.toFixed(2)}`);
      }
    }
    return { page: getComputedStyle(document.body).backgroundColor, editor: getComputedStyle(document.querySelector('#editor .cm-editor')).backgroundColor, worst };
  });
  const light = await look();
  expect(light.page).toBe('rgb(255, 255, 255)');
  expect(light.editor).toBe('rgb(255, 255, 255)');
  expect(light.worst).toEqual([]);
  // The system switches to dark: the page and its editors follow, no reload.
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await look();
  expect(dark.page).toBe('rgb(22, 24, 28)');
  expect(dark.editor).toBe('rgb(22, 24, 28)');
  expect(dark.worst).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/dark-theme.png`, fullPage: true });
});

test('keyboard: Ctrl+S downloads the open file', async ({ page }) => {
  await open(page);
  await page.locator('#editor .cm-content').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
  expect(download.suggestedFilename()).toBe('cloudformation.yaml');
});

test('a folder picked with the folder picker loads as a workspace', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/components/sqs-queue');
  await expect.poll(() => outputText(page, 'cloudformation.yaml')).toContain('Type: AWS::SQS::Queue');
  await expect(page.getByRole('treeitem', { name: 'manifest.yaml' })).toBeVisible();
});

test('files can be added, renamed and deleted', async ({ page }) => {
  await open(page);
  const newName = page.getByLabel('New file path');
  await newName.fill('ecs-shared-env/v1/notes.md');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('treeitem', { name: 'ecs-shared-env/v1/notes.md' })).toHaveAttribute('aria-selected', 'true');
  await newName.fill('ecs-shared-env/v1/README.md');
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('treeitem', { name: 'ecs-shared-env/v1/README.md' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: 'ecs-shared-env/v1/notes.md' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('treeitem', { name: 'ecs-shared-env/v1/README.md' })).toHaveCount(0);
  // Deleting the template breaks the bundle: a located diagnostic names the missing file.
  await page.getByRole('treeitem', { name: 'ecs-shared-env/v1/infrastructure/cloudformation.yaml' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(diagnostics(page)).toContainText('manifest lists infrastructure/cloudformation.yaml, which is missing');
});

test('the Versions panel classifies changes, judges the bump and lists compatibility', async ({ page }) => {
  await open(page);
  const panel = await openPanel(page, 'Versions');
  await panel.getByLabel('Old version').selectOption({ label: 'ecs-shared-env:1' });
  await panel.getByLabel('New version').selectOption({ label: 'ecs-shared-env:2' });
  const changes = panel.getByRole('table', { name: 'Changes' });
  await expect(changes).toContainText('environment inputs: cost_center');
  await expect(changes).toContainText('required input added without default: major');
  await expect(panel.getByLabel('Verdict')).toContainText('the bump is honest');
  await expect(panel.getByLabel('Rendered diff')).toContainText('CostCenter');
  await panel.getByLabel('Declared bump').selectOption('minor');
  await expect(panel.getByLabel('Verdict')).toContainText('NOT honest');
  await expect(panel.getByLabel('Compatibility findings')).toContainText('Every service is compatible');
  await page.screenshot({ path: `${SHOTS}/versions.png`, fullPage: true });
});

test('a service paired with a loaded environment gets its declared outputs as mocks', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates');
  await page.getByLabel('Template').selectOption({ label: 'ecs-fargate-service:1 (service)' });
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain('VpcId: "vpc-0a1b2c3d4e5f67890"');
  // Declared by ecs-shared-env:1 though this service does not read it: the pairing brings it.
  await expect(page.getByLabel('Environment outputs PublicSubnetIds')).toHaveValue(/^subnet-/);
  await expect(diagnostics(page)).not.toContainText('error[');
});

test('the Versions panel follows the selected template and compares it with its previous major', async ({ page }) => {
  await open(page);
  // A first major is compared with the next one.
  const versions = await openPanel(page, 'Versions');
  await expect(versions.getByLabel('Old version')).toHaveValue('ecs-shared-env/v1');
  await expect(versions.getByLabel('New version')).toHaveValue('ecs-shared-env/v2');
  await expect(versions).toContainText('Needs major');
  await pickFolder(page, '../examples/templates');
  await page.getByLabel('Template').selectOption({ label: 'ecs-fargate-service:2 (service)' });
  const panel = await openPanel(page, 'Versions');
  await expect(panel.getByLabel('Old version')).toHaveValue('ecs-fargate-service/v1');
  await expect(panel.getByLabel('New version')).toHaveValue('ecs-fargate-service/v2');
  await expect(panel.getByRole('table', { name: 'Changes' })).toContainText('ecs-shared-env:2 added');
});

test('compatibility per instance: each instance against the environment template it runs in', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates');
  await page.getByLabel('Template').selectOption({ label: 'ecs-fargate-service:2 (service)' });
  const panel = await openPanel(page, 'Versions');
  await expect(panel.getByLabel('New version')).toHaveValue('ecs-fargate-service/v2');
  await expect(panel.getByLabel('Verdict for dev')).toContainText('compatible: ecs-shared-env:2 is in the registration');
  await panel.getByLabel('Environment for dev').fill('ecs-shared-env:1');
  await panel.getByLabel('Environment for dev').press('Enter');
  await expect(panel.getByLabel('Verdict for dev')).toContainText('NOT compatible');
  await expect(panel.getByLabel('Verdict for dev')).toContainText('PrivateSubnets');
});

test('a loose service bundle gets a declared list of compatible environments', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates/ecs-fargate-service/v1');
  await page.getByRole('treeitem', { name: '.template-registration.yaml', exact: true }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  const panel = await openPanel(page, 'Versions');
  // No environment template known yet: a prompt, not a verdict.
  await expect(panel.getByLabel('Verdict for dev')).toContainText('Which environment template does dev run in?');
  await expect(panel.getByLabel('Verdict for dev')).not.toContainText('NOT compatible');
  await panel.getByLabel('Compatible environments').fill('my-env-template:3');
  await panel.getByLabel('Compatible environments').press('Enter');
  await panel.getByLabel('Environment for dev').fill('my-env-template:3');
  await panel.getByLabel('Environment for dev').press('Enter');
  await expect(panel.getByLabel('Verdict for dev')).toContainText('compatible: my-env-template:3 is in the declared list');
});

test('fleet check: spec files of running instances against the selected version', async ({ page }) => {
  await open(page);
  await pickFolder(page, '../examples/templates');
  await page.getByLabel('Template').selectOption({ label: 'ecs-shared-env:2 (environment)' });
  const panel = await openPanel(page, 'Versions');
  await expect(panel.getByLabel('New version')).toHaveValue('ecs-shared-env/v2');
  await panel.getByLabel('Spec files for the fleet check').setInputFiles([
    { name: 'dev.yaml', mimeType: 'text/yaml', buffer: Buffer.from('proton: EnvironmentSpec\nspec:\n  cost_center: CC-1\n') },
    { name: 'prod.yaml', mimeType: 'text/yaml', buffer: Buffer.from('proton: EnvironmentSpec\nspec:\n  log_retention_days: 90\n') },
  ]);
  const results = panel.getByLabel('Fleet results');
  await expect(results).toContainText('ecs-shared-env:2: 1 pass, 1 fail');
  await expect(results).toContainText('FAIL prod.yaml: environment inputs: cost_center: required input has no value and no default');
  await page.screenshot({ path: `${SHOTS}/fleet.png`, fullPage: true });
});

test('the file pickers are in the Tab order; a field without a default offers clear; default text is readable', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  // Tab from the Example picker reaches the Open… menu; opened with the keyboard, its archive and
  // folder pickers are Tab stops (a hidden input could not be).
  await page.getByLabel('Example').focus();
  const reached = [];
  for (let i = 0; i < 12 && !reached.includes('open-menu'); i += 1) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement && (document.activeElement.closest('details')?.id || document.activeElement.id)));
  }
  expect(reached).toContain('open-menu');
  await page.keyboard.press('Enter');
  const inMenu = [];
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('Tab');
    inMenu.push(await page.evaluate(() => document.activeElement && document.activeElement.id));
  }
  expect(inMenu).toContain('open-archive');
  expect(inMenu).toContain('open-folder');
  await page.keyboard.press('Escape');
  await expect(page.locator('#open-menu')).not.toHaveAttribute('open', '');
  await openPanel(page, 'Spec');
  await page.locator('#import-spec').focus();
  expect(await page.evaluate(() => document.activeElement.id)).toBe('import-spec');
  // The grey of defaults stays readable: WCAG AA against the page.
  const ratio = await page.evaluate(() => {
    const tag = document.querySelector('.default-tag');
    const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const luminance = (c) => {
      const [r, g, b] = rgb(c).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [x, y] = [luminance(getComputedStyle(tag).color), luminance(getComputedStyle(document.body).backgroundColor)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  });
  expect(ratio).toBeGreaterThanOrEqual(4.5);
  // An input without a default: once typed, its button clears it (there is no default to reset to).
  const schema = 'schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        note: {type: string}\n        size: {type: string, default: small}\n';
  const manifest = 'infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n';
  const template = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n# {{ environment.inputs.note | default("none") }} {{ environment.inputs.size }}\n';
  await page.evaluate(([s, m, t]) => window.protonPlayground.loadFiles('optional-input', {
    'schema/schema.yaml': s, 'infrastructure/manifest.yaml': m, 'infrastructure/cloudformation.yaml': t,
  }), [schema, manifest, template]);
  await page.getByLabel('note').fill('hello');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('# hello small');
  const noteField = page.locator('.field', { has: page.getByLabel('note') });
  await expect(noteField.getByRole('button', { name: 'clear' })).toBeVisible();
  await expect(noteField.getByRole('button', { name: 'reset' })).toHaveCount(0);
  await noteField.getByRole('button', { name: 'clear' }).click();
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('# none small');
  await page.getByLabel('size').fill('large');
  const sizeField = page.locator('.field', { has: page.getByLabel('size') });
  await expect(sizeField.getByRole('button', { name: 'reset' })).toBeVisible();
});

test('a bundle whose required input has no default renders on open, with an example the form shows', async ({ page }) => {
  await open(page);
  const schema = 'schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      required: [cidr]\n      properties:\n        cidr: {type: string, pattern: "^([0-9]{1,3}\\\\.){3}[0-9]{1,3}/[0-9]{1,2}$"}\n';
  const manifest = 'infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n';
  const template = 'Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {{ environment.inputs.cidr }}\n';
  await page.evaluate(([s, m, t]) => window.protonPlayground.loadFiles('required-input', {
    'schema/schema.yaml': s, 'infrastructure/manifest.yaml': m, 'infrastructure/cloudformation.yaml': t,
  }), [schema, manifest, template]);
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('CidrBlock: 0.0.0.0/0');
  const field = page.locator('.field', { has: page.getByLabel('cidr') });
  await expect(field).toContainText('rendered with the example value "0.0.0.0/0"; a real spec must set it');
  await expect(field).not.toHaveClass(/has-error/);
  await expect(field).not.toContainText('null');
  await expect(diagnostics(page)).toContainText('input-example');
  // Said once, and not at a spec file the user does not have.
  await expect(diagnostics(page).locator('li', { hasText: 'input-example' })).toHaveCount(1);
  await expect(diagnostics(page)).not.toContainText('spec.yaml');
  await expect(page.getByRole('status')).not.toContainText('error');
  // A value typed by the user replaces the example.
  await page.getByLabel('cidr').fill('10.1.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('CidrBlock: 10.1.0.0/16');
  await expect(field).not.toContainText('example value');
  await page.screenshot({ path: `${SHOTS}/required-input-example.png`, fullPage: true });
});
