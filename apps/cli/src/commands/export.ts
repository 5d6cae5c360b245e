import { AkdError, Logger } from '@akd/core';
import { openDatabase, type PrismaClient } from '@akd/db';
import { initBackend } from '@akd/engine';
import {
  bestTrainedModelId,
  exportTrainedModel,
  FINAL_TRAINING_METHODS,
  recordFinalModel,
  trainFinalModel,
  type ExportedModel,
  type FinalTrainingMethod,
} from '@akd/runner';
import { createProgress, type Progress } from '../progress.js';

/** Epochs of `akd export --train` unless `--epochs` gives others; the default of the trainFinalModels mutation. */
export const DEFAULT_EXPORT_TRAIN_EPOCHS = 30;

interface ExportOptions {
  out: string;
  experiment?: string;
  best?: boolean;
  method?: string;
  train?: boolean;
  epochs?: number;
  json?: boolean;
}

/**
 * `akd export`: copies a trained student (model.json, weight shards, genome.json, metadata.json)
 * into `--out`. The model is MODEL_ID, or with `--experiment ID --best` the experiment's
 * completed trained model with the best test top-1. That form trains nothing unless `--train` is
 * given, which trains the best candidate by reward when the experiment has no such model.
 */
export async function runExport(modelId: string | undefined, options: ExportOptions): Promise<void> {
  const method = checkOptions(modelId, options);
  const db = await openDatabase({ logger: new Logger('db') });
  try {
    const id = modelId ?? (await bestModelId(db.prisma, options.experiment as string, method, options));
    const exported = await exportTrainedModel(db.prisma, id, options.out);
    process.stdout.write(
      options.json ? JSON.stringify(exportSummary(exported)) + '\n' : describeExport(exported),
    );
  } finally {
    await db.close();
  }
}

function checkOptions(modelId: string | undefined, options: ExportOptions): FinalTrainingMethod | undefined {
  if (modelId !== undefined && options.experiment !== undefined) {
    throw new AkdError('INVALID_INPUT', 'Give either MODEL_ID or --experiment ID --best, not both.');
  }
  if (modelId === undefined && !(options.experiment !== undefined && options.best)) {
    throw new AkdError('INVALID_INPUT', 'Missing model: give MODEL_ID, or --experiment ID --best.');
  }
  if (modelId !== undefined && (options.best || options.train || options.method || options.epochs)) {
    throw new AkdError(
      'INVALID_INPUT',
      '--best, --train, --method and --epochs select a model of an experiment: use them with --experiment ID instead of MODEL_ID.',
    );
  }
  if (options.epochs !== undefined && !options.train) {
    throw new AkdError(
      'INVALID_INPUT',
      '--epochs sets the training of --train: add --train or drop --epochs.',
    );
  }
  if (options.method === undefined) return undefined;
  if (!(FINAL_TRAINING_METHODS as readonly string[]).includes(options.method)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid --method ${options.method}: use one of ${FINAL_TRAINING_METHODS.join(', ')}.`,
    );
  }
  return options.method as FinalTrainingMethod;
}

/** Returns the experiment's best completed trained model, training one first with `--train`. */
async function bestModelId(
  prisma: PrismaClient,
  experimentId: string,
  method: FinalTrainingMethod | undefined,
  options: ExportOptions,
): Promise<string> {
  const existing = await bestTrainedModelId(prisma, experimentId, method);
  if (existing) return existing;

  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId } });
  if (!experiment) {
    throw new AkdError(
      'NOT_FOUND',
      `Experiment ${experimentId} does not exist. \`akd demo --json\` prints the ids of its experiments, ` +
        'and the GraphQL query `experiments` lists all of them.',
    );
  }
  const of = method ? ` with method ${method}` : '';
  if (!options.train) {
    throw new AkdError(
      'NOT_FOUND',
      `Experiment ${experimentId} has no completed trained model${of}. Add --train to train its best candidate now, or queue one with the trainFinalModels mutation.`,
    );
  }
  const candidate = await prisma.candidate.findFirst({
    where: { experimentId, status: 'completed', reward: { not: null } },
    orderBy: [{ reward: 'desc' }, { id: 'asc' }],
  });
  if (!candidate) {
    throw new AkdError(
      'CONFLICT',
      `Experiment ${experimentId} has no completed candidate yet, so there is nothing to train.`,
    );
  }
  await initBackend();
  const row = await recordFinalModel(prisma, {
    candidateId: candidate.id,
    method: method ?? (experiment.teacherId ? 'hinton' : 'hard-label'),
    epochs: options.epochs ?? DEFAULT_EXPORT_TRAIN_EPOCHS,
  });
  let bar: Progress | null = null;
  try {
    await trainFinalModel(prisma, row.id, {
      onStep: (step, totalSteps) => {
        bar ??= createProgress(`train model ${row.id}`, totalSteps);
        bar.update(step);
      },
    });
  } finally {
    (bar as Progress | null)?.stop();
  }
  return row.id;
}

function exportSummary(exported: ExportedModel): Record<string, unknown> {
  const { metadata } = exported;
  return {
    trainedModelId: exported.trainedModelId,
    dir: exported.dir,
    files: exported.files,
    method: metadata.method,
    experimentId: metadata.experiment.id,
    teacher: metadata.teacher?.name ?? null,
    testTop1: metadata.testTop1,
    testTop5: metadata.testTop5,
    latencyMs: metadata.latencyMs,
    backend: metadata.backend,
    params: metadata.params,
    flops: metadata.flops,
  };
}

function describeExport(exported: ExportedModel): string {
  const { metadata } = exported;
  const teacher = metadata.teacher ? `from teacher ${metadata.teacher.name}` : 'on hard labels';
  return (
    `exported trained model ${exported.trainedModelId} (${metadata.method}, ${teacher}) to ${exported.dir}\n` +
    `  test top-1 ${(metadata.testTop1 * 100).toFixed(2)}%, top-5 ${(metadata.testTop5 * 100).toFixed(2)}%, ` +
    `latency ${metadata.latencyMs.toFixed(3)} ms on ${metadata.backend}, ${metadata.params.toLocaleString('en-US')} parameters\n` +
    `  files: ${exported.files.join(', ')}\n`
  );
}
