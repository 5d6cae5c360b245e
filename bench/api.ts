// Measures the latency of the GraphQL API under concurrent reads of a large search history:
//
// - seeds a throw-away database with one dataset, one teacher, --experiments experiments and
//   --candidates candidates spread evenly over them, with their generations. The database is
//   created on the test server (TEST_DATABASE_URL, or postgresql://postgres@127.0.0.1:5432/postgres)
//   and dropped at the end. All experiments but the last distil from the teacher, and the last one
//   searches on hard labels. Genomes are sampled from the default 28x28x1 space, and accuracies,
//   latencies and rewards are drawn so that larger students are slower and more accurate. Rows go
//   in with multi-row INSERTs of unnest() arrays, then VACUUM ANALYZE runs.
// - starts the API (apps/api/src/main.ts) on 127.0.0.1 against that database as a deployment does:
//   with NODE_ENV=production and AKD_API_PROCESSES unset, so one process per core (at most 4),
//   unless --api-processes sets it. It waits until every API process listens and prints how many there are.
// - runs --clients concurrent clients, each sending its next request as soon as the previous reply
//   arrived (a closed loop), or --think-ms milliseconds after it, for --duration seconds or
//   --requests requests, after --warmup seconds of unmeasured requests. Each client alternates the
//   queries that --queries names, by default both of these:
//   `experiment(id) { candidates(first: 50, orderBy: REWARD_DESC) { ... } }` on a random experiment
//   and `leaderboard(datasetId, teacherId, maxLatencyMs)` with a random filter.
// - prints p50/p95/p99 of the wall time per request (from sending it to reading the whole reply),
//   requests, throughput, errors, the CPU time of the API processes per request and the machine.
//
//   npm run bench:api -- [--candidates 100000] [--experiments 4] [--clients 20] [--duration 30]
//                        [--requests N] [--warmup 5] [--think-ms 0] [--queries candidates,leaderboard]
//                        [--api-processes N|auto] [--keep] [--cpu-prof DIR] [--json]
//
// --keep leaves the seeded database in place and prints its URL, for EXPLAIN ANALYZE in psql. Drop
// it with `DROP DATABASE <name>` afterwards. --cpu-prof DIR runs the API with Node's --cpu-prof,
// which writes one CPU profile per API process to DIR when the API stops.
// With --json the last line is {"candidatesP95Ms":…,"leaderboardP95Ms":…,"requests":…,"errors":…,…}
// with the percentiles of both queries, the API processes and their CPU time per request.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Rng } from '@akd/core';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import {
  countFlops,
  countParams,
  defaultSearchSpace,
  genomeHash,
  sampleGenome,
  type SearchSpace,
} from '@akd/search-space';
import { apiProcessesFromEnv } from '../apps/api/src/cluster/processes.js';
import { describeMachine, formatLoadNow, formatMachine, round } from './machine.js';

const { values: args } = parseArgs({
  options: {
    candidates: { type: 'string' },
    experiments: { type: 'string' },
    clients: { type: 'string' },
    duration: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    'think-ms': { type: 'string' },
    queries: { type: 'string' },
    'api-processes': { type: 'string' },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

/** Prints an invalid-option message and exits with status 2, as command-line tools do for usage errors. */
function exitWithUsageError(message: string): never {
  console.error(message);
  process.exit(2);
}

function numberOption(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    exitWithUsageError(`Invalid --${name} ${text}: use a whole number of at least ${min}.`);
  }
  return value;
}

const CANDIDATES = numberOption('candidates', args.candidates, 100_000, 1);
const EXPERIMENTS = numberOption('experiments', args.experiments, 4, 2);
const CLIENTS = numberOption('clients', args.clients, 20, 1);
const DURATION_S = numberOption('duration', args.duration, 30, 1);
const REQUEST_LIMIT = args.requests === undefined ? null : numberOption('requests', args.requests, 0, 1);
const WARMUP_S = numberOption('warmup', args.warmup, 5, 0);
const THINK_MS = numberOption('think-ms', args['think-ms'], 0, 0);
const KINDS = (args.queries ?? 'candidates,leaderboard').split(',').map((kind) => kind.trim());
if (KINDS.some((kind) => kind !== 'candidates' && kind !== 'leaderboard')) {
  exitWithUsageError(
    `Invalid --queries ${args.queries}: use candidates, leaderboard or both, separated by a comma.`,
  );
}
/** Environment of the API processes: AKD_API_PROCESSES only when --api-processes sets it. */
const API_PROCESS_ENV: Record<string, string> =
  args['api-processes'] === undefined ? {} : { AKD_API_PROCESSES: args['api-processes'] };
if (args['api-processes'] !== undefined && !/^(auto|[1-9]\d*)$/.test(args['api-processes'])) {
  exitWithUsageError(
    `Invalid --api-processes ${args['api-processes']}: use a whole number of at least 1, or auto.`,
  );
}
let API_PROCESSES: number;
try {
  API_PROCESSES = apiProcessesFromEnv({ ...process.env, ...API_PROCESS_ENV });
} catch (error) {
  exitWithUsageError((error as Error).message);
}
const PAGE_SIZE = 50;
const GENERATION_SIZE = 8;
const LATENCY_TARGET_MS = 6;
const REWARD_EXPONENT = -0.07;
/** Rows per INSERT statement. */
const INSERT_BATCH = 5000;
const ADMIN_TOKEN = `bench-${randomBytes(24).toString('hex')}`;
/** USER_HZ of Linux, the unit of the CPU times in /proc/<pid>/stat; 100 on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

const CANDIDATES_QUERY = `query Candidates($id: ID!) {
  experiment(id: $id) {
    id
    name
    candidates(first: ${PAGE_SIZE}, orderBy: REWARD_DESC) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id generation genomeHash genome architecture params flops latencyMs proxyAccuracy
          proxyTop5 reward status trainMs
        }
      }
    }
  }
}`;

const LEADERBOARD_QUERY = `query Leaderboard($datasetId: ID!, $teacherId: ID, $maxLatencyMs: Float) {
  leaderboard(datasetId: $datasetId, teacherId: $teacherId, maxLatencyMs: $maxLatencyMs) {
    rank accuracy latencyMs experimentId experimentName teacherId
    candidate { id architecture params flops reward }
  }
}`;

// --- ids ---

/** Returns a UUIDv7 for `timeMs` (48-bit time, version 7, RFC 4122 variant, random rest). */
function uuidV7(timeMs: number, rng: Rng): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(timeMs / 2 ** (8 * (5 - i))) & 0xff;
  for (let i = 6; i < 16; i++) bytes[i] = rng.int(256);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// --- seeding ---

interface SeededIds {
  datasetId: string;
  teacherId: string;
  experimentIds: string[];
}

/** Inserts `rows` (objects of one shape) with `INSERT ... SELECT * FROM unnest(...)`, `INSERT_BATCH` rows at a time. */
async function insertRows(
  client: pg.Client,
  table: string,
  columns: [name: string, sqlType: string][],
  rows: unknown[][],
): Promise<void> {
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    await client.query(
      sql,
      columns.map((_, column) => batch.map((row) => row[column])),
    );
  }
}

/** Beta-like draw in (0, 1) around `mean`, from the mean of `n` uniform draws. */
function around(rng: Rng, mean: number, spread: number): number {
  const u = (rng.next() + rng.next() + rng.next()) / 3 - 0.5;
  return Math.min(0.999, Math.max(0.001, mean + 2 * spread * u));
}

async function seed(db: TestDatabase): Promise<SeededIds> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const rng = new Rng(2026);
    const space: SearchSpace = defaultSearchSpace([28, 28, 1], 10);
    const started = Date.now() - 7 * 24 * 3600 * 1000;
    const datasetId = uuidV7(started, rng);
    const teacherId = uuidV7(started + 1, rng);
    await client.query(
      `INSERT INTO datasets (id, name, kind, directory, input_height, input_width, input_channels, num_classes,
         class_names, train_count, test_count, fingerprint, updated_at)
       VALUES ($1, 'bench-fashion-mnist', 'idx', '/nonexistent', 28, 28, 1, 10, $2, 60000, 10000, $3, now())`,
      [
        datasetId,
        JSON.stringify(Array.from({ length: 10 }, (_, i) => `class ${i}`)),
        randomBytes(32).toString('hex'),
      ],
    );
    await client.query(
      `INSERT INTO teachers (id, dataset_id, name, source, family, config, training_settings, status,
         test_accuracy, params, flops, updated_at)
       VALUES ($1, $2, 'resnet', 'zoo', 'resnet', '{}', '{}', 'ready', 0.93, 2700000, 410000000, now())`,
      [teacherId, datasetId],
    );

    const experimentIds: string[] = [];
    const perExperiment = Math.ceil(CANDIDATES / EXPERIMENTS);
    let remaining = CANDIDATES;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const count = Math.min(perExperiment, remaining);
      remaining -= count;
      const distillation = e < EXPERIMENTS - 1;
      const experimentId = uuidV7(started + 1000 * (e + 1), rng);
      experimentIds.push(experimentId);
      await client.query(
        `INSERT INTO experiments (id, name, dataset_id, teacher_id, strategy, strategy_options, search_by, latency_model,
           latency_target_ms, reward_alpha, reward_beta, search_space, proxy_settings, kd_settings, budget,
           generation_size, seed, status, started_at, updated_at)
         VALUES ($1, $2, $3, $4, 'policy-gradient', '{}', $5, 'measured', $6, $7, $7, $8, $9, $10, $11, $12, $13,
           'running', now(), now())`,
        [
          experimentId,
          `bench search ${e + 1}`,
          datasetId,
          distillation ? teacherId : null,
          distillation ? 'distillation' : 'hard-label',
          LATENCY_TARGET_MS,
          REWARD_EXPONENT,
          JSON.stringify(space),
          JSON.stringify({
            trainSize: 2000,
            valSize: 1000,
            epochs: 2,
            batchSize: 32,
            learningRate: 0.005,
            seed: 1,
          }),
          JSON.stringify({ lambda: 0.5, temperature: 2 }),
          Math.min(5000, count),
          GENERATION_SIZE,
          e + 1,
        ],
      );
      await seedCandidates(client, rng, space, experimentId, count, started + 1000 * (e + 1), distillation);
    }
    await client.query('VACUUM ANALYZE');
    return { datasetId, teacherId, experimentIds };
  } finally {
    await client.end();
  }
}

async function seedCandidates(
  client: pg.Client,
  rng: Rng,
  space: SearchSpace,
  experimentId: string,
  count: number,
  startMs: number,
  distillation: boolean,
): Promise<void> {
  const seen = new Set<string>();
  const rows: unknown[][] = [];
  const generations = new Map<number, { ids: string[]; rewards: number[]; accuracies: number[] }>();
  for (let i = 0; i < count; i++) {
    let genome = sampleGenome(space, rng);
    let hash = genomeHash(space, genome);
    while (seen.has(hash)) {
      genome = sampleGenome(space, rng);
      hash = genomeHash(space, genome);
    }
    seen.add(hash);
    const flops = countFlops(space, genome);
    const params = countParams(space, genome);
    const generation = Math.floor(i / GENERATION_SIZE);
    // The newest generation is still in training, and about 3% of the others failed.
    const last = i >= count - GENERATION_SIZE;
    let status: 'training' | 'pending' | 'failed' | 'completed' = rng.next() < 0.03 ? 'failed' : 'completed';
    if (last) status = i % 2 === 0 ? 'training' : 'pending';
    const size = Math.log10(flops) - 6;
    const accuracy =
      status === 'completed' ? around(rng, 0.72 + 0.05 * size + (distillation ? 0.02 : 0), 0.08) : null;
    const latencyMs = status === 'completed' ? (0.4 * flops ** 0.35 * (0.6 + 0.8 * rng.next())) / 28 : null;
    const reward =
      accuracy !== null && latencyMs !== null
        ? accuracy * (latencyMs / LATENCY_TARGET_MS) ** REWARD_EXPONENT
        : null;
    const createdMs = startMs + i * 4000;
    const id = uuidV7(createdMs, rng);
    const metrics =
      status === 'completed'
        ? JSON.stringify({
            accuracy,
            latencyMs,
            params,
            flops,
            top5: Math.min(1, (accuracy as number) + 0.15),
            losses: [1.8 - rng.next() * 0.3, 1.1 - rng.next() * 0.3],
            valAccuracyByEpoch: [(accuracy as number) * 0.85, accuracy],
            latencySamplesMs: Array.from(
              { length: 5 },
              () => (latencyMs as number) * (0.95 + 0.1 * rng.next()),
            ),
          })
        : null;
    rows.push([
      id,
      experimentId,
      generation,
      JSON.stringify(genome),
      hash,
      params,
      flops,
      latencyMs,
      'measured',
      accuracy,
      accuracy === null ? null : Math.min(1, accuracy + 0.15),
      metrics,
      reward,
      status,
      status === 'pending' ? 0 : 1,
      status === 'completed' ? 2000 + rng.int(6000) : null,
      status === 'completed' ? 'wasm' : null,
      status === 'pending' ? null : 'bench-host',
      status === 'failed' ? 'Training diverged: the loss became NaN at step 12.' : null,
      status === 'pending' ? null : new Date(createdMs + 500),
      status === 'completed' || status === 'failed' ? new Date(createdMs + 3500) : null,
      new Date(createdMs),
      new Date(createdMs + 3500),
    ]);
    const entry = generations.get(generation) ?? { ids: [], rewards: [], accuracies: [] };
    entry.ids.push(id);
    if (reward !== null) entry.rewards.push(reward);
    if (accuracy !== null) entry.accuracies.push(accuracy);
    generations.set(generation, entry);
  }
  await insertRows(
    client,
    'candidates',
    [
      ['id', 'uuid'],
      ['experiment_id', 'uuid'],
      ['generation', 'int'],
      ['genome', 'jsonb'],
      ['genome_hash', 'text'],
      ['params', 'bigint'],
      ['flops', 'bigint'],
      ['latency_ms', 'float8'],
      ['latency_model', 'latency_model'],
      ['proxy_accuracy', 'float8'],
      ['proxy_top5', 'float8'],
      ['metrics', 'jsonb'],
      ['reward', 'float8'],
      ['status', 'candidate_status'],
      ['attempts', 'int'],
      ['train_ms', 'int'],
      ['backend', 'text'],
      ['host', 'text'],
      ['error', 'text'],
      ['started_at', 'timestamptz'],
      ['finished_at', 'timestamptz'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    rows,
  );

  const generationRows = [...generations.entries()].map(([index, entry]) => {
    const mean = (values: number[]) =>
      values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const done =
      entry.rewards.length > 0 &&
      entry.ids.length === GENERATION_SIZE &&
      index * GENERATION_SIZE + GENERATION_SIZE < count;
    return [
      uuidV7(startMs + index * GENERATION_SIZE * 4000, rng),
      experimentId,
      index,
      mean(entry.rewards),
      entry.rewards.length ? Math.max(...entry.rewards) : null,
      entry.rewards.length ? Math.min(...entry.rewards) : null,
      mean(entry.accuracies),
      1.5 + rng.next(),
      JSON.stringify(entry.ids),
      done ? 'completed' : 'running',
      new Date(startMs + index * GENERATION_SIZE * 4000),
    ];
  });
  await insertRows(
    client,
    'generations',
    [
      ['id', 'uuid'],
      ['experiment_id', 'uuid'],
      ['index', 'int'],
      ['reward_mean', 'float8'],
      ['reward_max', 'float8'],
      ['reward_min', 'float8'],
      ['accuracy_mean', 'float8'],
      ['entropy', 'float8'],
      ['candidate_ids', 'jsonb'],
      ['status', 'job_status'],
      ['updated_at', 'timestamptz'],
    ],
    generationRows,
  );
}

// --- API process ---

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Line that the primary API process logs once every process of the group listens. */
const GROUP_LISTENING = 'API processes listening';

async function startApi(databaseUrl: string, dataDir: string): Promise<ApiProcess> {
  const port = await freePort();
  const profile = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`];
  const main = join(import.meta.dirname, '..', 'apps/api/src/main.ts');
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', main], {
    env: {
      ...process.env,
      ...API_PROCESS_ENV,
      DATABASE_URL: databaseUrl,
      AKD_DATA_DIR: dataDir,
      AKD_API_HOST: '127.0.0.1',
      AKD_API_PORT: String(port),
      AKD_ADMIN_TOKEN: ADMIN_TOKEN,
      // As in the Docker image. graphql-js skips its development checks in production.
      NODE_ENV: 'production',
      // The API logs no line per request; info adds the start-up lines, among them GROUP_LISTENING.
      AKD_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    // // In a process group, the first process may respond before the others listen.
    if (ok && (API_PROCESSES === 1 || output.includes(GROUP_LISTENING))) {
      return { child, url, output: () => output };
    }
    if (Date.now() > deadline) throw new Error(`The API did not respond on ${url} within 120 s:\n${output}`);
    await sleep(250);
  }
}

/** Returns the ids of `pid` and of all its descendant processes, from /proc (Linux only). */
async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    // The parent id is the second field after the parenthesised command name.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) tree.push(...(parents.get(tree[index]) ?? []));
  return tree;
}

/** CPU time (user + system) that process `pid` has used, in milliseconds, or null when it is gone. */
async function processCpuMs(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU time (user + system) that the API processes (the started process and its descendants) have
 * used, in milliseconds, by process id, from /proc. It is empty on systems without /proc. Other
 * processes on the machine do not inflate it, unlike wall time.
 */
async function apiCpuMs(api: ApiProcess): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  if (api.child.pid === undefined) return times;
  for (const pid of await processTree(api.child.pid)) {
    const ms = await processCpuMs(pid);
    if (ms !== null) times.set(pid, ms);
  }
  return times;
}

/**
 * CPU time that the Postgres backends serving database `name` have used, in milliseconds, by
 * process id, from /proc. Postgres names each backend `postgres: … <user> <database> <client>`.
 * Empty when the server runs elsewhere or on another kernel.
 */
async function postgresCpuMs(name: string): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const title = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!title.startsWith('postgres:') || !title.split(/\s+/).includes(name)) continue;
    const ms = await processCpuMs(Number(entry));
    if (ms !== null) times.set(Number(entry), ms);
  }
  return times;
}

/**
 * CPU time used between two readings of {@link apiCpuMs} or {@link postgresCpuMs}, or null without
 * /proc. A process that started in between counts from its start; one that ended is left out.
 */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number | null {
  if (after.size === 0) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function stopApi(api: ApiProcess): Promise<void> {
  if (api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  const timer = setTimeout(() => api.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// --- load ---

type Kind = 'candidates' | 'leaderboard';

interface Sample {
  kind: Kind;
  ms: number;
  ok: boolean;
}

interface LoadResult {
  samples: Sample[];
  seconds: number;
  firstErrors: string[];
}

/**
 * One keep-alive connection per client. The clients run in this process, on the same cores as the
 * API, so the client uses node:http, which costs less CPU time per request than fetch.
 */
const AGENT = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

/** Sends one GraphQL request and returns null on success, or the HTTP status or GraphQL errors. */
function send(url: string, query: string, variables: Record<string, unknown>): Promise<string | null> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: AGENT,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${ADMIN_TOKEN}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            resolve(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
            return;
          }
          try {
            const parsed = JSON.parse(text) as { errors?: { message: string }[] };
            resolve(parsed.errors ? parsed.errors.map((error) => error.message).join('; ') : null);
          } catch {
            resolve(`reply is not JSON: ${text.slice(0, 200)}`);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Variables of a random request of `kind`. */
function variablesFor(kind: Kind, ids: SeededIds, rng: Rng): Record<string, unknown> {
  if (kind === 'candidates') return { id: ids.experimentIds[rng.int(ids.experimentIds.length)] };
  const limits = [null, 4, 6, 8];
  return {
    datasetId: ids.datasetId,
    teacherId: rng.next() < 0.5 ? ids.teacherId : null,
    maxLatencyMs: limits[rng.int(limits.length)],
  };
}

async function runLoad(
  url: string,
  ids: SeededIds,
  seconds: number,
  requestLimit: number | null,
  record: boolean,
): Promise<LoadResult> {
  const samples: Sample[] = [];
  const firstErrors: string[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let issued = 0;
  const client = async (index: number): Promise<void> => {
    const rng = new Rng(2 * index + (record ? 2 : 1));
    for (let n = 0; ; n++) {
      if (requestLimit !== null ? issued >= requestLimit : performance.now() >= deadline) return;
      issued++;
      const kind = KINDS[(n + index) % KINDS.length] as Kind;
      const query = kind === 'candidates' ? CANDIDATES_QUERY : LEADERBOARD_QUERY;
      const variables = variablesFor(kind, ids, rng);
      const begin = performance.now();
      const error = await send(url, query, variables).catch((failure: Error) => failure.message);
      const ms = performance.now() - begin;
      if (record) {
        samples.push({ kind, ms, ok: error === null });
        if (error !== null && firstErrors.length < 5) firstErrors.push(`${kind}: ${error}`);
      }
      if (THINK_MS > 0) await sleep(THINK_MS);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
  return { samples, seconds: (performance.now() - started) / 1000, firstErrors };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

interface KindSummary {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function summarise(samples: Sample[]): KindSummary {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors: samples.filter((sample) => !sample.ok).length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length),
  };
}

// --- run ---

const machine = describeMachine();
console.log(formatMachine(machine));
const db = await createTestDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'akd-bench-api-'));
let api: ApiProcess | null = null;
try {
  const seedStarted = performance.now();
  const ids = await seed(db);
  console.log(
    `seeded ${CANDIDATES} candidates in ${EXPERIMENTS} experiments (${EXPERIMENTS - 1} distil from one teacher, ` +
      `1 hard-label) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  api = await startApi(db.url, dataDir);
  const setting = { ...process.env, ...API_PROCESS_ENV }.AKD_API_PROCESSES;
  console.log(
    `API: ${API_PROCESSES} process${API_PROCESSES === 1 ? '' : 'es'} ` +
      `(AKD_API_PROCESSES${setting === undefined ? ' unset: one per core, at most 4' : `=${setting}`})` +
      (API_PROCESSES > 1 ? ' and the primary process that distributes the connections' : ''),
  );
  if (WARMUP_S > 0) await runLoad(api.url, ids, WARMUP_S, null, false);
  const databaseName = new URL(db.url).pathname.slice(1);
  const [cpuBefore, postgresBefore] = [await apiCpuMs(api), await postgresCpuMs(databaseName)];
  const clientBefore = process.cpuUsage();
  const load = await runLoad(api.url, ids, DURATION_S, REQUEST_LIMIT, true);
  const client = process.cpuUsage(clientBefore);
  const [cpuAfter, postgresAfter] = [await apiCpuMs(api), await postgresCpuMs(databaseName)];

  const byKind = {
    candidates: summarise(load.samples.filter((sample) => sample.kind === 'candidates')),
    leaderboard: summarise(load.samples.filter((sample) => sample.kind === 'leaderboard')),
  };
  const all = summarise(load.samples);
  console.log(
    `${CLIENTS} clients, closed loop, ${THINK_MS} ms think time, ${load.samples.length} requests in ${load.seconds.toFixed(1)} s ` +
      `(${(load.samples.length / load.seconds).toFixed(1)} requests/s) after ${WARMUP_S} s of warm-up`,
  );
  console.log('query         requests  errors   p50 ms   p95 ms   p99 ms   max ms  mean ms');
  for (const [name, summary] of [...Object.entries(byKind), ['all', all]] as [string, KindSummary][]) {
    console.log(
      `${name.padEnd(12)} ${String(summary.requests).padStart(9)} ${String(summary.errors).padStart(7)} ` +
        [summary.p50, summary.p95, summary.p99, summary.max, summary.mean]
          .map((ms) => ms.toFixed(1).padStart(8))
          .join(' '),
    );
  }
  const cpuMs = cpuBetween(cpuBefore, cpuAfter);
  const cpuMsPerRequest = cpuMs === null ? null : cpuMs / Math.max(1, load.samples.length);
  if (cpuMs !== null && cpuMsPerRequest !== null) {
    const perProcess = [...cpuAfter]
      .map(([pid, ms]) => ms - (cpuBefore.get(pid) ?? 0))
      .filter((ms) => ms > 0)
      .map((ms) => (ms / Math.max(1, load.samples.length)).toFixed(2));
    console.log(
      `API CPU time (all API processes): ${cpuMsPerRequest.toFixed(2)} ms per request ` +
        `(${(cpuMs / 1000 / load.seconds).toFixed(2)} cores on average; by process ${perProcess.join(', ')})`,
    );
  }
  const postgresMs = cpuBetween(postgresBefore, postgresAfter);
  const postgresMsPerRequest = postgresMs === null ? null : postgresMs / Math.max(1, load.samples.length);
  if (postgresMsPerRequest !== null) {
    console.log(
      `Postgres CPU time (backends of the benchmark database): ${postgresMsPerRequest.toFixed(2)} ms per request`,
    );
  }
  const clientMsPerRequest = (client.user + client.system) / 1000 / Math.max(1, load.samples.length);
  console.log(`benchmark client CPU time: ${clientMsPerRequest.toFixed(2)} ms per request`);
  for (const error of load.firstErrors) console.log(`error: ${error}`);
  console.log(formatLoadNow());
  if (args.json) {
    console.log(
      JSON.stringify({
        candidatesP95Ms: round(byKind.candidates.p95, 1),
        leaderboardP95Ms: round(byKind.leaderboard.p95, 1),
        requests: all.requests,
        errors: all.errors,
        candidatesP50Ms: round(byKind.candidates.p50, 1),
        candidatesP99Ms: round(byKind.candidates.p99, 1),
        leaderboardP50Ms: round(byKind.leaderboard.p50, 1),
        leaderboardP99Ms: round(byKind.leaderboard.p99, 1),
        requestsPerSecond: round(all.requests / load.seconds, 1),
        apiProcesses: API_PROCESSES,
        apiCpuMsPerRequest: cpuMsPerRequest === null ? null : round(cpuMsPerRequest, 2),
        postgresCpuMsPerRequest: postgresMsPerRequest === null ? null : round(postgresMsPerRequest, 2),
        clientCpuMsPerRequest: round(clientMsPerRequest, 2),
        loadAverageAtStart: machine.loadAverage,
      }),
    );
  }
} finally {
  AGENT.destroy();
  if (api) await stopApi(api);
  if (args.keep) console.log(`kept the database ${db.url}`);
  else await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
