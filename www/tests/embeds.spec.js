// Embeds on a long page (issue "Live examples in anyone's documentation"): readable before they
// are live (and without JavaScript), one engine for the page, live only near the viewport, a
// share link as a source.
import { test, expect } from '@playwright/test';
import { SHOTS } from './helpers.js';

/** A documentation page with `count` embeds a screen apart, served beside dist/docs/. */
function longPage(count) {
  const sections = Array.from({ length: count }, (_, i) => `
    <h2>Example ${i + 1}</h2>
    <proton-playground example="${i % 2 ? 'sqs-queue' : 'ecs-shared-env'}" height="20rem"><pre>pre-rendered ${i + 1}</pre></proton-playground>
    <div style="height: 1400px"></div>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Many embeds</title>
    <script type="module" src="../assets/embed.js"></script></head><body>${sections}</body></html>`;
}

test('a page of 20 embeds starts one engine, renders what is visible, and the rest when scrolled to', async ({ page }) => {
  await page.route('**/docs/many.html', (route) => route.fulfill({ contentType: 'text/html', body: longPage(20) }));
  const start = Date.now();
  await page.goto('/docs/many.html');
  const embeds = page.locator('proton-playground');
  await expect(embeds).toHaveCount(20);
  await expect(embeds.first().getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' })).toContainText('AWSTemplateFormatVersion');
  console.log(`first visible embed live after ${Date.now() - start} ms`);
  // Far below: still its own content, not rendered, no engine call made for it.
  const last = embeds.nth(19);
  await expect(last).toContainText('pre-rendered 20');
  await expect(last.getByRole('status')).toHaveText('Live when scrolled into view');
  expect(page.workers().length).toBe(1);
  const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : 0));
  console.log(`JS heap with 20 embeds (1 live): ${(heap / 1048576).toFixed(1)} MB`);
  // The page stays responsive while the first embed is live: typing in it re-renders.
  await embeds.first().getByLabel('vpc_cidr').fill('10.9.0.0/16');
  await expect(embeds.first().getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' })).toContainText('10.9.0.0/16');
  await last.scrollIntoViewIfNeeded();
  await expect(last.getByRole('region', { name: 'Rendered cloudformation.yaml' })).toContainText('AWS::SQS::Queue');
  expect(page.workers().length).toBe(1);
  await page.screenshot({ path: `${SHOTS}/embeds-20.png` });
});

test('without JavaScript the docs page shows each example\'s pre-rendered output', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/docs/');
  const embeds = page.locator('proton-playground');
  await expect(embeds).toHaveCount(3);
  await expect(embeds.nth(0)).toContainText('CidrBlock: "10.0.0.0/16"');
  await expect(embeds.nth(1)).toContainText('DesiredCount: 2');
  await expect(embeds.nth(2)).toContainText('AWS::SQS::Queue');
  await page.screenshot({ path: `${SHOTS}/docs-no-js.png`, fullPage: true });
  await context.close();
});

test('a share link is an embed source, and its Open in playground link carries the state', async ({ page }) => {
  // A share link made by the playground itself.
  await page.goto('/');
  await expect(page.getByRole('region', { name: /^Rendered / }).first()).toContainText('AWSTemplateFormatVersion');
  await page.getByLabel('vpc_cidr').fill('10.77.0.0/16');
  await page.getByRole('button', { name: 'Share…' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  const html = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="../assets/embed.js"></script></head>
    <body><proton-playground share="${link}" eager></proton-playground></body></html>`;
  await page.route('**/docs/shared.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/docs/shared.html');
  const embed = page.locator('proton-playground');
  await expect(embed.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' })).toContainText('10.77.0.0/16');
  const open = embed.getByRole('link', { name: 'Open in playground' });
  await open.hover();
  expect(await open.getAttribute('href')).toContain('#share=v2.');
});
