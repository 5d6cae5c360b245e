// The API and a worker, started as processes, against a throw-away embedded Postgres cluster that
// is down when they start and is restarted while a candidate trains. Both must wait for the
// database with backoff instead of exiting, and carry on once it is back.
//
// The embedded cluster listens on a new port each time it starts, so the services reach it
// through a TCP forwarder on a fixed port. A stopped cluster refuses the forwarded connections and
// ends the open ones, as a Postgres restart on a fixed port does.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { loadDatasetAt, locateDefaultDataset } from '@akd/data';
import { openDatabase, type Database } from '@akd/db';
import { registerDataset } from '@akd/runner';
import { freePort, startService, stopService, waitFor, type ServiceChild } from './support.js';

const ADMIN_TOKEN = 'outage-test-admin-token-0123456789abcdef';
const RETRY_LINE = /Cannot open the database; retrying/g;

/** Forwards connections on a fixed local port to `127.0.0.1:target`. */
class TcpForwarder {
  target = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TcpForwarder> {
    const server = createServer();
    const forwarder = new TcpForwarder(server);
    server.on('connection', (client) => forwarder.forward(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return forwarder;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  private forward(client: Socket): void {
    const upstream = createConnection(this.target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function retries(service: ServiceChild): number {
  return (service.output().match(RETRY_LINE) ?? []).length;
}

function isRunning(service: ServiceChild): boolean {
  return service.child.exitCode === null && service.child.signalCode === null;
}

describe('Postgres outage', () => {
  const savedDatabaseUrl = process.env.DATABASE_URL;
  let baseDir: string;
  let db: Database | null = null;
  let forwarder: TcpForwarder;
  let apiUrl: string;
  const services: ServiceChild[] = [];

  /** Starts the embedded cluster (again) and points the forwarder at its port. */
  async function startPostgres(): Promise<Database> {
    db = await openDatabase({ dataDir: baseDir });
    forwarder.target = Number(new URL(db.url).port);
    return db;
  }

  async function stopPostgres(): Promise<void> {
    await db?.close();
    db = null;
  }

  function forwardedUrl(): string {
    const url = new URL((db as Database).url);
    url.port = String(forwarder.port);
    return url.toString();
  }

  async function graphql(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return { status: response.status, body };
  }

  before(async () => {
    delete process.env.DATABASE_URL;
    baseDir = await mkdtemp(join(tmpdir(), 'akd-outage-'));
    // When the tests run as root, the cluster runs as the postgres user, which must enter this folder.
    await chmod(baseDir, 0o755);
    forwarder = await TcpForwarder.start();
    const database = await startPostgres();
    const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
    await registerDataset(database.prisma, location, await loadDatasetAt(location));
  });

  after(async () => {
    for (const service of services) await stopService(service);
    await stopPostgres();
    await forwarder?.close();
    await rm(baseDir, { recursive: true, force: true });
    if (savedDatabaseUrl !== undefined) process.env.DATABASE_URL = savedDatabaseUrl;
  });

  it('services wait for Postgres at start, then survive a restart mid-job', async () => {
    const databaseUrl = forwardedUrl();
    await stopPostgres();

    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const common = {
      DATABASE_URL: databaseUrl,
      AKD_DATA_DIR: join(baseDir, 'data'),
      AKD_CONNECT_RETRY_MAX_SECONDS: '1',
      AKD_DATASET: 'fashion-mnist-subset',
    };
    const api = startService('apps/api/src/main.ts', {
      ...common,
      AKD_API_PORT: String(apiPort),
      AKD_ADMIN_TOKEN: ADMIN_TOKEN,
      AKD_API_POLL_MS: '200',
    });
    const worker = startService('apps/worker/src/main.ts', {
      ...common,
      AKD_WORKERS: '1',
      AKD_HEARTBEAT_SECONDS: '1',
      AKD_STATUS_POLL_SECONDS: '0.5',
      AKD_SEARCH_POLL_MAX_SECONDS: '0.5',
      AKD_QUEUE_POLL_SECONDS: '0.5',
      AKD_QUEUE_MAINTENANCE_SECONDS: '1',
      AKD_JOB_RETRY_DELAY_SECONDS: '1',
      AKD_JOB_RETRY_BACKOFF: 'false',
      AKD_JOB_EXPIRE_SECONDS: 'search-step=20,candidate=20',
      AKD_SHUTDOWN_GRACE_SECONDS: '2',
    });
    services.push(api, worker);

    // Down at start: both retry and keep running.
    await waitFor(
      'two retries of each service',
      async () => (retries(api) >= 2 && retries(worker) >= 2) || null,
      60_000,
    );
    assert.ok(isRunning(api), `the API exited:\n${api.output()}`);
    assert.ok(isRunning(worker), `the worker exited:\n${worker.output()}`);
    assert.doesNotMatch(api.output() + worker.output(), new RegExp(new URL(databaseUrl).password));

    // Postgres comes up: the API responds and the worker registers.
    let database = await startPostgres();
    const datasets = await waitFor(
      'the API to respond',
      async () => {
        const reply = await graphql('{ datasets { id name } }').catch(() => null);
        return reply?.status === 200 ? (reply.body.data?.datasets as { id: string }[]) : null;
      },
      60_000,
    );
    assert.equal(datasets.length, 1);
    await waitFor(
      'the worker to register',
      async () => (await database.prisma.worker.count()) || null,
      60_000,
    );

    // A search whose candidates train for a few seconds each, so that the restart lands mid-training.
    const created = await graphql(
      `
        mutation ($input: CreateExperimentInput!) {
          createExperiment(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          name: 'outage',
          datasetId: datasets[0].id,
          searchBy: 'HARD_LABEL',
          strategy: 'RANDOM',
          latencyTargetMs: 1,
          budget: 3,
          generationSize: 1,
          seed: 3,
          proxy: { trainSize: 1500, valSize: 200, epochs: 2, batchSize: 50 },
          space: {
            inputShape: [28, 28, 1],
            numClasses: 10,
            stemFilters: 8,
            stemStride: 2,
            blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
            headFilters: 16,
            allowEmptyBlocks: false,
          },
        },
      },
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const experimentId = (created.body.data?.createExperiment as { id: string }).id;
    const training = await waitFor(
      'a candidate in training',
      () => database.prisma.candidate.findFirst({ where: { experimentId, status: 'training' } }),
      120_000,
    );

    // Restart mid-training. While Postgres is down the API responds with 503 and keeps running.
    await stopPostgres();
    const during = await graphql(`{ experiment(id: "${experimentId}") { status } }`);
    assert.equal(during.status, 503, JSON.stringify(during.body));
    assert.equal(during.body.errors?.[0]?.extensions?.code, 'UNAVAILABLE');
    assert.match(during.body.errors?.[0]?.message ?? '', /database is unreachable/);
    await sleep(3000);
    database = await startPostgres();

    await waitFor(
      'the experiment to finish',
      async () => {
        const row = await database.prisma.experiment.findUniqueOrThrow({ where: { id: experimentId } });
        return row.status === 'completed' || row.status === 'failed' ? row : null;
      },
      240_000,
    );
    const after = await graphql(
      `{ experiment(id: "${experimentId}") { status error progress { completed failed inProgress } } }`,
    );
    assert.equal(after.status, 200, JSON.stringify(after.body));
    assert.deepEqual(after.body.data?.experiment, {
      status: 'COMPLETED',
      error: null,
      progress: { completed: 3, failed: 0, inProgress: 0 },
    });
    const interrupted = await database.prisma.candidate.findUniqueOrThrow({ where: { id: training.id } });
    assert.equal(interrupted.status, 'completed');
    // The search step held a row lock on a session that the restart ended, so it stopped and its job ran again.
    const [searchStep] = await database.prisma.$queryRawUnsafe<{ retries: number }[]>(
      `SELECT coalesce(max(retry_count), 0)::int AS retries FROM pgboss.job
       WHERE name = 'search-step' AND singleton_key = $1`,
      experimentId,
    );
    assert.ok(searchStep.retries >= 1, 'the interrupted search step ran again');
    assert.ok(isRunning(api), 'the API is still running');
    assert.ok(isRunning(worker), 'the worker is still running');
  });
});
