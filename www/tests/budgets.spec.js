// Size budgets of the static site (deterministic, so a test): what a visitor downloads.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../../dist', import.meta.url).pathname;
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

function allFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

// Fetched one at a time when a template first needs them (src/checks/data.rs), not with the page.
const SHARDS = ['cfn-schemas', 'iam-actions'].map((folder) => join(dist, 'assets', folder));

test('the wasm is at most 1.0 MB gzip and the whole page at most 1.6 MB gzip', () => {
  const wasm = gz(join(dist, 'assets/proton_playground_bg.wasm'));
  const total = allFiles(dist)
    .filter((p) => !SHARDS.some((folder) => p.startsWith(folder)))
    .reduce((n, p) => n + gz(p), 0);
  console.log(`wasm ${(wasm / 1024).toFixed(0)} KB gzip, page ${(total / 1024).toFixed(0)} KB gzip`);
  expect(wasm).toBeLessThanOrEqual(1.0 * 1024 * 1024);
  expect(total).toBeLessThanOrEqual(1.6 * 1024 * 1024);
});

test('each data shard is at most 100 KB gzip', () => {
  for (const folder of SHARDS) {
    const sizes = allFiles(folder).map((p) => [p, gz(p)]);
    const [largest, size] = sizes.reduce((a, b) => (b[1] > a[1] ? b : a));
    const total = sizes.reduce((n, [, s]) => n + s, 0);
    console.log(`${folder.split('/').pop()}: ${sizes.length} files, ${(total / 1024).toFixed(0)} KB gzip in all, largest ${largest.split('/').pop()} ${(size / 1024).toFixed(0)} KB`);
    expect(sizes.length).toBeGreaterThan(100);
    expect(size).toBeLessThanOrEqual(100 * 1024);
  }
});
