// Hardening in the browser: hostile text never runs, nothing leaves the origin, a crashed
// engine restarts with the edits kept, full storage warns, and two tabs do not overwrite each
// other silently. Each saves a screenshot.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, open, outputText, diagnostics, openPanel } from './helpers.js';

const DIST = new URL('../../dist', import.meta.url).pathname;

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=1</script>';
const MANIFEST = 'infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n';

/** Fails the test on any dialog and reports whether a payload ran. */
function watch(page) {
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return () => page.evaluate(() => window.__pwned === 1);
}

test('hostile file names, templates, schema text, inputs and mocks are shown as text, never run', async ({ page }) => {
  const pwned = watch(page);
  await open(page);
  const schema = `schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      description: '${IMG}'\n      properties:\n        name:\n          type: string\n          title: '${IMG}'\n          description: '${SCRIPT}'\n          default: '${IMG}'\n`;
  const template = `# ${SCRIPT}\nDescription: "{{ environment.inputs.name }}"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: ${IMG}\n{{ ${IMG} }}\n`;
  await page.evaluate(([s, t, m, img]) => window.protonPlayground.loadFiles(img, {
    'schema/schema.yaml': s,
    'infrastructure/manifest.yaml': m,
    'infrastructure/cloudformation.yaml': t,
    [`infrastructure/${img}.yaml`]: img,
  }), [schema, template, MANIFEST, IMG]);
  await expect(page.getByRole('treeitem', { name: `infrastructure/${IMG}.yaml` })).toBeVisible();
  await expect(diagnostics(page)).toContainText('template-syntax');
  // Fix the template so the payloads reach the rendered output, the spec and the form.
  await page.evaluate(([t]) => {
    const ws = window.protonPlayground.workspace();
    // As the editor does: edits replace the files object.
    ws.files = { ...ws.files, 'infrastructure/cloudformation.yaml': t.replace(/\{\{ <img[^\n]*\n/, '') };
  }, [template]);
  await page.getByRole('treeitem', { name: 'infrastructure/cloudformation.yaml' }).click();
  await page.getByLabel(IMG).fill(`${SCRIPT}${IMG}`);
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain(`Description: "${SCRIPT}${IMG}"`);
  await page.getByLabel('Environment name').fill(IMG);
  await expect(await openPanel(page, 'Spec')).toContainText(SCRIPT);
  await page.screenshot({ path: `${SHOTS}/safety-payloads.png`, fullPage: true });
  expect(await pwned()).toBe(false);
  expect(await page.locator('img[src=x]').count()).toBe(0);
});

test('the Content-Security-Policy blocks inline script and handlers; no code needs eval', async ({ page }) => {
  await open(page);
  const policy = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toMatch(/(^|\s)'unsafe-eval'/);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
    const handler = document.createElement('div');
    handler.setAttribute('onclick', 'window.__handler = 1');
    document.body.append(handler);
    handler.click();
    await new Promise((r) => setTimeout(r, 100));
    return { inline: window.__inline === 1, handler: window.__handler === 1 };
  });
  expect(ran).toEqual({ inline: false, handler: false });
  // Every page of the site carries the same policy (a <meta>, so any static host keeps it).
  const pages = ['index.html', 'embed.html', 'docs/index.html'];
  for (const file of pages) {
    const html = readFileSync(join(DIST, file), 'utf8');
    expect(/http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1], file).toBe(policy);
  }
  // The policy forbids eval (no 'unsafe-eval'); none of the shipped code needs it.
  for (const file of readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(DIST, 'assets', file), 'utf8');
    expect(code, file).not.toMatch(/\beval\(|new Function\(/);
  }
});

test('no request leaves the page origin during the user flows', async ({ page }) => {
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.1.0.0/16');
  await page.getByLabel('Example').selectOption('ecs-fargate-service');
  await expect(page.getByRole('region', { name: 'Rendered instance_infrastructure/cloudformation.yaml' })).toBeVisible();
  await page.getByLabel('Example').selectOption('sqs-queue');
  await page.locator('#open-archive').setInputFiles('tests/fixtures/fixture-env.tar.gz');
  await expect(page.getByLabel('Example')).toHaveValue('');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  await download;
  const origin = new URL(page.url()).origin;
  expect(requests.length).toBeGreaterThan(3);
  expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
});

test('a crashed engine restarts with the edits kept', async ({ page }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.42.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.42.0.0/16');
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { throw new Error('injected fault'); }));
  await expect(page.getByRole('status')).toContainText('was restarted: your edits are kept');
  await page.getByLabel('vpc_cidr').fill('10.43.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.43.0.0/16');
  await page.screenshot({ path: `${SHOTS}/safety-crash.png`, fullPage: true });
});

test('a watchdog ends an engine busy past its deadline, says on what, and keeps the edits', async ({ page }) => {
  await open(page);
  await page.getByLabel('vpc_cidr').fill('10.45.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.45.0.0/16');
  // The render worker stops answering (a loop the engine's own budgets would not see), and the
  // deadline is shortened so the test does not wait 15 s.
  await page.evaluate(() => { window.protonPlaygroundEngineDeadlineMs = 1500; });
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { const end = Date.now() + 120000; while (Date.now() < end); }));
  await page.getByLabel('vpc_cidr').fill('10.46.0.0/16');
  await expect(page.getByRole('status')).toContainText('spent more than 2 s on ecs-shared-env/v1 (environment)', { timeout: 10000 });
  await expect(page.getByRole('status')).toContainText('Your edits are kept');
  await page.evaluate(() => { delete window.protonPlaygroundEngineDeadlineMs; });
  // The next edit renders in the new worker, with the edit made while the old one was stuck.
  await page.getByLabel('NAT gateways').selectOption({ label: '2' });
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.46.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('NatGateway2');
});

test('the Versions panel works in a worker of its own: its crash leaves rendering alone', async ({ page }) => {
  await open(page);
  const panel = await openPanel(page, 'Versions');
  await expect(panel.getByLabel('Compatibility findings')).toBeVisible();
  // The render worker (started by the boot script) and the Versions worker.
  expect(page.workers()).toHaveLength(2);
  const versionsWorker = page.workers()[1];
  await versionsWorker.evaluate(() => setTimeout(() => { throw new Error('injected fault'); }));
  await page.getByLabel('vpc_cidr').fill('10.44.0.0/16');
  await expect.poll(() => outputText(page, 'infrastructure/cloudformation.yaml')).toContain('10.44.0.0/16');
  // The Versions worker was restarted: the panel still answers.
  await panel.getByLabel('Old version').selectOption({ label: 'ecs-shared-env:1' });
  await panel.getByLabel('New version').selectOption({ label: 'ecs-shared-env:2' });
  await expect(panel.getByLabel('Verdict')).toContainText('the bump is honest');
  expect(page.workers()).toHaveLength(2);
});

test('full storage warns and offers the workspace as a download', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
  });
  await page.getByLabel('vpc_cidr').fill('10.7.0.0/16');
  await expect(page.getByRole('status')).toContainText('Could not save your workspace (QuotaExceededError)');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download workspace' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.json$/);
  await page.screenshot({ path: `${SHOTS}/safety-storage-full.png`, fullPage: true });
});

test('two tabs editing do not silently overwrite each other', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await open(first);
  await open(second);
  await first.getByLabel('vpc_cidr').fill('10.1.0.0/16');
  const alert = second.getByRole('alert');
  await expect(alert).toContainText('changed in another tab');
  // The second tab's own edit is not saved over the first tab's.
  await second.getByLabel('vpc_cidr').fill('10.2.0.0/16');
  const saved = () => first.evaluate(() => JSON.parse(localStorage.getItem('proton-playground.workspace.v1')).inputs);
  expect(JSON.stringify(await saved())).toContain('10.1.0.0/16');
  await second.screenshot({ path: `${SHOTS}/safety-two-tabs.png`, fullPage: true });
  await second.getByRole('button', { name: "Load the other tab's version" }).click();
  await expect(second.getByLabel('vpc_cidr')).toHaveValue('10.1.0.0/16');
  await expect(alert).toBeHidden();
});

test('limits in the page: a runaway template stops, a 5 MB bundle stays within 100 MB', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  const schema = 'schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        n: {type: integer, default: 1}\n';
  const runaway = '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n';
  await page.evaluate(([s, t, m]) => window.protonPlayground.loadFiles('runaway', {
    'schema/schema.yaml': s, 'infrastructure/manifest.yaml': m, 'infrastructure/cloudformation.yaml': t,
  }), [schema, runaway, MANIFEST]);
  await expect(diagnostics(page)).toContainText('template-fuel');
  const runawayMs = await page.evaluate(async () => Math.min(...await window.protonPlayground.timeUpdates(5)));
  // Five megabytes: a template including 24 parts of 200 KB (4,000 queues each), rendered to
  // one 3.9 MB CloudFormation file, then checked.
  const parts = Array.from({ length: 24 }, (_, p) => `infrastructure/part${p}.yaml`);
  const files = {
    'schema/schema.yaml': schema,
    'infrastructure/manifest.yaml': MANIFEST,
    'infrastructure/cloudformation.yaml': `Resources:\n${parts.map((p) => `{% include '${p}' %}`).join('\n')}\n`,
  };
  parts.forEach((path, p) => {
    files[path] = Array.from({ length: 4000 }, (_, i) => `  Queue${p}x${i}:\n    Type: AWS::SQS::Queue`).join('\n').slice(0, 200 * 1024);
  });
  await page.evaluate((f) => window.protonPlayground.loadFiles('five-megabytes', f), files);
  await expect.poll(async () => (await outputText(page, 'infrastructure/cloudformation.yaml') || '').length, { timeout: 60_000 }).toBeGreaterThan(3_900_000);
  const bigMs = await page.evaluate(async () => Math.min(...await window.protonPlayground.timeUpdates(2)));
  const { wasmBytes } = await page.evaluate(() => window.protonPlayground.engineStats());
  console.log(`runaway template → fuel diagnostic: ${runawayMs.toFixed(1)} ms per round trip; 4 MB template rendered and checked: ${bigMs.toFixed(0)} ms; engine memory after a 5 MB bundle: ${(wasmBytes / 1048576).toFixed(1)} MB`);
  expect(wasmBytes).toBeLessThan(100 * 1024 * 1024);
});

test('a hostile WORKSHOP.md is shown as text, never run', async ({ page }) => {
  const pwned = watch(page);
  await open(page);
  await page.evaluate(([img, script]) => {
    const ws = window.protonPlayground.workspace();
    return window.protonPlayground.loadFiles('hostile-workshop', {
      ...ws.files,
      'WORKSHOP.md': `# ${img}\n\n## Step ${script}\n\nDo \`${img}\` and ${script}\n- ${img}\n\n\`\`\`check\nno errors\noutput contains: ${img}\n\`\`\`\n`,
    });
  }, [IMG, SCRIPT]);
  const panel = await openPanel(page, 'Workshop');
  await expect(panel).toContainText(`Step ${SCRIPT}`);
  await expect(panel.getByRole('group', { name: 'Current step' })).toContainText(IMG);
  expect(await pwned()).toBe(false);
  expect(await page.locator('img[src=x]').count()).toBe(0);
});
