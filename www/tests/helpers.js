import { expect } from '@playwright/test';

export const SHOTS = '../target/e2e-results';

/** The exact text of a rendered output (CodeMirror only draws the visible lines). */
export function outputText(page, path) {
  return page.evaluate((p) => window.protonPlayground?.outputText(p), path);
}

/** Opens the page on a clean slate and waits for the first render. */
export async function open(page, { errors } = {}) {
  if (errors) {
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  }
  await page.goto('/');
  await expect(page.getByRole('region', { name: /^Rendered / }).first()).toContainText('AWSTemplateFormatVersion');
}

export async function pickExample(page, id, output) {
  await page.getByLabel('Example').selectOption(id);
  await expect(page.getByRole('region', { name: `Rendered ${output}` })).toBeVisible();
}

export function diagnostics(page) {
  return page.getByRole('region', { name: 'Diagnostics' });
}

/** Opens a secondary panel's tab (Diagnostics, Spec, Versions) and returns its region. */
export async function openPanel(page, name) {
  await page.getByRole('tab', { name: new RegExp(`^${name}\\b`) }).click();
  return page.getByRole('region', { name });
}

/** Loads a folder through the folder picker and waits until it is the workspace. */
export async function pickFolder(page, path) {
  await page.locator('#open-folder').setInputFiles(path);
  await expect(page.getByLabel('Example')).toHaveValue('');
}
