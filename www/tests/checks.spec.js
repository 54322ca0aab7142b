// The deep CloudFormation checks in the page: the worker fetches a service's property schemas
// when a template first uses the service (src/checks/data.rs), says so when it cannot, and values
// from mocked outputs are never judged.
import { test, expect } from '@playwright/test';
import { open, outputText, diagnostics, SHOTS } from './helpers.js';

const manifest = 'infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n';
const schema = 'schema:\n  format: {openapi: 3.0.0}\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        versioning: {type: string, default: Enabled}\n';
const bucket = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {{ environment.inputs.versioning }}\n';

async function load(page, name, files) {
  await page.evaluate(([n, f]) => window.protonPlayground.loadFiles(n, f), [name, files]);
}

test('a service\'s schemas are fetched on first use, once, and judge values at every depth', async ({ page }) => {
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/cfn-schemas/')) fetched.push(r.url().split('/assets/')[1]); });
  await open(page);
  await load(page, 'versioning', { 'schema/schema.yaml': schema, 'infrastructure/manifest.yaml': manifest, 'infrastructure/cloudformation.yaml': bucket });
  const typeError = diagnostics(page).locator('li', { hasText: 'cfn-value-type' });
  await expect(typeError).toContainText('VersioningConfiguration');
  await expect(typeError).toContainText('must be a mapping');
  expect(fetched).toContain('cfn-schemas/AWS-S3.txt');
  await page.screenshot({ path: `${SHOTS}/checks-value-type.png` });
  // Fixed through the form: the finding goes, the shard is not fetched again.
  await page.getByLabel('versioning').fill('{Status: On}');
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-allowed' })).toContainText('YAML 1.1 reads the boolean');
  await page.getByLabel('versioning').fill('{Status: Enabled}');
  await expect(diagnostics(page).locator('li', { hasText: /cfn-value/ })).toHaveCount(0);
  expect(fetched.filter((f) => f === 'cfn-schemas/AWS-S3.txt')).toHaveLength(1);
});

test('schemas that cannot be fetched are said, not silently skipped', async ({ page }) => {
  await page.route('**/cfn-schemas/**', (route) => route.abort());
  await open(page);
  await load(page, 'offline', { 'schema/schema.yaml': schema, 'infrastructure/manifest.yaml': manifest, 'infrastructure/cloudformation.yaml': bucket });
  const unavailable = diagnostics(page).locator('li', { hasText: 'cfn-data-unavailable' });
  await expect(unavailable).toContainText('AWS::S3');
  // Located at the resource whose checks were skipped.
  await expect(unavailable).toContainText('cloudformation.yaml:3');
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-type' })).toHaveCount(0);
});

for (const [what, contentType, body] of [
  ['a host\'s HTML page (a single-page app fallback)', 'text/html', '<!doctype html><title>app</title>'],
  ['a damaged file', 'text/plain', '{"AWS::S3::Bucket": '],
]) {
  test(`schemas answered with ${what} are said, not silently skipped`, async ({ page }) => {
    await page.route('**/cfn-schemas/**', (route) => route.fulfill({ status: 200, contentType, body }));
    await open(page);
    await load(page, 'not-data', { 'schema/schema.yaml': schema, 'infrastructure/manifest.yaml': manifest, 'infrastructure/cloudformation.yaml': bucket });
    await expect(diagnostics(page).locator('li', { hasText: 'cfn-data-unavailable' })).toContainText('AWS::S3');
  });
}

test('ID formats judge the template\'s own text, never mocked outputs', async ({ page }) => {
  await open(page);
  const serviceSchema = 'schema:\n  format: {openapi: 3.0.0}\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties:\n        name: {type: string, default: web}\n';
  const serviceManifest = manifest;
  const group = (vpc) => `Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: '{{ service_instance.inputs.name }}'\n      VpcId: ${vpc}\n`;
  await load(page, 'mocked-vpc', {
    'schema/schema.yaml': serviceSchema,
    'instance_infrastructure/manifest.yaml': serviceManifest,
    'instance_infrastructure/cloudformation.yaml': group("'{{ environment.outputs.VpcId }}'"),
  });
  // The page mocks the output it reads (a plausible value the user can edit in Mocks).
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toMatch(/VpcId: '[^'\s]+'/);
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-format' })).toHaveCount(0);
  // A placeholder mock is not a VPC ID, and not the template's fault: not judged.
  await page.getByLabel('Environment outputs VpcId').fill('mock-VpcId');
  await expect.poll(() => outputText(page, 'instance_infrastructure/cloudformation.yaml')).toContain("VpcId: 'mock-VpcId'");
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-format' })).toHaveCount(0);
  await load(page, 'literal-vpc', {
    'schema/schema.yaml': serviceSchema,
    'instance_infrastructure/manifest.yaml': serviceManifest,
    'instance_infrastructure/cloudformation.yaml': group('my-vpc'),
  });
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-format' })).toContainText('AWS::EC2::VPC.Id');
});

test('a SAM template: its own types and Globals are judged from the Serverless shard', async ({ page }) => {
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/cfn-schemas/')) fetched.push(r.url().split('/assets/')[1]); });
  await open(page);
  const sam = 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: {{ environment.inputs.versioning }}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: s3://bucket/key.zip\n      Events:\n        Nightly:\n          Type: Schedule\n          Properties:\n            Schedul: rate(1 day)\n';
  await load(page, 'sam', { 'schema/schema.yaml': schema, 'infrastructure/manifest.yaml': manifest, 'infrastructure/cloudformation.yaml': sam });
  const globals = diagnostics(page).locator('li', { hasText: 'cfn-value-type' });
  await expect(globals).toContainText('Function.Timeout');
  await expect(globals).toContainText('cloudformation.yaml:4');
  const misspelt = diagnostics(page).locator('li', { hasText: 'cfn-property' });
  await expect(misspelt).toContainText('Events.Nightly.Properties.Schedul');
  await expect(misspelt).toContainText('did you mean `Schedule`?');
  expect(fetched).toContain('cfn-schemas/AWS-Serverless.txt');
  await page.screenshot({ path: `${SHOTS}/checks-sam.png` });
  // The input fixed: only the event source's misspelt property is left.
  await page.getByLabel('versioning').fill('30');
  await expect(diagnostics(page).locator('li', { hasText: 'cfn-value-type' })).toHaveCount(0);
  await expect(misspelt).toHaveCount(1);
});
