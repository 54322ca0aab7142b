// The documentation page's live examples (<proton-playground> elements sharing one worker) and
// embed.html for iframe-only sites.
import { test, expect } from '@playwright/test';
import { SHOTS } from './helpers.js';

test('the docs page embeds render offline and react to input', async ({ page }) => {
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/docs/');
  const env = page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' });
  const service = page.getByRole('region', { name: 'Rendered instance_infrastructure/cloudformation.yaml' });
  const component = page.getByRole('region', { name: 'Rendered cloudformation.yaml' });
  const embeds = page.locator('proton-playground');
  await expect(embeds).toHaveCount(3);
  // Each becomes live as it comes into view.
  for (let i = 0; i < 3; i += 1) await embeds.nth(i).scrollIntoViewIfNeeded();
  await expect(env).toContainText('CidrBlock: "10.0.0.0/16"');
  await expect(service).toContainText('DesiredCount: 2');
  await expect(component).toContainText('AWS::SQS::Queue');
  await embeds.nth(0).scrollIntoViewIfNeeded();
  await embeds.nth(0).getByLabel('vpc_cidr').fill('10.123.0.0/16');
  await expect(env).toContainText('CidrBlock: "10.123.0.0/16"');
  await expect(embeds.nth(0).getByRole('region', { name: 'Diagnostics' })).not.toContainText('error[');
  // `readonly` (the component example): its inputs cannot be changed, and nothing looks usable.
  expect(await embeds.nth(2).evaluate((el) => el.shadowRoot.querySelector('.form').inert)).toBe(true);
  const usable = await embeds.nth(2).evaluate((el) => [...el.shadowRoot.querySelectorAll('.form button')].filter((b) => b.getClientRects().length > 0).map((b) => b.textContent));
  expect(usable).toEqual([]);
  // Each header names its bundle, not a placeholder.
  await expect(embeds.nth(0).getByRole('status')).toContainText('ecs-shared-env');
  await expect(embeds.nth(2).getByRole('status')).toContainText('sqs-queue');
  await expect(embeds.nth(0).getByRole('status')).not.toContainText('bundle ·');
  const workers = page.workers().length;
  expect(workers).toBe(1);
  await page.screenshot({ path: `${SHOTS}/docs-embeds.png`, fullPage: true });
  const origin = new URL(page.url()).origin;
  expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);
});

test('at 800 px the embeds keep their form beside or above the output, never over it', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto('/docs/');
  const service = page.locator('proton-playground').nth(1);
  await service.scrollIntoViewIfNeeded();
  await expect(page.getByRole('region', { name: 'Rendered instance_infrastructure/cloudformation.yaml' })).toContainText('DesiredCount');
  const overlap = await service.evaluate((el) => {
    const form = el.shadowRoot.querySelector('.form').getBoundingClientRect();
    const output = el.shadowRoot.querySelector('.output').getBoundingClientRect();
    const spill = [...el.shadowRoot.querySelectorAll('.form fieldset, .form input, .form select')].some((e) => e.getBoundingClientRect().right > form.right + 1);
    const crosses = !(form.right <= output.left || form.bottom <= output.top || output.right <= form.left || output.bottom <= form.top);
    return { spill, crosses };
  });
  expect(overlap).toEqual({ spill: false, crosses: false });
  await service.screenshot({ path: `${SHOTS}/docs-embed-800.png` });
});

test('embed.html shows one example for iframe-only sites', async ({ page }) => {
  await page.goto('/embed.html?example=sqs-queue&target=component&theme=dark');
  await expect(page.getByRole('region', { name: 'Rendered cloudformation.yaml' })).toContainText('AWS::SQS::Queue');
  await page.screenshot({ path: `${SHOTS}/embed-page.png` });
});
