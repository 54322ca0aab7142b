// Workshop mode: the examples' WORKSHOP.md can be completed by following its steps.
import { test, expect } from '@playwright/test';
import { SHOTS, open, outputText, openPanel } from './helpers.js';

const SERVICE = 'ecs-fargate-service/v1/instance_infrastructure/cloudformation.yaml';

test('the workshop is completed by following its steps, and progress persists', async ({ page }) => {
  await open(page);
  // The workshop is a tab beside Diagnostics: it never pushes the inputs out of sight.
  await expect(page.getByRole('tab', { name: 'Workshop' })).toBeVisible();
  await expect(page.getByLabel('vpc_cidr')).toBeInViewport();
  const panel = await openPanel(page, 'Workshop');
  const current = panel.getByRole('group', { name: 'Current step' });
  await expect(current).toContainText('Deploy the shared environment');

  await page.getByLabel('vpc_cidr').fill('10.20.0.0/16');
  await page.getByLabel('NAT gateways').selectOption({ label: '2' });
  await expect(current).toContainText('Add a service with a pipeline');
  await expect(panel.locator('.step-done')).toHaveCount(1);

  await page.getByLabel('Template').selectOption('ecs-fargate-service/v1');
  await page.getByLabel('Target').selectOption('pipeline');
  await expect(current).toContainText('Attach the SQS component');

  await page.getByLabel('Target').selectOption('service-instance');
  await page.getByLabel('Attach a component').check();
  await expect(current).toContainText('Attach the SQS component');
  await page.evaluate(() => {
    // The mocks' key/value editor: name the output and give it a value.
    const ws = window.protonPlayground.workspace();
    ws.mocks.component.outputs.QueueAccessPolicyArn = 'arn:aws:iam::123456789012:policy/jobs';
  });
  await page.getByLabel('Component name').fill('jobs');
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain('arn:aws:iam::123456789012:policy/jobs');
  await expect(current).toContainText('Break a template');

  await page.getByRole('treeitem', { name: SERVICE }).click();
  const editor = page.locator('#editor .cm-content');
  await editor.click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('TaskRole.Arn');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.type('TaskRole.Arm');
  await expect(current).toContainText('Fix it');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('n');
  await expect(current).toContainText('Upgrade to version 2');

  await page.getByLabel('Template').selectOption('ecs-fargate-service/v2');
  await expect(panel.getByRole('status')).toContainText('Workshop complete');
  await expect(panel.locator('.step-done')).toHaveCount(6);
  await page.screenshot({ path: `${SHOTS}/workshop-complete.png`, fullPage: true });

  await page.reload();
  await expect(page.getByRole('tab', { name: 'Workshop' })).toContainText('✓');
  await expect((await openPanel(page, 'Workshop')).getByRole('status')).toContainText('Workshop complete');
});
