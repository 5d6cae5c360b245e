import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError } from '@akd/core';
import { startDashboard, type Dashboard } from './dashboard.js';
import { GraphqlClient } from './graphql-client.js';
import { REPOSITORY_ROOT, ServiceProcess, urlHost } from './service-process.js';

/** Time the API and the worker get to become ready after they are started. */
const START_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 250;
/** Time the API gets to close after SIGTERM before it is killed. */
const API_STOP_TIMEOUT_MS = 15_000;

/** Settings of {@link startServices}. */
export interface ServiceOptions {
  /** Postgres URL that every service uses. */
  databaseUrl: string;
  /** Absolute AKD_DATA_DIR: artifacts, and the `logs/` folder of the services. */
  dataDir: string;
  apiHost: string;
  /** TCP port of the API; 0 picks a free one. */
  apiPort: number;
  /** Editor token, recorded by the API as AKD_ADMIN_TOKEN. */
  token: string;
  /** Candidate training processes of the worker (its AKD_WORKERS). */
  trainingProcesses: number;
  /** Search steps the worker runs at once (its AKD_SEARCH_CONCURRENCY). */
  searchConcurrency: number;
  /** Seconds the worker gives running jobs after SIGTERM (its AKD_SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceSeconds: number;
  /** Start the web dashboard on this port, or not at all when null. */
  dashboardPort: number | null;
}

/** The API, a worker and optionally the dashboard, started as child processes. */
export interface RunningServices {
  /** Base URL of the API, e.g. `http://127.0.0.1:4000`. */
  apiUrl: string;
  graphql: GraphqlClient;
  api: ServiceProcess;
  worker: ServiceProcess;
  /** Backend that the worker reported. */
  workerBackend: string;
  dashboard: Dashboard | null;
  /** Returns the first service that exited on its own, or null while all run. */
  exitedService(): ServiceProcess | null;
  /**
   * Stops the worker (running jobs get the grace period), then the dashboard and the API.
   * With `now`, the worker and its training processes are killed, and their jobs are retried later.
   */
  stop(options?: { now?: boolean }): Promise<void>;
}

/**
 * Checks that `port` on `host` is free (0 picks one) and returns the port to use. Throws
 * INVALID_INPUT naming the port and `flag` when it is in use.
 */
export async function claimPort(host: string, port: number, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `is in use: stop the process that listens there, or choose another port with ${flag} (0 picks a free one)`
          : `cannot be used: ${error.message}`;
      reject(new AkdError('INVALID_INPUT', `Port ${port} on ${host} ${reason}.`, { host, port }));
    });
    server.listen(port, host, () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}

/**
 * Polls `probe` every 250 ms until it returns a value, failing when `service` exits first or when
 * `timeoutMs` passes.
 */
async function waitUntil<T>(
  service: ServiceProcess,
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.exitStatus) throw new AkdError('UNAVAILABLE', service.describeExit());
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) {
      throw new AkdError(
        'UNAVAILABLE',
        `The ${service.name} did not ${what} within ${timeoutMs / 1000} s. See ${service.logPath}.`,
      );
    }
    await sleep(READY_POLL_MS);
  }
}

/**
 * Checks that the token may run mutations, with a query that needs an editor token. When the API
 * rejects the token, the error names where the token came from.
 */
async function checkToken(graphql: GraphqlClient, tokenSource: string): Promise<void> {
  try {
    await graphql.request('{ apiTokens { id } }');
  } catch (error) {
    if (error instanceof AkdError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) {
      throw new AkdError(
        'INVALID_INPUT',
        `The API rejected the editor token from ${tokenSource}: ${error.message} ` +
          'Set AKD_ADMIN_TOKEN to a valid editor token, or delete the token file so that the demo makes a new one.',
      );
    }
    throw error;
  }
}

/**
 * Starts the API and one worker (and the dashboard when asked) as child processes on the given
 * database, waits until the API returns 200 on /health and the worker has registered, and
 * checks the token. Logs go to `<dataDir>/logs/<service>.log`. On any failure the started
 * processes are stopped again.
 */
export async function startServices(options: ServiceOptions, tokenSource: string): Promise<RunningServices> {
  const apiPort = await claimPort(options.apiHost, options.apiPort, '--api-port');
  const dashboardPort =
    options.dashboardPort === null
      ? null
      : await claimPort(options.apiHost, options.dashboardPort, '--web-port');
  const apiUrl = `http://${urlHost(options.apiHost)}:${apiPort}`;
  const logs = join(options.dataDir, 'logs');
  const shared = { ...process.env, DATABASE_URL: options.databaseUrl, AKD_DATA_DIR: options.dataDir };

  const api = ServiceProcess.start(
    'API',
    { entry: join(REPOSITORY_ROOT, 'apps/api/src/main.ts') },
    {
      ...shared,
      AKD_API_HOST: options.apiHost,
      AKD_API_PORT: String(apiPort),
      AKD_ADMIN_TOKEN: options.token,
    },
    join(logs, 'api.log'),
  );
  const worker = ServiceProcess.start(
    'worker',
    { entry: join(REPOSITORY_ROOT, 'apps/worker/src/main.ts') },
    {
      ...shared,
      AKD_WORKERS: String(options.trainingProcesses),
      AKD_SEARCH_CONCURRENCY: process.env.AKD_SEARCH_CONCURRENCY || String(options.searchConcurrency),
      AKD_SHUTDOWN_GRACE_SECONDS:
        process.env.AKD_SHUTDOWN_GRACE_SECONDS || String(options.shutdownGraceSeconds),
    },
    join(logs, 'worker.log'),
  );
  let dashboard: Dashboard | null = null;

  const stop = async ({ now = false } = {}): Promise<void> => {
    // Killed with its training processes, the worker leaves its running jobs active. A worker
    // started later retries them once this worker's heartbeat is older than
    // AKD_WORKER_STALE_SECONDS (60 s by default).
    if (now) worker.killGroup();
    // The worker stops first, because it waits for running candidates and needs no API.
    await worker.stop(now ? API_STOP_TIMEOUT_MS : (options.shutdownGraceSeconds + 60) * 1000);
    await dashboard?.process.stop(API_STOP_TIMEOUT_MS);
    await api.stop(API_STOP_TIMEOUT_MS);
  };

  try {
    const graphql = new GraphqlClient(apiUrl, options.token);
    await waitUntil(api, `answer ${apiUrl}/health`, async () => {
      const response = await fetch(`${apiUrl}/health`);
      return response.status === 200 ? true : null;
    });
    await checkToken(graphql, tokenSource);
    const workerBackend = await waitUntil(worker, 'register', async () => {
      const data = await graphql.request<{ workers: { pid: number; backend: string }[] }>(
        '{ workers(aliveOnly: true) { pid backend } }',
      );
      return data.workers.find((row) => row.pid === worker.pid)?.backend ?? null;
    });
    if (dashboardPort !== null) {
      dashboard = await startDashboard({
        host: options.apiHost,
        port: dashboardPort,
        apiUrl,
        env: shared,
        logPath: join(logs, 'web.log'),
      });
    }
    const started = dashboard;
    return {
      apiUrl,
      graphql,
      api,
      worker,
      workerBackend,
      dashboard: started,
      exitedService: () =>
        [api, worker, started?.process].find(
          (service): service is ServiceProcess => service !== undefined && service.exitStatus !== null,
        ) ?? null,
      stop,
    };
  } catch (error) {
    await stop({ now: true });
    throw error;
  }
}
