// An embed on someone else's documentation site: the docs page on one origin, the playground's
// files on another, served with CORS headers as a CDN serves them.
import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { SHOTS } from './helpers.js';

const DIST = new URL('../../dist', import.meta.url).pathname;
const TYPES = {
  '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css',
  '.html': 'text/html', '.tsv': 'text/plain', '.svg': 'image/svg+xml', '.gz': 'application/gzip',
};

/** A static server of `dist/` that allows any origin, and one of a single docs page. */
function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

let playground;
let docs;

test.beforeAll(async () => {
  playground = await listen(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Access-Control-Allow-Origin': '*' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Access-Control-Allow-Origin': '*' });
      response.end();
    }
  });
  const host = `http://127.0.0.1:${playground.address().port}`;
  docs = await listen((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our docs</title>
      <script type="module" src="${host}/assets/embed.js"></script></head>
      <body><h1>Our environment template</h1>
      <proton-playground example="ecs-shared-env" target="environment" height="30rem"></proton-playground></body></html>`);
  });
});

test.afterAll(() => {
  playground.close();
  docs.close();
});

test('an embed on another origin renders and reacts, its worker started from a blob module', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${docs.address().port}/`);
  const output = page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' });
  await expect(output).toContainText('AWSTemplateFormatVersion', { timeout: 15000 });
  await page.locator('proton-playground').getByLabel('vpc_cidr').fill('10.77.0.0/16');
  await expect(output).toContainText('10.77.0.0/16');
  expect(page.workers()).toHaveLength(1);
  expect(page.workers()[0].url()).toMatch(/^blob:/);
  expect(errors).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/embed-cross-origin.png` });
  // "Open in playground" carries the embed's state to the playground on its own origin.
  const open = page.locator('proton-playground').getByRole('link', { name: 'Open in playground' });
  await open.focus();
  const href = await open.getAttribute('href');
  expect(href.startsWith(`http://127.0.0.1:${playground.address().port}/#share=v2.`)).toBe(true);
  await page.goto(href);
  await expect(page.getByRole('region', { name: 'Rendered infrastructure/cloudformation.yaml' })).toContainText('10.77.0.0/16');
});
