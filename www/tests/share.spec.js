// Share links, Copy as Markdown, the .tar.gz download and the migration export.
import { test, expect } from '@playwright/test';
import { unzipSync, strFromU8, deflateSync, strToU8 } from 'fflate';
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
  expect(link).toMatch(/#share=v2\.[A-Za-z0-9_-]+$/);
  await expect(page.getByLabel('Markdown')).toHaveValue(/\[.*\]\(http.*#share=v2\..*\)[\s\S]*```yaml[\s\S]*10\.77\.0\.0\/16/);
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
    [`share=v2.${'A'.repeat(100)}`, 'damaged or cut short'],
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

test('a link made before the dictionary (v1) still opens', async ({ page, browser }) => {
  await open(page);
  const workspace = await page.evaluate(() => window.protonPlayground.workspace());
  const persisted = { name: workspace.name, templateName: workspace.templateName, files: workspace.files, selection: workspace.selection, inputs: { ...workspace.inputs, environment: { ...workspace.inputs.environment, vpc_cidr: '10.66.0.0/16' } }, mocks: workspace.mocks, options: workspace.options };
  const bytes = deflateSync(strToU8(JSON.stringify(persisted)), { level: 9 });
  const v1 = Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto(`/#share=v1.${v1}`);
  await expect.poll(() => outputText(fresh, ENV)).toContain('10.66.0.0/16');
  await context.close();
});

test('links are compressed with a dictionary of Proton\'s words, say their size, and can carry one template', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Share…' }).click();
  const link = await page.locator('#share-link').inputValue();
  expect(link).toContain('#share=v2.');
  // The examples' repository (two templates, two versions each: about 30 KB of text): a size
  // budget, deterministic, far below the 8,000 characters chat tools keep.
  const files = await page.evaluate(() => Object.values(window.protonPlayground.workspace().files).reduce((n, t) => n + t.length, 0));
  expect(files).toBeGreaterThan(20000);
  expect(link.length).toBeLessThan(7000);
  await expect(page.locator('#share-size')).toContainText(`${link.length.toLocaleString('en')} characters, the whole workspace`);
  // One template only: shorter, and it opens to the same render.
  await page.locator('#share-scope').click();
  const one = await page.locator('#share-link').inputValue();
  expect(one.length).toBeLessThan(link.length);
  await expect(page.locator('#share-size')).toContainText('only (what its render needs)');
  const fresh = await page.context().browser().newContext();
  const other = await fresh.newPage();
  await other.goto(one);
  await expect.poll(() => outputText(other, 'infrastructure/cloudformation.yaml')).toContain('CidrBlock: "10.10.0.0/16"');
  await fresh.close();
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
  await expect(page.locator('#share-long')).toContainText('the workspace as a .tar.gz instead');
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
