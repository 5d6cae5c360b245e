import { AkdError } from '@akd/core';
import type {
  AblationStudyInput,
  KdFriendlinessStudyInput,
  RankingStudyInput,
  SimilarityStudyInput,
  StudyTrainingInput as RunnerTrainingInput,
} from '@akd/runner';
import type { StrategySpec } from '@akd/search';
import type { Genome, SearchSpace } from '@akd/search-space';
import { checkId } from '../common/ids.js';
import { StudyTrainingModeValue } from './models/study-enums.js';
import type {
  CreateAblationStudyInput,
  CreateKdFriendlinessStudyInput,
  CreateRankingStudyInput,
  CreateSimilarityStudyInput,
} from './dto/create-study.input.js';
import type { StudyTrainingInput } from './dto/study-settings.input.js';

// Converts GraphQL inputs into the inputs of the `@akd/runner` create functions, which check the
// values. Here only ids are checked (so that a malformed id reads as such), and combinations of
// fields that GraphQL cannot express.

/** Seeds of a ranking study when neither seeds nor seedList is given. */
export const DEFAULT_RANKING_SEEDS = 3;

/** Returns `value` without its null and undefined fields, or undefined for a null or undefined value. */
function defined<T extends object>(
  value: T | null | undefined,
): Partial<{ [K in keyof T]: NonNullable<T[K]> }> | undefined {
  if (value === null || value === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null && field !== undefined),
  ) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

function checkIds(ids: readonly string[], label: string): string[] {
  return ids.map((id) => checkId(id, label));
}

function seedsOf(input: {
  seeds?: number | null;
  seedList?: number[] | null;
}): number | number[] | undefined {
  if (input.seeds !== null && input.seeds !== undefined && input.seedList) {
    throw new AkdError(
      'INVALID_INPUT',
      'Both seeds and seedList are given: give a seed count or a list of seeds, not both.',
    );
  }
  return input.seedList ?? input.seeds ?? undefined;
}

function trainingOf(input: StudyTrainingInput | null | undefined): RunnerTrainingInput | undefined {
  if (!input) return undefined;
  if (input.mode === StudyTrainingModeValue.PROXY) {
    const fullOnly = (['epochs', 'batchSize', 'learningRate'] as const).filter(
      (field) => input[field] !== null && input[field] !== undefined,
    );
    if (fullOnly.length > 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `training.${fullOnly[0]} applies to FULL training only; set it in training.proxy for PROXY mode, or use mode FULL.`,
      );
    }
    return { mode: 'proxy', proxy: defined(input.proxy), kd: defined(input.kd) };
  }
  if (input.proxy) {
    throw new AkdError(
      'INVALID_INPUT',
      'training.proxy applies to PROXY mode only; drop it or use mode PROXY.',
    );
  }
  return {
    mode: 'full',
    epochs: input.epochs ?? undefined,
    batchSize: input.batchSize ?? undefined,
    learningRate: input.learningRate ?? undefined,
    kd: defined(input.kd),
  };
}

export function toSimilarityStudyInput(input: CreateSimilarityStudyInput): SimilarityStudyInput {
  return {
    name: input.name ?? undefined,
    teacherIds: checkIds(input.teacherIds, 'teacher'),
    split: input.split,
    includeGroundTruth: input.includeGroundTruth,
    temperature: input.temperature,
    labelSmoothing: input.labelSmoothing ?? undefined,
    proxy: defined(input.proxy),
  };
}

export function toRankingStudyInput(input: CreateRankingStudyInput): RankingStudyInput {
  const students = input.students;
  return {
    name: input.name ?? undefined,
    teacherIds: checkIds(input.teacherIds, 'teacher'),
    includeGroundTruth: input.includeGroundTruth,
    students: {
      genomes: (students.genomes ?? undefined) as Genome[] | undefined,
      fromExperiments: students.fromExperiments
        ? {
            experimentIds: checkIds(students.fromExperiments.experimentIds, 'experiment'),
            topK: students.fromExperiments.topK,
          }
        : undefined,
      random: students.random ? { count: students.random.count, seed: students.random.seed } : undefined,
      space: (students.space ?? undefined) as SearchSpace | undefined,
    },
    seeds: seedsOf(input) ?? DEFAULT_RANKING_SEEDS,
    training: trainingOf(input.training),
  };
}

export function toAblationStudyInput(input: CreateAblationStudyInput): AblationStudyInput {
  const search = input.search;
  const final = input.finalTraining;
  return {
    name: input.name ?? undefined,
    teacherId: checkId(input.teacherId, 'teacher'),
    latencyTargetsMs: input.latencyTargetsMs,
    search: {
      strategy: { kind: search.strategy, options: search.strategyOptions ?? undefined } as StrategySpec,
      budget: search.budget,
      generationSize: search.generationSize,
      proxy: defined(search.proxy),
      kd: defined(search.kd),
      space: (search.space ?? undefined) as SearchSpace | undefined,
      seed: search.seed ?? undefined,
      reward: search.reward ? { alpha: search.reward.alpha, beta: search.reward.beta } : undefined,
    },
    finalTraining: {
      epochs: final.epochs,
      batchSize: final.batchSize ?? undefined,
      learningRate: final.learningRate ?? undefined,
      kd: defined(final.kd),
      seed: final.seed ?? undefined,
    },
  };
}

export function toKdFriendlinessStudyInput(input: CreateKdFriendlinessStudyInput): KdFriendlinessStudyInput {
  return {
    name: input.name ?? undefined,
    akdExperimentId: checkId(input.akdExperimentId, 'AKD experiment'),
    nasExperimentId: checkId(input.nasExperimentId, 'NAS experiment'),
    generations: input.generations,
    topK: input.topK,
    seeds: seedsOf(input),
    training: trainingOf(input.training),
  };
}
