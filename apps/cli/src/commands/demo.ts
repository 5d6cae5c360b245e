import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError } from '@akd/core';
import type { Teacher } from '@akd/db';
import { defaultProcessCount, PROXY_PRESETS, type ProxySettings } from '@akd/proxy-task';
import { dataDir, ensureZooTeachers } from '@akd/runner';
import { rewardPresets } from '@akd/search';
import { zooTeacher } from '@akd/teachers';
import { formatLeaderboard } from '../format.js';
import { createProgress, type Progress } from '../progress.js';
import { adminTokenFromEnv, demoToken } from '../service/demo-token.js';
import {
  changeExperiment,
  createExperiment,
  findExperiment,
  pauseExperiments,
  readBoard,
  type ExperimentBoard,
  readExperiments,
  type ExperimentInput,
  type ExperimentState,
  type ExperimentStatus,
} from '../service/experiments-api.js';
import { claimPort, startServices, type RunningServices } from '../service/services.js';
import { openContext, type CommandContext } from './context.js';

interface DemoOptions {
  quick?: boolean;
  json?: boolean;
  retrainTeachers?: boolean;
  fresh?: boolean;
  budget?: number;
  generationSize?: number;
  targetMs?: number;
  workers?: number;
  teachers: string;
  proxyTrainSize?: number;
  proxyValSize?: number;
  proxyEpochs?: number;
  apiPort?: number;
  serve?: boolean;
  web?: boolean;
  webPort?: number;
}

interface DemoPreset {
  name: 'quick' | 'full';
  proxy: ProxySettings;
  budget: number;
  generationSize: number;
  latencyTargetMs: number;
}

const PRESETS: Record<'quick' | 'full', DemoPreset> = {
  quick: {
    name: 'quick',
    proxy: { ...PROXY_PRESETS.quick },
    budget: 6,
    generationSize: 3,
    latencyTargetMs: 6,
  },
  full: {
    name: 'full',
    proxy: { ...PROXY_PRESETS.paper },
    budget: 60,
    generationSize: 10,
    latencyTargetMs: 6,
  },
};

/** Wording of the progress line for each way a teacher became ready. */
const HOW_TEACHER_WAS_READIED = {
  trained: 'trained',
  imported: 'shipped weights',
  reused: 'reused',
} as const;

/** Distillation settings of the search: gentle, because the proxy training is short. */
const PROXY_KD = { lambda: 0.5, temperature: 2 };

/** Default port of the API, as in apps/api. */
const DEFAULT_API_PORT = 4000;
/** Default port of the dashboard that --web starts. */
const DEFAULT_WEB_PORT = 3000;
/** Interval between two reads of the experiments' progress. */
const POLL_MS = 1000;
/**
 * Time the worker gives candidates in training after Ctrl-C. It is long because a candidate of
 * the full preset trains for several minutes on a CPU; a second Ctrl-C stops at once.
 */
const SHUTDOWN_GRACE_SECONDS = 3600;
/** The worker runs at least this many search steps at once, as it does by default. */
const MIN_SEARCH_CONCURRENCY = 4;
/** Statuses after which the worker does nothing more for an experiment until it is resumed. */
const SETTLED: ReadonlySet<ExperimentStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'PAUSED']);

/** Message of the first Ctrl-C in each phase of the demo. */
const FIRST_INTERRUPT = {
  preparing: '\nStopping after the current step; press Ctrl-C again to stop now.\n',
  searching:
    '\nStopping: the searches are paused and candidates in training finish first; press Ctrl-C again to stop now.\n',
  serving: '\nStopping the services.\n',
} as const;

/** One search of the demo: its teacher (null for the hard-label search), settings and experiment. */
interface SearchRun {
  teacher: Teacher | null;
  input: ExperimentInput;
  id: string;
  status: ExperimentStatus;
}

/** Ctrl-C state: the first press requests a clean stop, the second an immediate one. */
interface Interrupts {
  stop: AbortController;
  stopNow: AbortController;
}

/**
 * Shrinks the preset's mini-train and mini-val, keeping their 2:1 ratio, to 75% of a training split
 * too small for them (the full preset on the 6,000-image subset). Sizes given on the command line
 * are kept, so they still fail validation with a clear message when too large.
 */
function fitProxyToDataset(preset: DemoPreset, trainCount: number, options: DemoOptions): void {
  const { trainSize, valSize } = preset.proxy;
  if (options.proxyTrainSize || options.proxyValSize || trainSize + valSize <= trainCount) return;
  const scale = (0.75 * trainCount) / (trainSize + valSize);
  preset.proxy = {
    ...preset.proxy,
    trainSize: Math.floor(trainSize * scale),
    valSize: Math.floor(valSize * scale),
  };
  process.stderr.write(
    `The ${trainCount}-image training split is too small for the ${preset.name} proxy task; using ` +
      `mini-train ${preset.proxy.trainSize} and mini-val ${preset.proxy.valSize}.\n`,
  );
}

/** Reads a TCP port (0 to 65535) from the environment variable `name`, or returns `fallback`. */
function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name]?.trim();
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AkdError('INVALID_INPUT', `Invalid ${name}=${text}: use a port number from 0 to 65535.`);
  }
  return port;
}

/** Makes the zoo teachers ready in this process: reused, imported from shipped weights, or trained. */
async function prepareTeachers(
  ctx: CommandContext,
  names: string[],
  options: DemoOptions,
  signal: AbortSignal,
): Promise<Teacher[]> {
  let bar: Progress | null = null;
  try {
    return await ensureZooTeachers(ctx.db.prisma, ctx.datasetRow, ctx.dataset, {
      names,
      retrain: options.retrainTeachers,
      signal,
      onProgress: (event) => {
        if (event.type === 'training') {
          bar ??= createProgress(`train teacher ${event.name}`, event.totalSteps);
          bar.update(event.step);
          return;
        }
        bar?.stop();
        bar = null;
        const how = HOW_TEACHER_WAS_READIED[event.type];
        process.stderr.write(
          `teacher ${event.name}: ${(event.testTop1 * 100).toFixed(2)}% test top-1 (${how})\n`,
        );
      },
    });
  } finally {
    (bar as Progress | null)?.stop();
  }
}

/** Returns the settings of the demo's searches: one by distillation per teacher, one by hard labels. */
function plannedSearches(
  preset: DemoPreset,
  datasetId: string,
  teachers: Teacher[],
): { teacher: Teacher | null; input: ExperimentInput }[] {
  return [...teachers, null].map((teacher) => ({
    teacher,
    input: {
      name: `demo ${preset.name} ${teacher ? teacher.name : 'hard-label'}`,
      datasetId,
      teacherId: teacher?.id ?? null,
      searchBy: teacher ? 'DISTILLATION' : 'HARD_LABEL',
      strategy: 'POLICY_GRADIENT',
      latencyModel: 'MEASURED',
      latencyTargetMs: preset.latencyTargetMs,
      reward: { ...rewardPresets.soft },
      proxy: { ...preset.proxy },
      kd: { ...PROXY_KD },
      budget: preset.budget,
      generationSize: preset.generationSize,
      seed: 1,
    },
  }));
}

/**
 * Finds each search's experiment over GraphQL and sets it going: a new one is created, a paused
 * one resumed, a failed one restarted from its stored state, a queued one queued again (its job
 * may be lost). A running one is left to its worker, and a completed one is reused unless `fresh`.
 */
async function startSearches(
  services: RunningServices,
  planned: { teacher: Teacher | null; input: ExperimentInput }[],
  fresh: boolean,
): Promise<SearchRun[]> {
  const runs: SearchRun[] = [];
  const lines: string[] = [];
  for (const { teacher, input } of planned) {
    const found = await findExperiment(services.graphql, input, fresh);
    let state: { id: string; status: ExperimentStatus };
    let action: string;
    if (!found) {
      state = await createExperiment(services.graphql, input);
      action = 'created';
    } else if (found.status === 'PAUSED') {
      state = await changeExperiment(services.graphql, 'resumeExperiment', found.id);
      action = 'resumed';
    } else if (found.status === 'FAILED' || found.status === 'QUEUED') {
      state = await changeExperiment(services.graphql, 'startExperiment', found.id);
      action = found.status === 'FAILED' ? 'restarted after a failure' : 'queued again';
    } else {
      state = found;
      action =
        found.status === 'COMPLETED'
          ? 'reused (completed by an earlier run; --fresh searches again)'
          : 'running';
    }
    runs.push({ teacher, input, id: state.id, status: state.status });
    lines.push(`  ${(teacher?.name ?? 'hard-label').padEnd(12)} experiment ${state.id}, ${action}`);
  }
  process.stdout.write(`Searches:\n${lines.join('\n')}\n`);
  return runs;
}

/**
 * Reads the progress of the unfinished searches every second until each has settled (completed,
 * failed, paused or cancelled) or Ctrl-C is pressed. Fails when a service exits.
 */
async function followSearches(
  services: RunningServices,
  runs: SearchRun[],
  stop: AbortSignal,
): Promise<ExperimentState[]> {
  const ids = runs.map((run) => run.id);
  const labels = runs.map((run) => run.teacher?.name ?? 'hard-label');
  const total = runs.reduce((sum, run) => sum + run.input.budget, 0);
  const bar = createProgress('search candidates', total);
  try {
    for (;;) {
      const exited = services.exitedService();
      if (exited) throw new AkdError('UNAVAILABLE', exited.describeExit());
      const states = await readExperiments(services.graphql, ids);
      const done = states.reduce((sum, state) => sum + state.progress.completed + state.progress.failed, 0);
      const label = states
        .map((state, index) => `${labels[index]} ${state.progress.completed}/${state.progress.budget}`)
        .join(', ');
      bar.update(done, label);
      if (states.every((state) => SETTLED.has(state.status)) || stop.aborted) return states;
      await sleep(POLL_MS, undefined, { signal: stop }).catch(() => undefined);
    }
  } finally {
    bar.stop();
  }
}

/** Writes where the services listen, their processes and the token to stdout. */
function printServices(services: RunningServices, tokenSource: string, token: string): void {
  const lines = [
    `AKD Studio services (logs in ${services.api.logPath.replace(/\/api\.log$/, '')}):`,
    `  GraphQL    ${services.apiUrl}/graphql`,
    `  health     ${services.apiUrl}/health`,
    `  metrics    ${services.apiUrl}/metrics`,
    ...(services.dashboard ? [`  dashboard  ${services.dashboard.url}`] : []),
    `  token      ${token}  (editor, from ${tokenSource}; send "Authorization: Bearer <token>")`,
    `  processes  API pid ${services.api.pid}, worker pid ${services.worker.pid} (backend ${services.workerBackend})`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Explains the leaderboard columns and names the command that exports a searched student. */
function describeBoardColumns(board: ExperimentBoard, experimentId: string | undefined): string {
  const latency =
    board.latencyModel === 'MEASURED'
      ? 'measured by the worker on its backend, so it varies with the load of the machine'
      : `predicted by the ${board.latencyModel.toLowerCase()} latency model`;
  return [
    `proxy acc: top-1 on the ${board.proxy.valSize} mini-val images after ${board.proxy.epochs} ` +
      `epoch${board.proxy.epochs === 1 ? '' : 's'} on ${board.proxy.trainSize} mini-train images.`,
    `latency ms: one image, ${latency}.`,
    board.rewardAlpha === board.rewardBeta
      ? `reward: proxy acc × (latency / target)^${board.rewardAlpha}.`
      : `reward: proxy acc × (latency / target)^w, with w = ${board.rewardAlpha} at or below the target ` +
        `and ${board.rewardBeta} above it.`,
    'architecture: the blocks of the student, in the notation that the README explains.',
    `Train and export a best student: npm run akd -- export --experiment ${experimentId ?? 'ID'} --best --train --out DIR`,
  ].join('\n');
}

/** Prints a leaderboard per search and returns the JSON summary. */
async function reportSearches(
  ctx: CommandContext,
  services: RunningServices,
  teachers: Teacher[],
  runs: SearchRun[],
): Promise<Record<string, unknown>> {
  const experiments: unknown[] = [];
  let backend: string | null = null;
  let lastBoard: ExperimentBoard | null = null;
  for (const { teacher, id } of runs) {
    const board = await readBoard(services.graphql, id);
    lastBoard = board;
    backend ??= board.backend;
    const title = teacher
      ? `Teacher ${teacher.name} (${((teacher.testAccuracy ?? 0) * 100).toFixed(2)}% test top-1), searched by distillation`
      : 'No teacher (conventional NAS), searched by hard labels';
    process.stdout.write(
      `\n${title}\n  experiment ${id}: the ${board.rows.length} best of ${board.completed} ` +
        `completed candidates by reward, latency target ${board.latencyTargetMs} ms\n`,
    );
    process.stdout.write(formatLeaderboard(board.rows) + '\n');
    const best = board.rows[0];
    experiments.push({
      id,
      teacher: teacher?.name ?? null,
      searchBy: teacher ? 'distillation' : 'hard-label',
      candidates: board.completed,
      best: best
        ? {
            genomeHash: best.genomeHash,
            accuracy: best.accuracy,
            latencyMs: best.latencyMs,
            params: best.params,
            flops: best.flops,
            reward: best.reward,
          }
        : null,
    });
  }
  if (lastBoard !== null) process.stdout.write('\n' + describeBoardColumns(lastBoard, runs[0]?.id) + '\n');
  return {
    dataset: ctx.dataset.name,
    backend: backend ?? services.workerBackend,
    apiUrl: services.apiUrl,
    teachers: teachers.map((t) => ({ name: t.name, testAccuracy: t.testAccuracy })),
    experiments,
  };
}

/**
 * Throws when a search failed, was cancelled or paused by someone else, naming each; the next
 * run restarts failed and resumes paused searches.
 */
function checkSettled(runs: SearchRun[], states: ExperimentState[]): void {
  const unfinished = states.filter((state) => state.status !== 'COMPLETED');
  if (unfinished.length === 0) return;
  for (const state of unfinished) {
    const why =
      state.status === 'FAILED' ? `failed: ${state.error ?? 'no error recorded'}` : `is ${state.status}`;
    process.stderr.write(`search "${state.name}" ${why}\n`);
  }
  throw new AkdError(
    'INTERNAL',
    `${unfinished.length} of ${runs.length} searches did not complete; run the same command again to retry them.`,
  );
}

/** Waits for the first Ctrl-C. */
function untilStopped(stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * `akd demo`: the end-to-end search on real data through the service. It starts (or joins) the
 * database, makes the zoo teachers ready and starts the API and a worker as child processes. Then
 * it runs one search by distillation per teacher and one by hard labels through GraphQL, follows
 * them, and prints a leaderboard per teacher.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const base = options.quick ? PRESETS.quick : PRESETS.full;
  const preset: DemoPreset = {
    ...base,
    budget: options.budget ?? base.budget,
    generationSize: options.generationSize ?? base.generationSize,
    latencyTargetMs: options.targetMs ?? base.latencyTargetMs,
    proxy: {
      ...base.proxy,
      trainSize: options.proxyTrainSize ?? base.proxy.trainSize,
      valSize: options.proxyValSize ?? base.proxy.valSize,
      epochs: options.proxyEpochs ?? base.proxy.epochs,
    },
  };
  const started = Date.now();
  // Check what needs no database before anything starts.
  const teacherNames = options.teachers.split(',').map((s) => s.trim());
  teacherNames.forEach((name) => zooTeacher(name));
  if (options.webPort !== undefined && !options.web) {
    throw new AkdError('INVALID_INPUT', '--web-port sets the port of the dashboard, so it needs --web.');
  }
  const trainingProcesses = options.workers ?? defaultProcessCount();
  const apiHost = process.env.AKD_API_HOST?.trim() || '127.0.0.1';
  const apiPort = options.apiPort ?? portFromEnv('AKD_API_PORT', DEFAULT_API_PORT);
  const dashboardPort = options.web ? (options.webPort ?? DEFAULT_WEB_PORT) : null;
  const root = dataDir();
  adminTokenFromEnv();
  // Fail before the slow steps when a port is taken; the services check again when they start.
  if (apiPort !== 0) await claimPort(apiHost, apiPort, '--api-port');
  if (dashboardPort) await claimPort(apiHost, dashboardPort, '--web-port');

  const ctx = await openContext('demo');
  fitProxyToDataset(preset, ctx.dataset.train.count, options);
  // The token file is written only once the database and the dataset are known to work.
  const token = demoToken(root);
  const interrupts: Interrupts = { stop: new AbortController(), stopNow: new AbortController() };
  let phase: keyof typeof FIRST_INTERRUPT = 'preparing';
  let services: RunningServices | null = null;
  const onSigint = (): void => {
    if (!interrupts.stop.signal.aborted) {
      process.stderr.write(FIRST_INTERRUPT[phase]);
      interrupts.stop.abort();
      return;
    }
    if (!services) {
      process.stderr.write('Stopping now; the next run resumes from the last stored candidate.\n');
      process.exit(130);
    }
    process.stderr.write(
      'Stopping now; candidates in training run again about a minute after the next start.\n',
    );
    interrupts.stopNow.abort();
  };
  process.on('SIGINT', onSigint);

  let runs: SearchRun[] = [];
  let stopGracefully = false;
  try {
    const teachers = await prepareTeachers(ctx, teacherNames, options, interrupts.stop.signal);
    if (interrupts.stop.signal.aborted) {
      process.stderr.write('Interrupted: run the same command again to resume.\n');
      process.exitCode = 130;
      return;
    }

    services = await startServices(
      {
        databaseUrl: ctx.db.url,
        dataDir: root,
        apiHost,
        apiPort,
        token: token.token,
        trainingProcesses,
        searchConcurrency: Math.max(MIN_SEARCH_CONCURRENCY, teachers.length + 1),
        shutdownGraceSeconds: SHUTDOWN_GRACE_SECONDS,
        dashboardPort,
      },
      token.source,
    );
    const running = services;
    interrupts.stopNow.signal.addEventListener('abort', () => void running.stop({ now: true }), {
      once: true,
    });
    printServices(running, token.source, token.token);
    if (interrupts.stop.signal.aborted) {
      stopGracefully = true;
      process.stderr.write('Interrupted: run the same command again to resume.\n');
      process.exitCode = 130;
      return;
    }

    phase = 'searching';

    runs = await startSearches(
      running,
      plannedSearches(preset, ctx.datasetRow.id, teachers),
      options.fresh ?? false,
    );
    const pending = runs.filter((run) => run.status !== 'COMPLETED');
    const states = pending.length > 0 ? await followSearches(running, pending, interrupts.stop.signal) : [];
    if (interrupts.stop.signal.aborted) {
      await pauseExperiments(
        running.graphql,
        pending.map((run) => run.id),
      );
      stopGracefully = true;
      await running.stop();
      process.stderr.write('Interrupted: run the same command again to resume the searches.\n');
      process.exitCode = 130;
      return;
    }
    stopGracefully = true;
    checkSettled(pending, states);

    const summary = await reportSearches(ctx, running, teachers, runs);
    process.stderr.write(`demo finished in ${((Date.now() - started) / 60000).toFixed(1)} min\n`);
    if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
    if (options.serve) {
      phase = 'serving';
      process.stderr.write('The services keep running at the addresses above; press Ctrl-C to stop them.\n');
      await untilStopped(interrupts.stop.signal);
    }
  } catch (error) {
    // Pause what may still run, so that the next run resumes it through the API.
    if (services && !stopGracefully && runs.length > 0) {
      await pauseExperiments(
        services.graphql,
        runs.map((run) => run.id),
      ).catch(() => undefined);
    }
    // A request that failed because a service died is explained by that service's log.
    const exited = services?.exitedService();
    if (exited) throw new AkdError('UNAVAILABLE', exited.describeExit(), {}, { cause: error });
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    await services?.stop({ now: !stopGracefully });
    await ctx.db.close();
  }
}
