// The Migrate dialog (issue "Off Proton"), in Chromium: the form's stacks and added spec files
// become a Git Sync repository; a template that stays per stack shows its reason and jumps to
// the line; the repository downloads as a .zip.
import { test, expect } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { SHOTS, open, outputText } from './helpers.js';

const PROD = 'proton: EnvironmentSpec\nspec:\n  vpc_cidr: "10.20.0.0/16"\n  container_insights: true\n  log_retention_days: 90\n  nat_gateway_count: 2\n';

/** Makes the form's inputs a stack named `name` (never silently: the user names it). */
async function formStack(dialog, name) {
  await dialog.getByLabel('Use the form\'s inputs').check();
  await expect(dialog.getByRole('status')).toContainText('Name the stack the form\'s inputs are for to migrate it.');
  await dialog.getByLabel('Name of the form\'s deployment').fill(name);
  await dialog.getByLabel('Name of the form\'s deployment').press('Enter');
}

test('the form\'s stacks and added specs migrate to one proven template and a deployment file per stack', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate off Proton' });
  await expect(dialog.getByRole('status')).toHaveText('0 stacks: 0 templates parameterized, 0 per stack');
  await formStack(dialog, 'ecs-shared-env');
  await expect(dialog.getByRole('status')).toHaveText('1 stack: 1 template parameterized, 0 per stack');
  // The form's inputs and the page's mocks are not known to be Proton's: said before download.
  await expect(dialog.getByRole('list', { name: 'Migration errors' })).toContainText('not known to be what Proton passed');
  await dialog.getByLabel('Add spec files').setInputFiles({ name: 'prod.yaml', mimeType: 'text/yaml', buffer: Buffer.from(PROD) });
  await expect(dialog.getByRole('status')).toHaveText('2 stacks: 1 template parameterized, 0 per stack');
  const row = dialog.getByRole('table', { name: 'Migration results' }).getByRole('row').nth(1);
  await expect(row).toContainText('ecs-shared-env v1');
  await expect(row).toContainText('parameterized');
  await dialog.getByLabel('Stack').selectOption('prod');
  await expect(dialog.locator('#migrate-template-text')).toContainText('Fn::ForEach::NLoop');
  await expect(dialog.locator('#migrate-deployment-text')).toContainText('NatGatewayCountValues: 1,2');
  await expect(dialog.locator('#migrate-deployment-name')).toHaveText('deployments/prod.yaml');
  await page.screenshot({ path: `${SHOTS}/migrate-dialog.png` });
  await expect(dialog.getByRole('button', { name: 'Download repository (.zip)' })).toBeInViewport();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeInViewport();
  await page.setViewportSize({ width: 800, height: 900 });
  await expect(dialog.getByRole('button', { name: 'Download repository (.zip)' })).toBeInViewport();
  await page.screenshot({ path: `${SHOTS}/migrate-dialog-800.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Importing outputs always shows its effect, or why there is none: here no service is migrated.
  await dialog.getByLabel('Services import environment outputs').check();
  await expect(dialog.getByRole('status')).toContainText('nothing imported: no migrated service reads an output of a migrated environment');
  await dialog.getByLabel('Services import environment outputs').uncheck();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download repository (.zip)' }).click()]);
  expect(download.suggestedFilename()).toBe('ecs-shared-env-git-sync.zip');
  const entries = unzipSync(readFileSync(await download.path()));
  expect(Object.keys(entries)).toEqual(expect.arrayContaining([
    'templates/ecs-shared-env-v1/environment.yaml', 'deployments/prod.yaml', 'migration.json', 'README.md',
  ]));
  const summary = JSON.parse(strFromU8(entries['migration.json']));
  expect(summary.stacks.map((s) => s.name)).toEqual(['ecs-shared-env', 'prod']);
  expect(strFromU8(entries['deployments/prod.yaml'])).toContain('template-file-path: templates/ecs-shared-env-v1/environment.yaml');
  expect(strFromU8(entries['deployments/ecs-shared-env.yaml'])).toContain('NOT KNOWN TO BE WHAT PROTON PASSED');
  expect(strFromU8(entries['deployments/ecs-shared-env.yaml'])).toContain("environment.inputs.vpc_cidr: the page's form, not a spec file");
  expect(summary.stacks[0].guesses.length).toBeGreaterThan(0);
});

test('a template that cannot be one for every stack says why and jumps to the construct', async ({ page }) => {
  await open(page);
  // A key printed from an input that differs per stack: CloudFormation keys are literal.
  await page.locator('.cm-content').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('X{{ environment.inputs.log_retention_days }}: 1');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('X7: 1');
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate off Proton' });
  await formStack(dialog, 'ecs-shared-env');
  await dialog.getByLabel('Add spec files').setInputFiles({ name: 'prod.yaml', mimeType: 'text/yaml', buffer: Buffer.from(PROD) });
  await expect(dialog.getByRole('status')).toHaveText('2 stacks: 0 templates parameterized, 1 per stack');
  const row = dialog.getByRole('table', { name: 'Migration results' }).getByRole('row').nth(1);
  await expect(row).toContainText('per-stack');
  await expect(row).toContainText('logical IDs and keys are literal');
  await page.screenshot({ path: `${SHOTS}/migrate-fallback.png` });
  await row.getByRole('button', { name: 'cloudformation.yaml line 1' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.cm-activeLine').first()).toContainText('X{{ environment.inputs.log_retention_days }}: 1');
});

// An account made from examples/ by `scripts/make-account.py www/tests/fixtures/account
// --environments 1 --services 1 --edited 1` (run it again when the examples change): an
// environment, a service with three instances (one edited by hand since) and a pipeline, and a
// stack Proton never made.
const ACCOUNT = 'tests/fixtures/account';
const accountFile = (path) => ({ name: path.split('/').pop(), mimeType: 'application/json', buffer: readFileSync(`${ACCOUNT}/${path}`) });

test('running stacks are read back in the page: exact ones load into the form, a hand-edited one drifts', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate off Proton' });
  await dialog.getByText('From running stacks').click();
  await dialog.getByLabel('Describe output files').setInputFiles([accountFile('stacks-1.json'), accountFile('stacks-2.json')]);
  // Without the templates, no stack can be read back: each says so.
  await expect(dialog.locator('#adopt-summary')).toHaveText('6 stacks: 0 exact, 0 drift, 6 unmatched');
  const templates = ['AWSProton-env0-cloudformation-0000', 'AWSProton-svc0-i0-cloudformation', 'AWSProton-svc0-i1-cloudformation',
    'AWSProton-svc0-i2-cloudformation', 'AWSProton-svc0-pipeline-cloudformation', 'hand-made-bucket'];
  await dialog.getByLabel('Deployed body files').setInputFiles(templates.map((t) => accountFile(`templates/${t}.json`)));
  await expect(dialog.locator('#adopt-summary')).toHaveText('6 stacks: 4 exact, 1 drift, 1 unmatched');
  const table = dialog.getByRole('table', { name: 'Adoption results' });
  const row = (stack) => table.getByRole('row').filter({ hasText: stack });
  await expect(row('AWSProton-svc0-i2-cloudformation')).toContainText('drift');
  await expect(row('AWSProton-svc0-i2-cloudformation')).toContainText('HandMadeTopic');
  await expect(row('hand-made-bucket')).toContainText('Proton did not make it');
  await expect(row('AWSProton-svc0-pipeline-cloudformation')).toContainText('exact');
  await page.screenshot({ path: `${SHOTS}/adopt-dialog.png` });
  await page.setViewportSize({ width: 800, height: 900 });
  await page.screenshot({ path: `${SHOTS}/adopt-dialog-800.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  // The repository, as the CLI writes it.
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download adopted repository (.zip)' }).click()]);
  const entries = unzipSync(readFileSync(await download.path()));
  const adoption = JSON.parse(strFromU8(entries['adoption.json']));
  expect(Object.fromEntries(adoption.stacks.map((s) => [s.stack, s.status]))).toEqual({
    'AWSProton-env0-cloudformation-0000': 'exact',
    'AWSProton-svc0-i0-cloudformation': 'exact',
    'AWSProton-svc0-i1-cloudformation': 'exact',
    'AWSProton-svc0-i2-cloudformation': 'drift',
    'AWSProton-svc0-pipeline-cloudformation': 'exact',
    'hand-made-bucket': 'unmatched',
  });
  expect(Object.keys(entries)).toEqual(expect.arrayContaining(['specs/svc0.yaml', 'deployments/AWSProton-svc0-i0-cloudformation.yaml', 'iam/git-sync-role.json']));
  // An exact stack's inputs as deployed, in the form: the render is the deployed template.
  await row('AWSProton-svc0-i0-cloudformation').getByRole('button', { name: 'Load in the form' }).click();
  await expect(dialog).toBeHidden();
  const deployed = JSON.parse(readFileSync(`${ACCOUNT}/templates/AWSProton-svc0-i0-cloudformation.json`, 'utf8')).TemplateBody;
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toBe(deployed);
  await expect(page.getByLabel('Template', { exact: true })).toHaveValue('ecs-fargate-service/v1');
  await page.screenshot({ path: `${SHOTS}/adopt-loaded.png` });
});
