// The dashboard in a real browser against the real product. Postgres, the API, a worker and the
// production build of the Next.js app run as child processes, and headless Debian Chromium drives
// the pages. Every page visited is saved as a PNG under var/screenshots/web.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { ROOT } from '../support.js';
import { seedShippedTeacher, seedSubset, type SeededDataset } from './seed.js';
import {
  ensureWebBuild,
  launchChromium,
  startApi,
  startWeb,
  startWorker,
  stopChild,
  type Child,
} from './stack.js';

const SCREENSHOTS = join(ROOT, 'var', 'screenshots', 'web');
const ADMIN_TOKEN = `akd_browser_test_${'x'.repeat(32)}`;

/** A one-block space whose candidates train in about a second on the proxy task below. */
const TINY_SPACE = {
  inputShape: [28, 28, 1],
  numClasses: 10,
  stemFilters: 8,
  stemStride: 2,
  blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
  headFilters: 16,
  allowEmptyBlocks: false,
};

let db: TestDatabase;
let dataDir: string;
let seeded: SeededDataset;
let teacherId: string;
let api: { child: Child; url: string };
let worker: Child;
let web: { child: Child; url: string };
let browser: Browser;
let shot = 0;

/** Saves a full-page screenshot named after the step. */
async function screenshot(page: Page, name: string): Promise<void> {
  shot++;
  await page.screenshot({
    path: join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

/** Encodes a float32 matrix of `rows` × `columns` as a NumPy .npy file (format 1.0). */
function npyMatrix(rows: number, columns: number, value: (row: number, column: number) => number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  // The magic, version and length take 10 bytes; the header ends with a newline at a multiple of 16.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 16) * 16 - 10 - 1, ' ') + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(rows * columns * 4);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++)
      data.writeFloatLE(value(row, column), (row * columns + column) * 4);
  }
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

/** Sends a GraphQL request to the API with the admin token. */
async function adminGraphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: { message: string }[] };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Creates an API token with `role` and returns its secret and id. */
async function createToken(name: string, role: 'EDITOR' | 'READER'): Promise<{ token: string; id: string }> {
  const data = await adminGraphql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }',
    { input: { name, role } },
  );
  return { token: data.createApiToken.token, id: data.createApiToken.apiToken.id };
}

/** Opens a new browser context and signs in with `token`. */
async function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(`${web.url}/sign-in`);
  await page.fill('#token', token);
  await page.click('main button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 30_000 });
  return { context, page };
}

/** Returns the end of the services' logs, which show why a step of the product did not happen. */
function logs(): string {
  return [api, { child: worker }, web]
    .map(({ child }) => `--- ${child.name}\n${child.output().slice(-4000)}`)
    .join('\n');
}

before(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'akd-web-test-'));
  process.env.AKD_DATA_DIR = dataDir;
  // Built before anything starts, so that the build has both cores.
  const buildMs = ensureWebBuild();
  if (buildMs > 0) console.log(`next build took ${(buildMs / 1000).toFixed(1)} s`);
  db = await createTestDatabase();
  seeded = await seedSubset(db.prisma);
  teacherId = (await seedShippedTeacher(db.prisma, seeded)).id;
  const env = { DATABASE_URL: db.url, AKD_DATA_DIR: dataDir };
  api = await startApi({ ...env, AKD_ADMIN_TOKEN: ADMIN_TOKEN });
  worker = startWorker(env);
  web = await startWeb(api.url);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stopChild(web?.child);
  await stopChild(worker);
  await stopChild(api?.child);
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard', () => {
  let experimentId: string;
  let modelId: string;

  it('rejects an unknown token at sign-in', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/`);
    assert.match(
      new URL(page.url()).pathname,
      /^\/sign-in/,
      'the overview redirects to sign-in without a session',
    );
    await page.fill('#token', 'akd_not_a_token');
    await page.click('main button[type=submit]');
    const error = page.locator('#sign-in-error');
    await error.waitFor();
    assert.match(await error.innerText(), /unknown or was revoked/);
    await screenshot(page, 'sign-in-rejected');
    await page.close();
  });

  it('runs an experiment from the form to a downloaded model', { timeout: 240_000 }, async () => {
    const { context, page } = await signIn(ADMIN_TOKEN);
    await page.locator('h1', { hasText: 'Overview' }).waitFor();
    await screenshot(page, 'overview');

    // Invalid values: each field shows its message and nothing reaches the API.
    await page.goto(`${web.url}/experiments/new`);
    await page.locator('form[data-hydrated="true"]').waitFor();
    await page.fill('#experiment-budget', '0');
    await page.fill('#experiment-kdLambda', '1.5');
    const submit = page.locator('form[data-hydrated] button[type=submit]');
    await submit.click();
    await page.locator('[data-field-error]').first().waitFor();
    assert.equal(
      await page.locator('[data-field-error="experiment-name"]').innerText(),
      'Name must be 1 to 200 characters.',
    );
    assert.equal(
      await page.locator('[data-field-error="experiment-budget"]').innerText(),
      'Budget must be from 1 to 5000.',
    );
    assert.equal(
      await page.locator('[data-field-error="experiment-kdLambda"]').innerText(),
      'Lambda must be between 0 and 1.',
    );
    await screenshot(page, 'new-experiment-invalid');
    assert.equal(await db.prisma.experiment.count(), 0, 'an invalid form creates no experiment');

    // A value only the API can check: its message appears next to the field and the form keeps its values.
    await page.fill('#experiment-name', 'browser test');
    await page.fill('#experiment-budget', '2');
    await page.fill('#experiment-kdLambda', '0.5');
    await page.click('summary:has-text("Custom search space")');
    await page.fill('#experiment-space', JSON.stringify({ ...TINY_SPACE, stemStride: 3 }));
    await submit.click();
    const spaceError = page.locator('[data-field-error="experiment-space"]');
    await spaceError.waitFor();
    assert.match(await spaceError.innerText(), /stemStride is 3/);
    assert.equal(await page.inputValue('#experiment-name'), 'browser test', 'the form keeps its values');
    assert.equal(await db.prisma.experiment.count(), 0, 'a rejected input creates no experiment');
    await screenshot(page, 'new-experiment-api-error');

    // A tiny search by distillation from the shipped teacher.
    assert.equal(
      await page.inputValue('#experiment-teacherId'),
      teacherId,
      'the ready teacher is preselected',
    );
    await page.selectOption('#experiment-strategy', 'RANDOM');
    await page.fill('#experiment-latencyTargetMs', '1');
    await page.fill('#experiment-generationSize', '2');
    await page.fill('#experiment-proxy-trainSize', '200');
    await page.fill('#experiment-proxy-valSize', '100');
    await page.fill('#experiment-proxy-epochs', '1');
    await page.fill('#experiment-proxy-batchSize', '50');
    await page.fill('#experiment-space', JSON.stringify(TINY_SPACE));
    await submit.click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    experimentId = new URL(page.url()).pathname.split('/').pop()!;

    // The page follows the search live until it completes.
    await page.locator('[data-testid="experiment-page"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="experiment-status"]', { hasText: 'completed' })
      .waitFor({ timeout: 150_000 })
      .catch((error: unknown) => assert.fail(`the search did not complete: ${String(error)}\n${logs()}`));
    await page.locator('[data-testid="completed-count"]', { hasText: '2' }).waitFor({ timeout: 10_000 });
    await page
      .locator('[data-testid="candidates-table"] tbody tr[data-candidate-id]')
      .nth(1)
      .waitFor({ timeout: 10_000 });
    assert.equal(
      await page.locator('[data-testid="candidates-table"] tbody tr[data-candidate-id]').count(),
      2,
    );
    assert.equal(await page.locator('[data-chart="rewards"][data-rendered="true"]').count(), 1);
    assert.equal(await page.locator('[data-chart="pareto"][data-rendered="true"]').count(), 1);
    await page.locator('.arch-block').first().waitFor();
    // The structure analysis loads once scrolled into view.
    await page.locator('[data-structure]').scrollIntoViewIfNeeded();
    await page.locator('[data-structure="loaded"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-chart="ops"][data-rendered="true"]').waitFor();
    await page.locator('[data-chart="pca"][data-rendered="true"]').waitFor();
    await screenshot(page, 'experiment-completed');

    // One final model of one epoch, then its download.
    await page.fill('#final-topk', '1');
    await page.fill('#final-epochs', '1');
    await page.click('form[aria-label="Train final models"] button[type=submit]');
    const download = page.locator('tr[data-model-id] a', { hasText: 'Download .zip' });
    await download
      .waitFor({ timeout: 120_000 })
      .catch((error: unknown) =>
        assert.fail(`the final model did not complete: ${String(error)}\n${logs()}`),
      );
    modelId = (await page.locator('tr[data-model-id]').getAttribute('data-model-id'))!;
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const path = join(dataDir, 'model.zip');
    await file.saveAs(path);
    const bytes = readFileSync(path);
    assert.ok(bytes.length > 1000, `the archive has ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the download is a zip archive');
    await screenshot(page, 'experiment-final-model');

    // The student appears on its teacher's leaderboard.
    await page.goto(`${web.url}/leaderboards?dataset=${seeded.row.id}`);
    const board = page.locator('[data-leaderboard="vgg"]');
    await board.waitFor();
    const best = await db.prisma.candidate.findFirst({
      where: { experimentId, status: 'completed' },
      orderBy: { proxyAccuracy: 'desc' },
    });
    assert.ok(best);
    assert.equal(
      (await board.locator(`tr[data-candidate-id="${best.id}"]`).count()) > 0,
      true,
      'the best student is listed',
    );
    await screenshot(page, 'leaderboards');

    // The teacher comparison ranks the teacher that produced a student.
    await page.goto(`${web.url}/teachers/compare?dataset=${seeded.row.id}&target=1000`);
    const advice = page.locator('[data-testid="teacher-advice"] tbody tr').first();
    await advice.waitFor();
    assert.match(await advice.innerText(), /^1\s+vgg/);
    await screenshot(page, 'teacher-comparison');

    // A latency table of the experiment's space, measured in this browser and uploaded.
    await page.goto(`${web.url}/latency/measure?experiment=${experimentId}`);
    const settings = page.locator('form[aria-label="Measurement settings"]');
    await settings.waitFor();
    await page.fill('#measure-warmup', '1');
    await page.fill('#measure-runs', '3');
    await page.fill('#measure-networks', '4');
    await settings.locator('button[type=submit]').click();
    const measured = page.locator('[data-testid="measured-profile"]');
    await measured.waitFor({ timeout: 60_000 });
    assert.match(await measured.innerText(), /Backend\s+wasm/);
    await page.fill('#profile-name', 'browser test profile');
    await measured.locator('button', { hasText: 'Upload profile' }).click();
    await page.locator('[role="status"]', { hasText: 'Saved as' }).waitFor();
    const profile = await db.prisma.latencyProfile.findUnique({ where: { name: 'browser test profile' } });
    assert.ok(profile, 'the profile is stored');
    assert.equal(profile.source, 'browser');
    assert.ok(Object.keys(profile.table as object).length > 10, 'the table has an entry per part');
    await screenshot(page, 'latency-measured');

    // A teacher imported from logits through the upload form and the dashboard's REST proxy.
    await page.goto(`${web.url}/teachers?dataset=${seeded.row.id}`);
    const importForm = page.locator('section[aria-label="Import a teacher from logits"]');
    await importForm.waitFor();
    await page.fill('#import-name', 'browser-imported');
    await page.setInputFiles('#import-train', {
      name: 'train.npy',
      mimeType: 'application/octet-stream',
      buffer: npyMatrix(seeded.dataset.train.count, 10, (row, column) => (column === row % 10 ? 3 : 0)),
    });
    await importForm.locator('button[type=submit]').click();
    await importForm
      .locator('[role="status"], [role="alert"]')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        await screenshot(page, 'teacher-import-failed');
        assert.fail(`the import form did not answer: ${String(error)}\n${logs()}`);
      });
    assert.match(
      await importForm.locator('[role="status"], [role="alert"]').first().innerText(),
      /Teacher imported/,
    );
    const imported = await db.prisma.teacher.findFirst({ where: { name: 'browser-imported' } });
    assert.equal(imported?.status, 'ready', 'the imported teacher is ready');
    await page.locator('table[aria-label="Teachers"] a', { hasText: 'browser-imported' }).waitFor();

    // The model's lineage and every other page.
    await page.goto(`${web.url}/models/${modelId}`);
    await page.locator('h2', { hasText: 'Lineage' }).waitFor();
    assert.match(await page.locator('main').innerText(), /browser test/);
    await screenshot(page, 'model');
    for (const [path, heading, name] of [
      ['/experiments', 'Experiments'],
      ['/teachers', 'Teachers'],
      [`/teachers/${teacherId}`, 'Teacher vgg', 'teacher'],
      ['/models', 'Models'],
      ['/studies', 'Studies'],
      ['/latency', 'Latency profiles'],
      ['/latency/measure', 'Measure a latency profile in this browser'],
      ['/workers', 'Workers'],
    ] as [string, string, string?][]) {
      await page.goto(`${web.url}${path}`);
      await page.locator('h1', { hasText: heading }).waitFor({ timeout: 15_000 });
      await screenshot(page, name ?? path.slice(1).replace(/\//g, '-'));
    }
    await context.close();
  });

  it('shows a not-found page with a way back for unknown ids', async () => {
    const { context, page } = await signIn(ADMIN_TOKEN);
    for (const path of [
      '/experiments/00000000-0000-4000-8000-000000000000',
      '/experiments/not-an-id',
      '/teachers/00000000-0000-4000-8000-000000000000',
      '/studies/00000000-0000-4000-8000-000000000000',
      '/models/00000000-0000-4000-8000-000000000000',
    ]) {
      const response = await page.goto(`${web.url}${path}`);
      assert.equal(response?.status(), 404, path);
      await page.locator('h1', { hasText: 'Not found' }).waitFor();
      assert.equal(await page.locator('main a[href="/"]').count(), 1, `${path} links back to the overview`);
    }
    await screenshot(page, 'not-found');
    await context.close();
  });

  it('hides edit controls from a read-only token, and the API refuses its mutations', async () => {
    assert.ok(experimentId, 'the experiment test ran first');
    const reader = await createToken('browser reader', 'READER');
    const { context, page } = await signIn(reader.token);
    assert.equal(await page.locator('.role').innerText(), 'Read-only');
    await page.goto(`${web.url}/experiments/${experimentId}`);
    await page.locator('[data-testid="experiment-page"][data-ready="true"]').waitFor();
    assert.equal(await page.locator('[aria-label="Experiment controls"]').count(), 0, 'no lifecycle buttons');
    assert.equal(await page.locator('form[aria-label="Train final models"]').count(), 0, 'no training form');
    await screenshot(page, 'experiment-read-only');
    await page.goto(`${web.url}/experiments/new`);
    assert.match(await page.locator('main').innerText(), /This token is read-only/);

    // Forcing the mutation through the dashboard's proxy reaches the API, which refuses it.
    const reply = await page.evaluate(async (id) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($id: ID!) { cancelExperiment(id: $id) { id } }',
          variables: { id },
        }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
      };
    }, experimentId);
    assert.equal(reply.status, 403, JSON.stringify(reply.body));
    assert.equal(reply.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await context.close();
  });

  it('returns to sign-in with a message once the token is revoked', async () => {
    const revoked = await createToken('browser revoked', 'READER');
    const { context, page } = await signIn(revoked.token);
    await adminGraphql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: revoked.id });
    await page.goto(`${web.url}/workers`);
    await page.waitForURL(/\/sign-in\?reason=expired/);
    assert.match(await page.locator('[role="status"]').innerText(), /no longer accepts the token/);
    await screenshot(page, 'sign-in-expired');
    await context.close();
  });
});
