// `akd study …`: create teacher-comparison studies and run their cells in this process, or queue
// them for workers with --queue; show and list stored studies.
import { readFile } from 'node:fs/promises';
import { AkdError, Logger } from '@akd/core';
import { openDatabase, type Teacher } from '@akd/db';
import { openQueue, type JobQueue } from '@akd/jobs';
import { defaultProcessCount, ProxyTaskPool, type ProxySettings } from '@akd/proxy-task';
import {
  checkGenerations,
  checkLatencyTargets,
  createAblationStudy,
  createKdFriendlinessStudy,
  createRankingStudy,
  createSimilarityStudy,
  ensureZooTeachers,
  getStudy,
  listStudies,
  MIN_COMPARED_TEACHERS,
  MIN_RANKED_STUDENTS,
  resolveSeeds,
  resumeStudy,
  runStudyLocally,
  type SimilaritySplit,
  type StudentSelectionInput,
  type StudyKindName,
  type StudyQueue,
  type StudyStatusName,
  type StudyTrainingInput,
  type StudyView,
} from '@akd/runner';
import type { StrategyKind } from '@akd/search';
import { ZOO } from '@akd/teachers';
import { createProgress, type Progress } from '../progress.js';
import { openContext, type CommandContext } from './context.js';
import { formatStudy, formatTable } from './study-format.js';

/** Options every study-creating command takes. */
interface StudyRunOptions {
  name?: string;
  json?: boolean;
  queue?: boolean;
  workers?: number;
}

/** Proxy and distillation options of the commands that train students. */
interface TrainingOptions {
  full?: boolean;
  epochs?: number;
  proxyTrainSize?: number;
  proxyValSize?: number;
  proxyEpochs?: number;
  proxyBatchSize?: number;
  proxyLearningRate?: number;
  proxySeed?: number;
  kdLambda?: number;
  kdTemperature?: number;
}

interface SimilarityOptions extends StudyRunOptions {
  teachers: string;
  split: string;
  gt: boolean;
  temperature?: number;
}

interface RankingOptions extends StudyRunOptions, TrainingOptions {
  teachers: string;
  gt: boolean;
  seeds: number;
  genomes?: string;
  experiments?: string;
  topK?: number;
  random?: number;
  randomSeed: number;
}

interface AblationOptions extends StudyRunOptions, TrainingOptions {
  teacher: string;
  targets: string;
  budget: number;
  generationSize: number;
  strategy: string;
  searchSeed: number;
  finalEpochs: number;
}

interface KdFriendlinessOptions extends StudyRunOptions, TrainingOptions {
  akd: string;
  nas: string;
  generations: string;
  topK: number;
  seeds: number;
}

/** `akd study similarity`. */
export async function runStudySimilarity(options: SimilarityOptions): Promise<void> {
  const teachers = parseTeacherList(
    options.teachers,
    '--teachers',
    'a similarity study',
    MIN_COMPARED_TEACHERS,
  );
  await withContext(async (ctx) => {
    const teacherIds = await resolveTeachers(ctx, teachers);
    const create = (queue: StudyQueue | null) =>
      createSimilarityStudy(ctx.db.prisma, queue, {
        name: options.name,
        teacherIds,
        split: options.split as SimilaritySplit,
        includeGroundTruth: options.gt,
        temperature: options.temperature,
      });
    await createAndRun(ctx, options, create, false);
  });
}

/** `akd study ranking`. */
export async function runStudyRanking(options: RankingOptions): Promise<void> {
  // Checks that need neither the dataset nor the teachers run first: making a zoo teacher ready
  // can take minutes.
  const teachers = parseTeacherList(options.teachers, '--teachers', 'a ranking study', MIN_COMPARED_TEACHERS);
  const students = await studentSelection(options);
  resolveSeeds(options.seeds);
  const training = trainingInput(options);
  await withContext(async (ctx) => {
    const teacherIds = await resolveTeachers(ctx, teachers);
    const create = (queue: StudyQueue | null) =>
      createRankingStudy(ctx.db.prisma, queue, {
        name: options.name,
        teacherIds,
        includeGroundTruth: options.gt,
        students,
        seeds: options.seeds,
        training,
      });
    await createAndRun(ctx, options, create, true);
  });
}

/** `akd study ablation`. */
export async function runStudyAblation(options: AblationOptions): Promise<void> {
  if (options.full || options.epochs !== undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      '--full and --epochs do not apply to an ablation: its final trainings use --final-epochs.',
    );
  }
  const teachers = parseTeacherList(options.teacher, '--teacher', 'an ablation', 1, 1);
  const targets = checkLatencyTargets(parseNumberList(options.targets, '--targets'));
  const training = trainingInput(options) as {
    proxy?: Partial<ProxySettings>;
    kd?: { lambda?: number; temperature?: number };
  };
  await withContext(async (ctx) => {
    const [teacherId] = await resolveTeachers(ctx, teachers);
    const create = (queue: StudyQueue | null) =>
      createAblationStudy(ctx.db.prisma, queue, {
        name: options.name,
        teacherId,
        latencyTargetsMs: targets,
        search: {
          strategy: { kind: options.strategy as StrategyKind },
          budget: options.budget,
          generationSize: options.generationSize,
          proxy: training.proxy,
          kd: training.kd,
          seed: options.searchSeed,
        },
        finalTraining: { epochs: options.finalEpochs },
      });
    await createAndRun(ctx, options, create, true);
  });
}

/** `akd study kd-friendliness`. */
export async function runStudyKdFriendliness(options: KdFriendlinessOptions): Promise<void> {
  const generations = checkGenerations(parseNumberList(options.generations, '--generations'));
  const training = trainingInput(options);
  await withContext(async (ctx) => {
    const create = (queue: StudyQueue | null) =>
      createKdFriendlinessStudy(ctx.db.prisma, queue, {
        name: options.name,
        akdExperimentId: options.akd,
        nasExperimentId: options.nas,
        generations,
        topK: options.topK,
        seeds: options.seeds,
        training: hasTrainingOptions(options) ? training : undefined,
      });
    await createAndRun(ctx, options, create, true);
  });
}

/** `akd study run ID`: runs the unfinished cells of a stored study in this process. */
export async function runStudyResume(
  id: string,
  options: { json?: boolean; workers?: number; retryFailed?: boolean },
): Promise<void> {
  await withContext(async (ctx) => {
    await resumeStudy(ctx.db.prisma, null, id, { retryFailed: options.retryFailed ?? false });
    const study = await runLocally(ctx, id, options.workers, true);
    printStudy(study, options.json);
  });
}

/** `akd study show ID`. */
export async function runStudyShow(id: string, options: { json?: boolean }): Promise<void> {
  const db = await openDatabase({ logger: new Logger('db') });
  try {
    const study = await getStudy(db.prisma, id);
    if (!study)
      throw new AkdError('NOT_FOUND', `Study ${id} does not exist; \`akd study list\` lists the studies.`);
    printStudy(study, options.json);
  } finally {
    await db.close();
  }
}

/** `akd study list`. */
export async function runStudyList(options: {
  kind?: string;
  status?: string;
  limit: number;
  json?: boolean;
}): Promise<void> {
  const db = await openDatabase({ logger: new Logger('db') });
  try {
    const studies = await listStudies(db.prisma, {
      kind: options.kind as StudyKindName | undefined,
      status: options.status as StudyStatusName | undefined,
      limit: options.limit,
    });
    if (options.json) {
      const rows = studies.map(({ id, kind, name, status, cells, createdAt }) => ({
        id,
        kind,
        name,
        status,
        cells,
        createdAt,
      }));
      process.stdout.write(JSON.stringify(rows) + '\n');
      return;
    }
    if (studies.length === 0) {
      process.stdout.write('No studies yet.\n');
      return;
    }
    process.stdout.write(
      formatTable(
        ['id', 'kind', 'status', 'cells', 'created', 'name'],
        studies.map((study) => [
          study.id,
          study.kind,
          study.status,
          `${study.cells.completed}/${study.cells.total}`,
          study.createdAt.toISOString().slice(0, 16).replace('T', ' '),
          study.name,
        ]),
      ) + '\n',
    );
  } finally {
    await db.close();
  }
}

async function withContext(work: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const ctx = await openContext('study');
  try {
    await work(ctx);
  } finally {
    await ctx.db.close();
  }
}

/**
 * Creates the study. With --queue its cells go to the job queue for workers, and the command
 * prints the id. Without it the cells run here and the command prints the result.
 */
async function createAndRun(
  ctx: CommandContext,
  options: StudyRunOptions,
  create: (queue: StudyQueue | null) => Promise<StudyView>,
  trains: boolean,
): Promise<void> {
  if (options.queue) {
    let queue: JobQueue | null = null;
    try {
      queue = await openQueue(ctx.db.url);
      const study = await create(queue);
      process.stderr.write(
        `Queued study ${study.id} with ${study.cells.total} cells; workers run them. Follow it with: akd study show ${study.id}\n`,
      );
      if (options.json) process.stdout.write(JSON.stringify(study) + '\n');
    } finally {
      await queue?.stop();
    }
    return;
  }
  const created = await create(null);
  process.stderr.write(`Created study ${created.id} with ${created.cells.total} cells.\n`);
  const study = await runLocally(ctx, created.id, trains ? options.workers : 0, false);
  printStudy(study, options.json);
}

/**
 * Runs the study's pending cells in this process with a pool of `workers` training processes (no
 * pool when 0), with a progress bar. Ctrl-C stops after the running cells.
 */
async function runLocally(
  ctx: CommandContext,
  studyId: string,
  workers: number | undefined,
  resumed: boolean,
): Promise<StudyView> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        `\nStopping after the running cells finish; press Ctrl-C again to stop now. Resume with: akd study run ${studyId}\n`,
      );
      controller.abort();
      return;
    }
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const pool = workers === 0 ? null : new ProxyTaskPool({ processes: workers ?? defaultProcessCount() });
  const progress: { bar: Progress | null } = { bar: null };
  try {
    const study = await runStudyLocally(ctx.db.prisma, studyId, {
      pool: pool ?? undefined,
      dataset: { location: ctx.location, data: ctx.dataset },
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'cell-started') {
          progress.bar ??= createProgress(resumed ? 'resumed study cells' : 'study cells', event.total);
          return;
        }
        const outcome = event.outcome;
        const label =
          outcome.outcome === 'completed' && outcome.result.kind === 'train'
            ? `${event.key} ${(outcome.result.accuracy * 100).toFixed(1)}%`
            : `${event.key} ${outcome.outcome}`;
        progress.bar?.update(event.done, label);
      },
    });
    progress.bar?.stop();
    progress.bar = null;
    if (controller.signal.aborted) {
      process.stderr.write(`Interrupted: resume with: akd study run ${studyId}\n`);
      process.exitCode = 130;
    }
    return study;
  } finally {
    progress.bar?.stop();
    process.off('SIGINT', onSigint);
    await pool?.close();
  }
}

function printStudy(study: StudyView, json: boolean | undefined): void {
  process.stdout.write(formatStudy(study) + '\n');
  if (json) process.stdout.write(JSON.stringify(study) + '\n');
}

/**
 * Splits the comma-separated teacher list of `option` and checks it without the database: no
 * repeated entry, and from `minimum` to `maximum` entries. `study` names the command in errors,
 * such as "a ranking study".
 */
function parseTeacherList(
  text: string,
  option: string,
  study: string,
  minimum: number,
  maximum = Infinity,
): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry)) {
      throw new AkdError(
        'INVALID_INPUT',
        `${option} "${text}" lists "${entry}" twice: list each teacher once.`,
      );
    }
    seen.add(entry);
  }
  const example = ZOO.slice(0, Math.max(minimum, 1))
    .map((zoo) => zoo.name)
    .join(',');
  if (entries.length < minimum) {
    const count = entries.length === 1 ? '1 teacher' : `${entries.length} teachers`;
    throw new AkdError(
      'INVALID_INPUT',
      `${option} "${text}" names ${count}, but ${study} needs at least ${minimum}: pass ` +
        `${minimum === 1 ? 'a teacher name or id' : 'comma-separated teacher names or ids'}, such as ${option} ${example}.`,
    );
  }
  if (entries.length > maximum) {
    throw new AkdError(
      'INVALID_INPUT',
      `${option} "${text}" names ${entries.length} teachers, but ${study} takes at most ${maximum}: pass ` +
        `${maximum === 1 ? 'one teacher name or id' : `up to ${maximum} teachers`}, such as ${option} ${example}.`,
    );
  }
  return entries;
}

/**
 * Turns teacher list entries into teacher ids. Each entry is a teacher id, or the name of a
 * teacher of the default dataset. Unknown entries and two entries for one teacher are rejected
 * before a zoo name without a ready teacher is made ready: shipped weights are imported when they
 * match the dataset, otherwise the teacher is trained.
 */
async function resolveTeachers(ctx: CommandContext, entries: readonly string[]): Promise<string[]> {
  const rows = await ctx.db.prisma.teacher.findMany({ where: { datasetId: ctx.datasetRow.id } });
  const toEnsure: string[] = [];
  const unknown: string[] = [];
  const entryOfTeacher = new Map<string, string>();
  for (const entry of entries) {
    const known = rows.find((row) => row.id === entry || (row.name === entry && row.status === 'ready'));
    if (known) {
      const other = entryOfTeacher.get(known.id);
      if (other !== undefined) {
        throw new AkdError(
          'INVALID_INPUT',
          `"${other}" and "${entry}" are the same teacher (${known.name}, ${known.id}): list each teacher once.`,
        );
      }
      entryOfTeacher.set(known.id, entry);
    } else if (ZOO.some((zoo) => zoo.name === entry)) {
      toEnsure.push(entry);
    } else {
      unknown.push(entry);
    }
  }
  if (unknown.length > 0) {
    const quoted = unknown.map((entry) => `"${entry}"`).join(', ');
    throw new AkdError(
      'INVALID_INPUT',
      `No teacher${unknown.length > 1 ? 's' : ''} ${quoted} in dataset ${ctx.datasetRow.name}: give a teacher id, a ready teacher's name, or a zoo name (${ZOO.map((zoo) => zoo.name).join(', ')}).`,
    );
  }
  const ensured = toEnsure.length > 0 ? await ensureTeachers(ctx, toEnsure) : [];
  return entries.map((entry) => {
    const teacher =
      ensured.find((row) => row.name === entry) ?? rows.find((row) => row.id === entry || row.name === entry);
    return teacher?.id ?? entry;
  });
}

async function ensureTeachers(ctx: CommandContext, names: string[]): Promise<Teacher[]> {
  const progress: { bar: Progress | null } = { bar: null };
  try {
    return await ensureZooTeachers(ctx.db.prisma, ctx.datasetRow, ctx.dataset, {
      names,
      onProgress: (event) => {
        if (event.type === 'training') {
          progress.bar ??= createProgress(`train teacher ${event.name}`, event.totalSteps);
          progress.bar.update(event.step);
          return;
        }
        progress.bar?.stop();
        progress.bar = null;
        process.stderr.write(
          `teacher ${event.name}: ${(event.testTop1 * 100).toFixed(2)}% test top-1 (${event.type})\n`,
        );
      },
    });
  } finally {
    progress.bar?.stop();
  }
}

async function studentSelection(options: RankingOptions): Promise<StudentSelectionInput> {
  const selection: StudentSelectionInput = {};
  if (options.genomes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(options.genomes, 'utf8'));
    } catch (error) {
      throw new AkdError(
        'INVALID_INPUT',
        `Cannot read genomes from ${options.genomes}: ${(error as Error).message}. Give a JSON file with an array of genomes.`,
      );
    }
    if (!Array.isArray(parsed)) {
      throw new AkdError('INVALID_INPUT', `${options.genomes} does not contain a JSON array of genomes.`);
    }
    selection.genomes = parsed;
  }
  if (options.experiments) {
    selection.fromExperiments = {
      experimentIds: options.experiments.split(',').map((id) => id.trim()),
      topK: options.topK ?? 1,
    };
  } else if (options.topK !== undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      '--top-k picks the best candidates of --experiments: add --experiments.',
    );
  }
  if (options.random !== undefined) selection.random = { count: options.random, seed: options.randomSeed };
  if (!selection.genomes && !selection.fromExperiments && !selection.random) {
    throw new AkdError(
      'INVALID_INPUT',
      'No students selected: give --random N, --experiments IDS [--top-k K], or --genomes FILE.',
    );
  }
  // Each genome, experiment candidate and random sample gives at most one distinct student.
  const experimentStudents = selection.fromExperiments
    ? selection.fromExperiments.experimentIds.length * selection.fromExperiments.topK
    : 0;
  const maxStudents = (selection.genomes?.length ?? 0) + experimentStudents + (selection.random?.count ?? 0);
  if (maxStudents < MIN_RANKED_STUDENTS) {
    throw new AkdError(
      'INVALID_INPUT',
      `The student selection gives at most ${maxStudents} student${maxStudents === 1 ? '' : 's'}, but a ranking study needs at least ${MIN_RANKED_STUDENTS}: raise --random or --top-k, or add genomes.`,
    );
  }
  return selection;
}

/** Returns true when any training option is given, so the defaults of the searches do not apply. */
function hasTrainingOptions(options: TrainingOptions): boolean {
  const given = [
    options.full,
    options.epochs,
    options.proxyTrainSize,
    options.proxyValSize,
    options.proxyEpochs,
    options.proxyBatchSize,
    options.proxyLearningRate,
    options.proxySeed,
    options.kdLambda,
    options.kdTemperature,
  ];
  return given.some((value) => value !== undefined);
}

/** Turns the training options into a study training input; unset values take the defaults. */
function trainingInput(options: TrainingOptions): StudyTrainingInput {
  const kd = dropUndefined({ lambda: options.kdLambda, temperature: options.kdTemperature });
  if (options.full) {
    const proxyOnly = [options.proxyTrainSize, options.proxyValSize, options.proxyEpochs, options.proxySeed];
    if (proxyOnly.some((value) => value !== undefined)) {
      throw new AkdError(
        'INVALID_INPUT',
        '--full trains on the whole training split: drop --proxy-train-size, --proxy-val-size, --proxy-epochs and --proxy-seed, and set --epochs.',
      );
    }
    return dropUndefined({
      mode: 'full' as const,
      epochs: options.epochs,
      batchSize: options.proxyBatchSize,
      learningRate: options.proxyLearningRate,
      kd,
    });
  }
  if (options.epochs !== undefined) {
    throw new AkdError('INVALID_INPUT', '--epochs sets full training: add --full, or use --proxy-epochs.');
  }
  return {
    mode: 'proxy',
    proxy: dropUndefined({
      trainSize: options.proxyTrainSize,
      valSize: options.proxyValSize,
      epochs: options.proxyEpochs,
      batchSize: options.proxyBatchSize,
      learningRate: options.proxyLearningRate,
      seed: options.proxySeed,
    }),
    kd,
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function parseNumberList(text: string, option: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isFinite(value))) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${option} "${text}": give comma-separated numbers, such as 4,6.`,
    );
  }
  return values;
}
