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

test('the wasm is at most 1.0 MB gzip and the whole page at most 1.6 MB gzip', () => {
  const wasm = gz(join(dist, 'assets/proton_playground_bg.wasm'));
  const total = allFiles(dist).reduce((n, p) => n + gz(p), 0);
  console.log(`wasm ${(wasm / 1024).toFixed(0)} KB gzip, page ${(total / 1024).toFixed(0)} KB gzip`);
  expect(wasm).toBeLessThanOrEqual(1.0 * 1024 * 1024);
  expect(total).toBeLessThanOrEqual(1.6 * 1024 * 1024);
});
