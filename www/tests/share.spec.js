// Share links, Copy as Markdown, the .tar.gz download and the migration export.
import { test, expect } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { SHOTS, open, outputText } from './helpers.js';

const ENV = 'infrastructure/cloudformation.yaml';

async function shareLink(page) {
  await page.getByRole('button', { name: 'Share…' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  return link;
}

test('a share link opened in a fresh browser context reproduces the render', async ({ page, browser }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.77.0.0/16');
  await expect.poll(() => outputText(page, ENV)).toContain('10.77.0.0/16');
  const link = await shareLink(page);
  expect(link).toMatch(/#share=v1\.[A-Za-z0-9_-]+$/);
  await expect(page.getByLabel('Markdown')).toHaveValue(/\[.*\]\(http.*#share=v1\..*\)[\s\S]*```yaml[\s\S]*10\.77\.0\.0\/16/);
  await page.screenshot({ path: `${SHOTS}/share-dialog.png`, fullPage: true });
  await page.keyboard.press('Escape');

  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole('alert')).toContainText('shared workspace');
  await expect.poll(() => outputText(fresh, ENV)).toContain('10.77.0.0/16');
  expect(await outputText(fresh, ENV)).toBe(await outputText(page, ENV));
  // Not saved until kept.
  expect(await fresh.evaluate(() => localStorage.getItem('proton-playground.workspace.v1'))).toBeNull();
  await fresh.getByRole('button', { name: 'Keep it' }).click();
  await expect(fresh.getByRole('alert')).toBeHidden();
  expect(await fresh.evaluate(() => localStorage.getItem('proton-playground.workspace.v1'))).toContain('10.77.0.0/16');
  await fresh.screenshot({ path: `${SHOTS}/share-opened.png`, fullPage: true });
  await context.close();
});

test('a broken, truncated or future link says so and leaves the saved workspace intact', async ({ page }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.55.0.0/16');
  await expect.poll(() => outputText(page, ENV)).toContain('10.55.0.0/16');
  const good = await shareLink(page);
  await page.keyboard.press('Escape');
  const saved = await page.evaluate(() => localStorage.getItem('proton-playground.workspace.v1'));
  const hash = good.split('#')[1];
  for (const [broken, message] of [
    [`${hash.slice(0, hash.length / 2)}`, 'damaged or cut short'],
    ['share=v1.not*base64', 'characters a share link never has'],
    ['share=v9.abc', 'newer version'],
    [`share=v1.${'A'.repeat(100)}`, 'damaged or cut short'],
  ]) {
    await page.goto('about:blank');
    await page.goto(`/#${broken}`);
    await expect(page.getByRole('alert')).toContainText(message);
    await expect(page.getByRole('alert')).toContainText('Your saved workspace is unchanged');
    await expect.poll(() => outputText(page, ENV)).toContain('10.55.0.0/16');
    expect(await page.evaluate(() => localStorage.getItem('proton-playground.workspace.v1'))).toBe(saved);
  }
  await page.screenshot({ path: `${SHOTS}/share-broken.png`, fullPage: true });
});

test('a hostile share link is shown as text, never run', async ({ page, browser }) => {
  await open(page);
  const img = '<img src=x onerror="window.__pwned=1">';
  await page.evaluate((payload) => {
    const ws = window.protonPlayground.workspace();
    ws.name = payload;
    ws.files = { ...ws.files, [`ecs-shared-env/v1/${payload}.yaml`]: `${payload}</script><script>window.__pwned=1</script>` };
  }, img);
  const link = await shareLink(page);
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole('treeitem', { name: `ecs-shared-env/v1/${img}.yaml` })).toBeVisible();
  expect(await fresh.evaluate(() => window.__pwned === 1)).toBe(false);
  await context.close();
});

test('a long link offers the workspace as a .tar.gz', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    const ws = window.protonPlayground.workspace();
    let seed = 7;
    const noise = Array.from({ length: 12000 }, () => { seed = (seed * 1103515245 + 12345) % 2147483648; return String.fromCharCode(97 + (seed % 26)); }).join('');
    ws.files = { ...ws.files, 'notes.txt': noise };
  });
  await page.getByRole('button', { name: 'Share…' }).click();
  await expect(page.locator('#share-long')).toContainText('Download the workspace as a .tar.gz instead');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download workspace (.tar.gz)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.tar\.gz$/);
  const bytes = readFileSync(await file.path());
  expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
});

test('Export: every rendered file of every template, target and instance, plus the specs', async ({ page }) => {
  await open(page);
  await page.getByLabel('Example').selectOption('ecs-fargate-service');
  await expect(page.getByRole('region', { name: 'Rendered instance_infrastructure/cloudformation.yaml' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  const entries = unzipSync(new Uint8Array(readFileSync(await file.path())));
  const paths = Object.keys(entries).sort();
  for (const expected of [
    'ecs-shared-env/v1/environment/infrastructure/cloudformation.yaml',
    'ecs-shared-env/v1/spec.yaml',
    'ecs-shared-env/v2/environment/infrastructure/cloudformation.yaml',
    'ecs-fargate-service/v1/pipeline/pipeline_infrastructure/cloudformation.yaml',
    'ecs-fargate-service/v1/spec.yaml',
    'ecs-fargate-service/v2/spec.yaml',
  ]) expect(paths).toContain(expected);
  const instances = paths.filter((p) => /^ecs-fargate-service\/v1\/service-instance\/[^/]+\/instance_infrastructure\/cloudformation\.yaml$/.test(p));
  expect(instances.length).toBeGreaterThanOrEqual(1);
  for (const p of paths) expect(strFromU8(entries[p]).length, p).toBeGreaterThan(0);
  await expect(page.getByRole('status')).toContainText(`Exported ${paths.length} files`);
});
