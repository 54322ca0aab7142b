// Navigation → rendered text in the DOM for share links of community bundles of different sizes
// (issue #31): each link opened in a fresh browser context (empty caches, nothing shipped), the
// page's own clock read when the rendered file's text is in the DOM. Run by `make bench` after
// page-bench.mjs, against the built site; prints a Markdown table for BENCHMARKS.md.
import { readTree } from './tree.mjs';
import { chromium } from '@playwright/test';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = join(root, '../shared/corpus/bundles/aws-proton-cloudformation-sample-templates');
const BUNDLES = [
  'loadbalanced-fargate-svc/loadbalanced-fargate-env/v1',
  'lambda-multi-svc/service-crud/v1',
  'public-private-fargate-microservices/microservices-env/v1',
  'environment-templates/vpc-env/v1',
];
const RUNS = 7;


const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };
const dist = join(root, 'dist');
const server = createServer((req, res) => {
  let path = join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!existsSync(path)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.'))] || 'text/plain' });
  res.end(readFileSync(path));
}).listen(0);
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const rows = [];
if (!existsSync(corpus)) {
  console.log('(../shared/corpus absent: share-link timings skipped)');
} else {
  const page = await browser.newPage();
  await page.goto(base);
  await page.waitForFunction(() => window.protonPlayground && window.protonPlayground.engineAnsweredMs());
  for (const bundle of BUNDLES) {
    const files = readTree(join(corpus, bundle));
    const name = bundle.split('/').slice(-2, -1)[0];
    await page.evaluate(([n, f]) => window.protonPlayground.loadFiles(n, f), [name, files]);
    await page.waitForFunction(() => /Rendered/.test(document.getElementById('status').textContent));
    await page.getByRole('button', { name: 'Share…' }).click();
    const link = await page.getByLabel('Share link').inputValue();
    await page.keyboard.press('Escape');
    const times = [];
    for (let i = 0; i < RUNS; i += 1) {
      const context = await browser.newContext();
      const fresh = await context.newPage();
      await fresh.goto(link.replace(/^http:\/\/[^/]+\//, base));
      // The page's clock (0 = navigation start) when the rendered text is in the DOM.
      const at = await fresh.waitForFunction(() => {
        const text = document.querySelector('#outputs .output-view:not([hidden])')?.textContent || '';
        return text.includes('Resources') ? performance.now() : false;
      }, null, { polling: 'raf', timeout: 20000 });
      times.push(await at.jsonValue());
      await context.close();
    }
    times.sort((a, b) => a - b);
    const bytes = Object.values(files).reduce((n, t) => n + t.length, 0);
    rows.push(`| share link of ${name} (${Object.keys(files).length} files, ${(bytes / 1024).toFixed(0)} KB; link ${link.length.toLocaleString('en')} characters) | ${Math.round(times[RUNS >> 1])} ms | ${Math.round(times[0])}–${Math.round(times[RUNS - 1])} ms | ≤ 300 ms |`);
  }
}
console.log('| navigation → rendered text in the DOM | median | range | goal |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
await browser.close();
server.close();
