import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError } from '@akd/core';
import { REPOSITORY_ROOT, ServiceProcess, urlHost } from './service-process.js';

/** Workspace of the web dashboard. */
const WEB_WORKSPACE = 'apps/web';
/** npm script of the workspace that serves the dashboard. */
const START_SCRIPT = 'start';
const START_TIMEOUT_MS = 180_000;

/** Settings of {@link startDashboard}. */
export interface DashboardOptions {
  host: string;
  port: number;
  /** Base URL of the API the dashboard talks to. */
  apiUrl: string;
  env: NodeJS.ProcessEnv;
  logPath: string;
}

/** A running dashboard. */
export interface Dashboard {
  url: string;
  process: ServiceProcess;
}

/**
 * Starts the web dashboard with `npm run start --workspace apps/web -- --port PORT --hostname HOST`,
 * with the API's address in AKD_API_URL, and waits until its first page responds. Throws
 * INVALID_INPUT when this checkout has no dashboard workspace, no start script or no build.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const manifestPath = join(REPOSITORY_ROOT, WEB_WORKSPACE, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new AkdError(
      'INVALID_INPUT',
      `--web needs the dashboard in ${WEB_WORKSPACE}, which this checkout does not have. Run the demo without --web.`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { scripts?: Record<string, string> };
  if (!manifest.scripts?.[START_SCRIPT]) {
    throw new AkdError(
      'INVALID_INPUT',
      `--web runs the "${START_SCRIPT}" script of ${manifestPath}, which has none. Run the demo without --web.`,
    );
  }

  if (!existsSync(join(REPOSITORY_ROOT, WEB_WORKSPACE, '.next', 'BUILD_ID'))) {
    throw new AkdError(
      'INVALID_INPUT',
      '--web serves the production build of the dashboard, which is missing: run "npm run web:build" once, then the demo again.',
    );
  }

  const url = `http://${urlHost(options.host)}:${options.port}`;
  // Options after "--" go to the script's command (next start); the last --port wins.
  const args = ['run', START_SCRIPT, '--workspace', WEB_WORKSPACE, '--'];
  args.push('--port', String(options.port), '--hostname', options.host);
  const service = ServiceProcess.start(
    'dashboard',
    { command: 'npm', args },
    { ...options.env, AKD_API_URL: options.apiUrl },
    options.logPath,
  );
  // NOTE: npm is not a Node process started with the preload that stops the API and the worker
  // when the demo dies, so a dashboard outlives a demo that is killed with SIGKILL.
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (service.exitStatus) throw new AkdError('UNAVAILABLE', service.describeExit());
    const status = await fetch(url, { redirect: 'manual' }).then(
      (response) => response.status,
      () => null,
    );
    if (status !== null && status < 500) return { url, process: service };
    if (Date.now() > deadline) {
      await service.stop(10_000);
      throw new AkdError(
        'UNAVAILABLE',
        `The dashboard did not answer ${url} within ${START_TIMEOUT_MS / 1000} s. See ${service.logPath}.`,
      );
    }
    await sleep(250);
  }
}
