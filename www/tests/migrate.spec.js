// The Migrate dialog (issue "Off Proton"), in Chromium: the form's stacks and added spec files
// become a Git Sync repository; a template that stays per stack shows its reason and jumps to
// the line; the repository downloads as a .zip.
import { test, expect } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { SHOTS, open, outputText } from './helpers.js';

const PROD = 'proton: EnvironmentSpec\nspec:\n  vpc_cidr: "10.20.0.0/16"\n  container_insights: true\n  log_retention_days: 90\n  nat_gateway_count: 2\n';

test('the form\'s stacks and added specs migrate to one proven template and a deployment file per stack', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate off Proton' });
  await expect(dialog.getByRole('status')).toHaveText('1 stack: 1 template parameterized, 0 per stack');
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
  await page.setViewportSize({ width: 800, height: 900 });
  await page.screenshot({ path: `${SHOTS}/migrate-dialog-800.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download repository (.zip)' }).click()]);
  expect(download.suggestedFilename()).toBe('ecs-shared-env-git-sync.zip');
  const entries = unzipSync(readFileSync(await download.path()));
  expect(Object.keys(entries)).toEqual(expect.arrayContaining([
    'templates/ecs-shared-env-v1/environment.yaml', 'deployments/prod.yaml', 'migration.json', 'README.md',
  ]));
  const summary = JSON.parse(strFromU8(entries['migration.json']));
  expect(summary.stacks.map((s) => s.name)).toEqual(['ecs-shared-env', 'prod']);
  expect(strFromU8(entries['deployments/prod.yaml'])).toContain('template-file-path: templates/ecs-shared-env-v1/environment.yaml');
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
