// Starts the whole product for the browser test and the web benchmark: the API, a worker and the
// dashboard as child processes on free ports, and headless Chromium through playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from '../support.js';

/** Directory of the dashboard workspace. */
export const WEB_DIR = join(ROOT, 'apps', 'web');

/** Debian's Chromium, which playwright-core drives. */
export const CHROMIUM = process.env.AKD_CHROMIUM ?? '/usr/bin/chromium';

/** A process a test started, with its collected output. */
export interface Child {
  name: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `command args` in `cwd` with `env` added to this environment, collecting its output. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    // Keeps the last 200 kB, enough for the log of a failure.
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, output: () => output, exited };
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `timeoutMs`. */
export async function stopChild(child: Child | undefined, timeoutMs = 20_000): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

/** Returns a TCP port on 127.0.0.1 that was free when this ran. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `probe` every 250 ms until it returns a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(250);
  }
}

/** Waits until `url` answers with a status below 500; fails early when `child` exits. */
export async function waitForHttp(child: Child, url: string, timeoutMs: number): Promise<void> {
  await waitFor(
    `${child.name} at ${url}`,
    async () => {
      if (child.process.exitCode !== null) {
        throw new Error(`${child.name} exited with code ${child.process.exitCode}:\n${child.output()}`);
      }
      const response = await fetch(url).catch(() => null);
      return response && response.status < 500 ? true : null;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${child.name} output:\n${child.output()}`);
  });
}

/** Newest modification time, in ms, of the files under `dir` (node_modules and .next skipped). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.next') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/**
 * Runs `next build` unless `.next` holds a production build newer than the dashboard's and the
 * search-space library's sources. Returns the build time in ms, 0 when the build was current.
 */
export function ensureWebBuild(): number {
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  const sources = Math.max(
    newestMtime(WEB_DIR),
    newestMtime(join(ROOT, 'libs', 'search-space', 'src')),
    newestMtime(join(ROOT, 'libs', 'core', 'src')),
  );
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return 0;
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: WEB_DIR,
      encoding: 'utf8',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  return Date.now() - started;
}

/** Starts the API with `tsx` on a free port and waits for /health. */
export async function startApi(env: {
  DATABASE_URL: string;
  AKD_DATA_DIR: string;
  AKD_ADMIN_TOKEN: string;
}): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = startChild('API', process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], ROOT, {
    ...env,
    AKD_API_HOST: '127.0.0.1',
    AKD_API_PORT: String(port),
    AKD_API_POLL_MS: '300',
    AKD_LOG_LEVEL: 'warn',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${url}/health`, 90_000);
  return { child, url };
}

/** Starts one worker process with fast polling, as the worker tests configure it. */
export function startWorker(env: { DATABASE_URL: string; AKD_DATA_DIR: string }): Child {
  return startChild('worker', process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], ROOT, {
    ...env,
    AKD_DATASET: 'fashion-mnist-subset',
    AKD_WORKERS: '1',
    AKD_HEARTBEAT_SECONDS: '1',
    AKD_STATUS_POLL_SECONDS: '0.5',
    AKD_SEARCH_POLL_MAX_SECONDS: '0.5',
    AKD_QUEUE_POLL_SECONDS: '0.5',
    AKD_QUEUE_MAINTENANCE_SECONDS: '1',
    AKD_JOB_RETRY_DELAY_SECONDS: '1',
    AKD_LOG_LEVEL: 'warn',
  });
}

/** Starts the built dashboard (`next start`) on a free port, talking to the API at `apiUrl`. */
export async function startWeb(apiUrl: string): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = startChild(
    'dashboard',
    process.execPath,
    [
      join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
    ],
    WEB_DIR,
    { AKD_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${url}/sign-in`, 60_000);
  return { child, url };
}

/**
 * Launches headless Debian Chromium with no background traffic. Playwright gives every launch a
 * fresh temporary profile (user data directory), so no state leaks between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
