import { test, expect } from '@playwright/test';

test('first example renders on open', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/');
  const region = page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' });
  await expect(region).toContainText('AWSTemplateFormatVersion');
  await page.screenshot({ path: '../target/e2e-results/smoke.png', fullPage: true });
  expect(errors).toEqual([]);
});
