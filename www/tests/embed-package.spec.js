// The embed's npm package (`make package`): packed with `npm pack`, unpacked into a docs site's
// own folder and served from there, the element renders; the package's version is Cargo's and
// the CHANGELOG names it.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.html': 'text/html', '.tsv': 'text/plain' };

test('the npm package packs the element, its engine and data, and a docs site self-hosts it', async ({ page }) => {
  execFileSync('node', [join(ROOT, 'scripts/embed-package.mjs')]);
  const work = mkdtempSync(join(tmpdir(), 'embed-package-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(ROOT, 'target/npm') }).toString())[0];
  const files = packed.files.map((f) => f.path);
  for (const needed of ['assets/embed.js', 'assets/worker.js', 'assets/proton_playground_bg.wasm', 'assets/cfn-resource-types.tsv', 'assets/lambda-runtimes.tsv', 'embed.css', 'examples.json', 'index.html', 'CHANGELOG.md', 'package.json']) {
    expect(files).toContain(needed);
  }
  const version = /^version = "([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  expect(packed.version).toBe(version);
  expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${version}`);
  // A docs site with the package unpacked under /playground/.
  execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
  const site = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title>
        <script type="module" src="/playground/assets/embed.js"></script></head>
        <body><proton-playground example="sqs-queue" target="component"></proton-playground></body></html>`);
      return;
    }
    try {
      const file = join(work, 'package', path.replace(/^\/playground\//, ''));
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    await expect(page.getByRole('region', { name: 'Rendered cloudformation.yaml' })).toContainText('AWS::SQS::Queue');
  } finally {
    site.close();
  }
});
