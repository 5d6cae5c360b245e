import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Rng } from '@akd/core';
import type { Candidate, Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { defaultSearchSpace, genomeHash, sampleGenome, type SearchSpace } from '@akd/search-space';
import { createApiApp } from '../app.js';
import { AuthService } from '../auth/auth.service.js';
import { ApiRoleValue } from '../common/enums.js';
import { DEFAULT_CONFIG, type ApiConfig } from '../config.js';
import type { JobQueue, QueueDepth } from '../jobs/job-queue.js';

/** A job that {@link RecordingQueue} received. */
export interface RecordedJob {
  kind: 'search' | 'teacher' | 'final' | 'study-cell';
  id: string;
}

/** A JobQueue that records jobs instead of running them. Setting `failing` makes every enqueue reject. */
export class RecordingQueue implements JobQueue {
  readonly jobs: RecordedJob[] = [];
  /** When true, every enqueue rejects, like a queue whose database is down. */
  failing = false;

  private record(kind: RecordedJob['kind'], id: string): Promise<void> {
    if (this.failing) return Promise.reject(new Error('queue is down'));
    this.jobs.push({ kind, id });
    return Promise.resolve();
  }

  enqueueSearch(experimentId: string): Promise<void> {
    return this.record('search', experimentId);
  }

  enqueueTeacherTraining(teacherId: string): Promise<void> {
    return this.record('teacher', teacherId);
  }

  enqueueFinalTraining(trainedModelId: string): Promise<void> {
    return this.record('final', trainedModelId);
  }

  enqueueStudyCell(studyCellId: string): Promise<void> {
    return this.record('study-cell', studyCellId);
  }

  /** Reports every recorded job as queued in its queue, as if no worker ran. */
  queueDepth(): Promise<Record<string, QueueDepth>> {
    const depth: Record<string, QueueDepth> = {};
    for (const job of this.jobs) {
      depth[job.kind] ??= { queued: 0, active: 0 };
      depth[job.kind].queued++;
    }
    return Promise.resolve(depth);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** Reply to a GraphQL request: the HTTP status and the parsed body. */
export interface GraphqlReply {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** A running API on 127.0.0.1 with its own database and data folder. */
export interface TestApi {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  prisma: PrismaClient;
  queue: RecordingQueue;
  config: ApiConfig;
  /** The editor token that ensureInitialToken created and "printed". */
  editorToken: string;
  readerToken: string;
  /** Sends a GraphQL request, with the editor token unless `token` is given (null sends none). */
  graphql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphqlReply>;
  /** Starts another app on the same database and data folder, e.g. with other settings. */
  startSibling(overrides: Partial<ApiConfig>): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** Sends a GraphQL POST to `url` with an optional bearer token. */
export async function postGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<GraphqlReply> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlReply['body'] };
}

/**
 * Starts the API on port 0 against a fresh test database (createTestDatabase, Postgres on
 * 127.0.0.1:5432 unless TEST_DATABASE_URL names another server), with a recording queue and a temporary
 * data folder, and creates an editor and a reader token.
 */
export async function startTestApi(overrides: Partial<ApiConfig> = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'akd-api-test-'));
  const queue = new RecordingQueue();
  const config: ApiConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    publicRead: false,
    dataDir,
    artifactDir: join(dataDir, 'artifacts'),
    pollIntervalMs: 50,
    ...overrides,
  };
  const siblings: { close(): Promise<void> }[] = [];
  let app: INestApplication | null = null;
  try {
    app = await createApiApp({ prisma: db.prisma, databaseUrl: db.url, queue, config });
    const auth = app.get(AuthService);
    const initial = await auth.ensureInitialToken(undefined);
    if (!initial) throw new Error('ensureInitialToken created no token on an empty database');
    const reader = await auth.issue('test reader', ApiRoleValue.READER);
    const url = await listen(app);
    const started = app;
    return {
      app: started,
      url,
      db,
      prisma: db.prisma,
      queue,
      config,
      editorToken: initial.token,
      readerToken: reader.token,
      graphql: (query, variables, token) =>
        postGraphql(url, query, variables, token === undefined ? initial.token : token),
      async startSibling(siblingOverrides) {
        const sibling = await createApiApp({
          prisma: db.prisma,
          databaseUrl: db.url,
          queue,
          config: { ...config, ...siblingOverrides },
        });
        const siblingUrl = await listen(sibling);
        const handle = { url: siblingUrl, close: () => sibling.close() };
        siblings.push(handle);
        return handle;
      },
      async close() {
        for (const sibling of siblings) await sibling.close();
        await started.close();
        await db.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Parameter count above 2^53, which a JSON number cannot carry exactly. */
export const HUGE_PARAMS = 9_007_199_254_740_993n;

/** Records a dataset of 28×28×1 images with 6,000 training and 1,000 test images, without files. */
export function seedDataset(prisma: PrismaClient, name = 'seeded'): Promise<Dataset> {
  return prisma.dataset.create({
    data: {
      name,
      kind: 'idx',
      directory: '/nonexistent',
      inputHeight: 28,
      inputWidth: 28,
      inputChannels: 1,
      numClasses: 10,
      classNames: Array.from({ length: 10 }, (_, label) => String(label)),
      trainCount: 6000,
      testCount: 1000,
      fingerprint: `${name}-${Math.random()}`,
    },
  });
}

/** Records a ready zoo teacher of `dataset`. */
export function seedTeacher(
  prisma: PrismaClient,
  dataset: Dataset,
  name = 'resnet',
  status: Teacher['status'] = 'ready',
): Promise<Teacher> {
  return prisma.teacher.create({
    data: {
      datasetId: dataset.id,
      name,
      source: 'zoo',
      family: 'resnet',
      config: {},
      trainingSettings: {},
      status,
      testAccuracy: 0.9,
      params: 3_000_000_000n,
    },
  });
}

/** Returns the default search space of a seeded dataset. */
export function seededSpace(): SearchSpace {
  return defaultSearchSpace([28, 28, 1], 10);
}

/** Records an experiment of `dataset` directly, bypassing validation. */
export function seedExperiment(
  prisma: PrismaClient,
  dataset: Dataset,
  teacher: Teacher | null,
  status: Experiment['status'] = 'running',
): Promise<Experiment> {
  return prisma.experiment.create({
    data: {
      name: `seeded ${status}`,
      datasetId: dataset.id,
      teacherId: teacher?.id ?? null,
      strategy: 'random',
      strategyOptions: {},
      searchBy: teacher ? 'distillation' : 'hard_label',
      latencyModel: 'measured',
      latencyTargetMs: 2,
      rewardAlpha: -0.07,
      rewardBeta: -0.07,
      searchSpace: seededSpace() as unknown as object,
      proxySettings: { trainSize: 100, valSize: 50, epochs: 1, batchSize: 32, learningRate: 0.005, seed: 1 },
      kdSettings: { lambda: 0.5, temperature: 2 },
      budget: 10,
      generationSize: 5,
      seed: 1,
      status,
    },
  });
}

/** Scores of a seeded candidate; omitted fields stay null (an unfinished candidate). */
export interface SeededScores {
  accuracy?: number;
  latencyMs?: number;
  reward?: number;
  status?: Candidate['status'];
  params?: bigint;
}

/** Records candidates with distinct sampled genomes, one per entry of `scores`, in order. */
export async function seedCandidates(
  prisma: PrismaClient,
  experiment: Experiment,
  scores: SeededScores[],
): Promise<Candidate[]> {
  const space = seededSpace();
  const rng = new Rng(7);
  const seen = new Set<string>();
  const rows: Candidate[] = [];
  for (const [index, score] of scores.entries()) {
    let genome = sampleGenome(space, rng);
    while (seen.has(genomeHash(space, genome))) genome = sampleGenome(space, rng);
    seen.add(genomeHash(space, genome));
    rows.push(
      await prisma.candidate.create({
        data: {
          experimentId: experiment.id,
          generation: Math.floor(index / 5),
          genome: genome as unknown as object,
          genomeHash: genomeHash(space, genome),
          params: score.params ?? 1000n + BigInt(index),
          flops: 2n ** 40n + BigInt(index),
          latencyMs: score.latencyMs ?? null,
          latencyModel: 'measured',
          proxyAccuracy: score.accuracy ?? null,
          reward: score.reward ?? null,
          status: score.status ?? (score.accuracy === undefined ? 'pending' : 'completed'),
        },
      }),
    );
  }
  return rows;
}
