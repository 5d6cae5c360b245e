// Teacher similarity: mean KL divergence and top-1 agreement between teachers (and GT) on a split.
import { compareTeachers, DEFAULT_LABEL_SMOOTHING } from '@akd/analysis';
import { AkdError } from '@akd/core';
import { gatherLabels, loadDatasetAt, type ImageDataset } from '@akd/data';
import type { PrismaClient } from '@akd/db';
import { proxySplit } from '@akd/proxy-task';
import { readLogitsFile } from '@akd/teachers';
import { datasetLocation } from '../datasets.js';
import { checkDatasetMatchesRow } from '../teacher-records.js';
import { ensureTeacherLogitsAnySource, fullSplitIndices, type LogitsSplit } from '../teacher-logits.js';
import {
  checkStudyName,
  loadStudyTeachers,
  MIN_COMPARED_TEACHERS,
  resolveProxySettings,
  teacherRef,
} from './inputs.js';
import { recordStudy } from './records.js';
import { SIMILARITY_CELL_KEY } from './similarity-result.js';
import {
  GROUND_TRUTH_KEY,
  type SimilarityCellResult,
  type SimilaritySplit,
  type SimilarityStudyConfig,
  type SimilarityStudyInput,
  type StudyCellContext,
  type StudyQueue,
  type StudyView,
} from './types.js';

/** Splits a similarity study accepts. */
export const SIMILARITY_SPLITS: readonly SimilaritySplit[] = ['train', 'test', 'mini-train', 'mini-val'];

/** Split whose logits files hold the samples of `split`. */
function logitsSplitOf(split: SimilaritySplit): LogitsSplit {
  return split === 'test' ? 'test' : 'train';
}

/**
 * Validates the input and records a similarity study with one cell that computes, for every
 * ordered pair of sources (the teachers, then GT), the mean KL(p‖q) and the top-1 agreement on
 * `split`. The cell is enqueued when `queue` is given; with a null queue the caller runs it.
 *
 * Throws INVALID_INPUT for fewer than two teachers, teachers of different datasets or not ready,
 * an unknown split, or an invalid temperature, label smoothing or proxy setting, and NOT_FOUND for
 * an unknown teacher. Nothing is recorded then.
 */
export async function createSimilarityStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  input: SimilarityStudyInput,
): Promise<StudyView> {
  const split = input.split ?? 'test';
  if (!SIMILARITY_SPLITS.includes(split)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown split "${String(split)}": use one of ${SIMILARITY_SPLITS.join(', ')}.`,
      { split },
    );
  }
  const { teachers, dataset } = await loadStudyTeachers(
    prisma,
    input.teacherIds,
    MIN_COMPARED_TEACHERS,
    logitsSplitOf(split),
  );

  const temperature = input.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new AkdError('INVALID_INPUT', `Invalid temperature ${temperature}: use a number greater than 0.`);
  }

  const includeGroundTruth = input.includeGroundTruth ?? true;
  if (input.labelSmoothing !== undefined && !includeGroundTruth) {
    throw new AkdError(
      'INVALID_INPUT',
      'labelSmoothing applies to the ground truth, which this study leaves out; drop labelSmoothing or include GT.',
    );
  }
  const labelSmoothing = includeGroundTruth ? (input.labelSmoothing ?? DEFAULT_LABEL_SMOOTHING) : null;
  if (labelSmoothing !== null && !(labelSmoothing > 0 && labelSmoothing <= 1)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid label smoothing ${labelSmoothing}: use a value in (0, 1], such as ${DEFAULT_LABEL_SMOOTHING}.`,
    );
  }

  const usesProxy = split === 'mini-train' || split === 'mini-val';
  if (!usesProxy && input.proxy !== undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      `Proxy settings select the mini-train and mini-val subsets, but the split is ${split}; drop them or use a mini split.`,
    );
  }
  const proxy = usesProxy ? resolveProxySettings(input.proxy, dataset.trainCount) : null;

  const names = teachers.map((teacher) => teacher.name).join(', ');
  const config: SimilarityStudyConfig = {
    kind: 'similarity',
    teachers: teachers.map(teacherRef),
    includeGroundTruth,
    split,
    proxy,
    temperature,
    labelSmoothing,
  };
  return recordStudy(prisma, queue, {
    kind: 'similarity',
    name: checkStudyName(input.name ?? `similarity of ${names} on ${split}`),
    datasetId: dataset.id,
    content: { config, cells: [{ key: SIMILARITY_CELL_KEY, config: { kind: 'similarity' } }] },
  });
}

/** Returns the sample indices of `split` in its logits split. */
function splitIndices(dataset: ImageDataset, config: SimilarityStudyConfig): Int32Array {
  switch (config.split) {
    case 'train':
      return fullSplitIndices(dataset.train.count);
    case 'test':
      return fullSplitIndices(dataset.test.count);
    case 'mini-train':
    case 'mini-val': {
      const subsets = proxySplit(dataset, config.proxy as NonNullable<SimilarityStudyConfig['proxy']>);
      return config.split === 'mini-train' ? subsets.train : subsets.val;
    }
  }
}

/**
 * Computes the similarity cell: reads (computing once and caching) every teacher's logits on the
 * study's split and compares them with `compareTeachers` of `@akd/analysis`.
 */
export async function runSimilarityCell(
  ctx: StudyCellContext,
  studyId: string,
  config: SimilarityStudyConfig,
): Promise<SimilarityCellResult> {
  const study = await ctx.prisma.study.findUniqueOrThrow({
    where: { id: studyId },
    include: { dataset: true },
  });
  const dataset = await (ctx.loadDataset ?? loadDatasetAt)(datasetLocation(study.dataset));
  checkDatasetMatchesRow(study.dataset, dataset);
  const logitsSplit = logitsSplitOf(config.split);
  const indices = splitIndices(dataset, config);
  const rows = await ctx.prisma.teacher.findMany({
    where: { id: { in: config.teachers.map((t) => t.key) } },
  });

  const inputs = [];
  for (const ref of config.teachers) {
    const teacher = rows.find((row) => row.id === ref.key);
    if (!teacher) {
      throw new AkdError(
        'NOT_FOUND',
        `Teacher ${ref.name} (${ref.key}) of study ${studyId} no longer exists.`,
      );
    }
    const path = await ensureTeacherLogitsAnySource(ctx.prisma, teacher, dataset, logitsSplit, indices);
    const data = await readLogitsFile(path, indices.length, dataset.numClasses);
    inputs.push({ name: teacher.name, logits: { rows: indices.length, cols: dataset.numClasses, data } });
  }
  const split = logitsSplit === 'test' ? dataset.test : dataset.train;
  const similarity = compareTeachers(inputs, {
    temperature: config.temperature,
    ...(config.includeGroundTruth
      ? { labels: gatherLabels(split, indices), labelSmoothing: config.labelSmoothing ?? undefined }
      : {}),
  });
  const keys = config.teachers.map((teacher) => teacher.key);
  if (config.includeGroundTruth) keys.push(GROUND_TRUTH_KEY);
  return {
    kind: 'similarity',
    names: similarity.names,
    keys,
    meanKl: similarity.meanKl,
    agreement: similarity.agreement,
    samples: indices.length,
    temperature: similarity.temperature,
    labelSmoothing: similarity.labelSmoothing,
  };
}
