import { isDeepStrictEqual } from 'node:util';
import { AkdError } from '@akd/core';
import type { Experiment, Teacher } from '@akd/db';
import { defaultProcessCount, PROXY_PRESETS, ProxyTaskPool, type ProxySettings } from '@akd/proxy-task';
import { zooTeacher } from '@akd/teachers';
import {
  createExperiment,
  ensureZooTeachers,
  experimentLeaderboard,
  runExperiment,
  type ExperimentSettings,
} from '@akd/runner';
import { rewardPresets } from '@akd/search';
import { createProgress, type Progress } from '../progress.js';
import { openContext } from './context.js';
import { formatLeaderboard } from '../format.js';

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

/** Finds an unfinished (or, unless `fresh`, finished) demo experiment with exactly these settings. */
async function findReusable(
  ctx: Awaited<ReturnType<typeof openContext>>,
  settings: ExperimentSettings,
  fresh: boolean,
): Promise<Experiment | null> {
  const candidates = await ctx.db.prisma.experiment.findMany({
    where: { datasetId: settings.datasetId, name: settings.name, status: { not: 'cancelled' } },
    orderBy: { createdAt: 'desc' },
  });
  for (const experiment of candidates) {
    const same =
      experiment.teacherId === settings.teacherId &&
      experiment.budget === settings.budget &&
      experiment.generationSize === settings.generationSize &&
      experiment.latencyTargetMs === settings.latencyTargetMs &&
      experiment.seed === settings.seed &&
      // JSONB does not keep key order, so compare structurally.
      isDeepStrictEqual(experiment.proxySettings, { ...settings.proxy }) &&
      isDeepStrictEqual(experiment.kdSettings, { ...settings.kd });
    if (!same) continue;
    if (experiment.status === 'completed' && fresh) continue;
    return experiment;
  }
  return null;
}

/** `akd demo`: the end-to-end search on real data. */
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
  const processes = options.workers ?? defaultProcessCount();
  const ctx = await openContext('demo');
  fitProxyToDataset(preset, ctx.dataset.train.count, options);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        '\nStopping after the candidates in training finish; press Ctrl-C again to stop now.\n',
      );
      controller.abort();
    } else {
      process.stderr.write('Stopping now; the next run resumes from the last stored candidate.\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  let pool: ProxyTaskPool | null = null;
  let bar: Progress | null = null;

  try {
    const workers = new ProxyTaskPool({ processes });
    pool = workers;
    const teachers: Teacher[] = await ensureZooTeachers(ctx.db.prisma, ctx.datasetRow, ctx.dataset, {
      names: teacherNames,
      retrain: options.retrainTeachers,
      signal: controller.signal,
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

    const plans: { teacher: Teacher | null; settings: ExperimentSettings }[] = [
      ...teachers.map((teacher) => ({ teacher, searchBy: 'distillation' as const })),
      { teacher: null, searchBy: 'hard-label' as const },
    ].map(({ teacher, searchBy }) => ({
      teacher,
      settings: {
        name: `demo ${preset.name} ${teacher ? teacher.name : 'hard-label'}`,
        datasetId: ctx.datasetRow.id,
        teacherId: teacher?.id ?? null,
        searchBy,
        strategy: { kind: 'policy-gradient' },
        latencyModel: 'measured',
        latencyTargetMs: preset.latencyTargetMs,
        reward: rewardPresets.soft,
        proxy: preset.proxy,
        kd: PROXY_KD,
        budget: preset.budget,
        generationSize: preset.generationSize,
        seed: 1,
      },
    }));

    const experiments: { teacher: Teacher | null; experiment: Experiment }[] = [];
    for (const plan of plans) {
      const reusable = await findReusable(ctx, plan.settings, options.fresh ?? false);
      const experiment = reusable ?? (await createExperiment(ctx.db.prisma, plan.settings));
      experiments.push({ teacher: plan.teacher, experiment });
    }

    const pending = experiments.filter((e) => e.experiment.status !== 'completed');
    const totalCandidates = pending.reduce((sum, e) => sum + e.experiment.budget, 0);
    let done = 0;
    if (pending.length > 0) {
      bar = createProgress('search candidates', totalCandidates);
      bar.update(0);
    }
    // All searches share the process pool, so both cores stay busy across experiments.
    const outcomes = await Promise.allSettled(
      pending.map(({ teacher, experiment }) =>
        runExperiment(ctx.db.prisma, experiment.id, {
          pool: workers,
          dataset: ctx.dataset,
          signal: controller.signal,
          onProgress: (event) => {
            if (event.type === 'candidate-completed' || event.type === 'candidate-failed') {
              done++;
              bar?.update(
                done,
                `${teacher?.name ?? 'hard-label'} acc ${((event.candidate.result?.accuracy ?? 0) * 100).toFixed(1)}%`,
              );
            }
          },
        }),
      ),
    );
    bar?.stop();
    bar = null;
    const failures = outcomes.flatMap((outcome, i) =>
      outcome.status === 'rejected'
        ? [{ experiment: pending[i].experiment, error: outcome.reason as Error }]
        : [],
    );
    if (failures.length > 0) {
      for (const { experiment, error } of failures) {
        process.stderr.write(`search "${experiment.name}" failed: ${error.message}\n`);
      }
      throw new AkdError(
        'INTERNAL',
        `${failures.length} of ${pending.length} searches failed; run the same command again to retry them.`,
      );
    }
    if (controller.signal.aborted) {
      process.stderr.write('Interrupted: run the same command again to resume the searches.\n');
      process.exitCode = 130;
      return;
    }

    const summary = {
      dataset: ctx.dataset.name,
      backend: workers.backend ?? ctx.backend.name,
      teachers: teachers.map((t) => ({ name: t.name, testAccuracy: t.testAccuracy })),
      experiments: [] as unknown[],
    };
    for (const { teacher, experiment } of experiments) {
      const board = await experimentLeaderboard(ctx.db.prisma, experiment.id, 5);
      const candidates = await ctx.db.prisma.candidate.count({
        where: { experimentId: experiment.id, status: 'completed' },
      });
      const title = teacher
        ? `Teacher ${teacher.name} (${((teacher.testAccuracy ?? 0) * 100).toFixed(2)}% test top-1), searched by distillation`
        : 'No teacher (conventional NAS), searched by hard labels';
      process.stdout.write(
        `\n${title}: ${candidates} candidates, latency target ${experiment.latencyTargetMs} ms\n`,
      );
      process.stdout.write(formatLeaderboard(board) + '\n');
      const best = board[0];
      summary.experiments.push({
        id: experiment.id,
        teacher: teacher?.name ?? null,
        searchBy: teacher ? 'distillation' : 'hard-label',
        candidates,
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
    process.stderr.write(`demo finished in ${((Date.now() - started) / 60000).toFixed(1)} min\n`);
    if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
    await pool?.close();
    await ctx.db.close();
  }
}
