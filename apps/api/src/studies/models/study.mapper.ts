import { GROUND_TRUTH_KEY } from '@akd/runner';
import type {
  AblationStudyConfig,
  AblationStudyResult,
  KdFriendlinessStudyConfig,
  KdFriendlinessStudyResult,
  RankingStudyConfig,
  RankingStudyResult,
  SimilarityStudyConfig,
  SimilarityStudyResult,
  StudyCellView,
  StudyResult,
  StudyStudent,
  StudyTeacherRef,
  StudyTraining,
  StudyView,
} from '@akd/runner';
import type { JobStatusValue, SearchByValue, SearchStrategyValue } from '../../common/enums.js';
import type { ProxySettingsModel } from '../../experiments/models/experiment.model.js';
import { AblationStudyModel } from './ablation-study.model.js';
import { KdFriendlinessStudyModel } from './kd-friendliness-study.model.js';
import { RankingStudyModel } from './ranking-study.model.js';
import { SimilarityStudyModel } from './similarity-study.model.js';
import { SimilaritySplitValue, StudyKindValue, StudyTrainingModeValue } from './study-enums.js';
import type {
  StudyCellModel,
  StudyModel,
  StudyStudentModel,
  StudyTeacherModel,
  StudyTrainingModel,
} from './study.model.js';

/**
 * Maps a study, decoded by `@akd/runner`, to an instance of the GraphQL type of its kind. The
 * instances also keep the four classes imported at run time, which registers their types.
 */
export function toStudyModel(view: StudyView): StudyModel {
  switch (view.config.kind) {
    case 'similarity':
      return toSimilarityStudy(view, view.config, resultOf<SimilarityStudyResult>(view, 'similarity'));
    case 'ranking':
      return toRankingStudy(view, view.config, resultOf<RankingStudyResult>(view, 'ranking'));
    case 'ablation':
      return toAblationStudy(view, view.config, resultOf<AblationStudyResult>(view, 'ablation'));
    case 'kd-friendliness':
      return toKdFriendlinessStudy(
        view,
        view.config,
        resultOf<KdFriendlinessStudyResult>(view, 'kd-friendliness'),
      );
  }
}

export function toStudyCellModel(cell: StudyCellView): StudyCellModel {
  return {
    id: cell.id,
    key: cell.key,
    status: cell.status as JobStatusValue,
    attempts: cell.attempts,
    config: cell.config,
    result: cell.result,
    error: cell.error,
    updatedAt: cell.updatedAt,
  };
}

function resultOf<R extends StudyResult>(view: StudyView, kind: R['kind']): R | null {
  return view.result !== null && view.result.kind === kind ? (view.result as R) : null;
}

function base(view: StudyView, result: StudyResult | null): StudyModel {
  return {
    id: view.id,
    kind: view.kind as StudyKindValue,
    name: view.name,
    datasetId: view.datasetId,
    status: view.status as JobStatusValue,
    progress: { ...view.cells },
    complete: result?.complete ?? false,
    missingCells: (result?.missing ?? []).map((cell) => ({ ...cell, status: cell.status as JobStatusValue })),
    assembledAt: result ? new Date(result.assembledAt) : null,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

function toTeacher(ref: StudyTeacherRef): StudyTeacherModel {
  return {
    key: ref.key,
    teacherId: ref.key === GROUND_TRUTH_KEY ? null : ref.key,
    name: ref.name,
    testAccuracy: ref.testAccuracy,
  };
}

function toStudent(student: StudyStudent): StudyStudentModel {
  return {
    key: student.key,
    label: student.label,
    source: student.source,
    genomeHash: student.genomeHash,
    architecture: student.architecture,
    genome: student.genome,
    params: student.params,
    flops: student.flops,
    candidateId: student.candidateId,
  };
}

function toTraining(training: StudyTraining): StudyTrainingModel {
  if (training.mode === 'proxy') {
    return {
      mode: StudyTrainingModeValue.PROXY,
      proxy: training.proxy as ProxySettingsModel,
      epochs: null,
      batchSize: null,
      learningRate: null,
      kd: training.kd,
    };
  }
  return {
    mode: StudyTrainingModeValue.FULL,
    proxy: null,
    epochs: training.epochs,
    batchSize: training.batchSize,
    learningRate: training.learningRate,
    kd: training.kd,
  };
}

function toSimilarityStudy(
  view: StudyView,
  config: SimilarityStudyConfig,
  result: SimilarityStudyResult | null,
): SimilarityStudyModel {
  const similarity = result?.similarity ?? null;
  const fields: SimilarityStudyModel = {
    ...base(view, result),
    teachers: config.teachers.map(toTeacher),
    includeGroundTruth: config.includeGroundTruth,
    split: config.split as SimilaritySplitValue,
    proxy: config.proxy as ProxySettingsModel | null,
    temperature: config.temperature,
    labelSmoothing: config.labelSmoothing,
    similarity: similarity && {
      names: similarity.names,
      keys: similarity.keys,
      meanKl: similarity.meanKl,
      agreement: similarity.agreement,
      samples: similarity.samples,
    },
  };
  return Object.assign(new SimilarityStudyModel(), fields);
}

function toRankingStudy(
  view: StudyView,
  config: RankingStudyConfig,
  result: RankingStudyResult | null,
): RankingStudyModel {
  const names = new Map(config.teachers.map((teacher) => [teacher.key, teacher.name]));
  const teacherKeys = result?.teachers ?? [];
  const kendallTau = teacherKeys.flatMap((teacherA, i) =>
    teacherKeys.slice(i + 1).map((teacherB, offset) => ({
      teacherA,
      teacherB,
      tau: result?.kendallTau[i]?.[i + 1 + offset] ?? null,
    })),
  );
  const fields: RankingStudyModel = {
    ...base(view, result),
    teachers: config.teachers.map(toTeacher),
    students: config.students.map(toStudent),
    seeds: config.seeds,
    training: toTraining(config.training),
    matrix: (result?.matrix ?? []).flat().map((entry) => ({ ...entry })),
    rankings: (result?.rankings ?? []).map((ranking) => ({
      ...ranking,
      teacherName: names.get(ranking.teacher) ?? ranking.teacher,
    })),
    kendallTau,
    tieRule: result?.tieRule ?? null,
    incompleteReason: result?.incompleteReason ?? null,
  };
  return Object.assign(new RankingStudyModel(), fields);
}

function toAblationStudy(
  view: StudyView,
  config: AblationStudyConfig,
  result: AblationStudyResult | null,
): AblationStudyModel {
  const search = config.search;
  const fields: AblationStudyModel = {
    ...base(view, result),
    teacher: toTeacher(config.teacher),
    latencyTargetsMs: config.latencyTargetsMs,
    search: {
      strategy: search.strategy.kind as SearchStrategyValue,
      strategyOptions: search.strategy.options ?? {},
      budget: search.budget,
      generationSize: search.generationSize,
      proxy: search.proxy as ProxySettingsModel,
      kd: search.kd,
      seed: search.seed,
      rewardAlpha: search.reward.alpha,
      rewardBeta: search.reward.beta,
    },
    searches: config.searches.map((entry) => ({ ...entry, searchBy: entry.searchBy as SearchByValue })),
    finalTraining: { ...config.finalTraining },
    rows: (result?.rows ?? []).map((row) => ({
      latencyTargetMs: row.latencyTargetMs,
      entries: row.entries.map((entry) => ({
        ...entry,
        searchBy: entry.searchBy as SearchByValue,
        trainBy: entry.trainBy as SearchByValue,
        status: entry.status as JobStatusValue,
      })),
    })),
  };
  return Object.assign(new AblationStudyModel(), fields);
}

function toKdFriendlinessStudy(
  view: StudyView,
  config: KdFriendlinessStudyConfig,
  result: KdFriendlinessStudyResult | null,
): KdFriendlinessStudyModel {
  const fields: KdFriendlinessStudyModel = {
    ...base(view, result),
    akdExperimentId: config.akdExperimentId,
    nasExperimentId: config.nasExperimentId,
    teacher: toTeacher(config.teacher),
    generations: config.generations,
    topK: config.topK,
    seeds: config.seeds,
    training: toTraining(config.training),
    students: config.students.map(toStudent),
    generationResults: (result?.generations ?? []).map((generation) => ({ ...generation })),
  };
  return Object.assign(new KdFriendlinessStudyModel(), fields);
}
