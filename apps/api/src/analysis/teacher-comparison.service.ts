import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import { adviseTeachers, GROUND_TRUTH_NAME } from '@akd/analysis';
import type { Teacher, TrainedModel } from '@akd/db';
import type { SearchSpace } from '@akd/search-space';
import { DatasetsService } from '../datasets/datasets.service.js';
import { byEpochsThenNewest } from './final-models.js';
import { toCandidateModel } from '../experiments/models/candidate.model.js';
import { toTeacherModel } from '../teachers/models/teacher.model.js';
import {
  AnalysisRepository,
  type CandidateScore,
  type CandidateWithExperiment,
  type HardLabelCandidate,
  type TrainedModelOfGenome,
} from './analysis.repository.js';
import { TeacherAdviceArgs, TeacherLeaderboardsArgs } from './dto/analysis.args.js';
import {
  AccuracySourceValue,
  type LatencyBucketModel,
  type TeacherAdviceModel,
  type TeacherLeaderboardEntryModel,
  type TeacherLeaderboardModel,
} from './models/teacher-comparison.model.js';

/** Proxy settings that must match for two proxy accuracies to be compared. */
const PROXY_SETTING_KEYS = ['trainSize', 'valSize', 'epochs', 'batchSize', 'learningRate', 'seed'] as const;

/**
 * A column of the teacher comparisons: a teacher of the dataset, or the hard-label searches
 * under {@link GROUND_TRUTH_NAME}. Teacher ids are UUIDs, so no teacher key equals it.
 */
interface Board {
  key: string;
  teacher: Teacher | null;
}

/** Hard-label results of one genome, from final models and from hard-label searches. */
interface HardLabelReferences {
  models: Map<string, TrainedModelOfGenome[]>;
  candidates: Map<string, HardLabelCandidate[]>;
}

@Injectable()
export class TeacherComparisonService {
  constructor(
    @Inject(AnalysisRepository) private readonly analysis: AnalysisRepository,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
  ) {}

  /**
   * Ranks the teachers of the dataset, and GT, by the proxy accuracy of the best completed
   * candidate at or below the latency target, with the candidate counts behind each figure.
   */
  async advise(args: TeacherAdviceArgs): Promise<TeacherAdviceModel[]> {
    const dataset = await this.datasets.get(args.datasetId);
    const [boards, scores] = await Promise.all([
      this.boards(dataset.id),
      this.analysis.candidateScores(dataset.id, null),
    ]);
    const advice = adviseTeachers(
      scores.map((score) => ({ ...score, teacher: boardKey(score), accuracy: score.proxyAccuracy })),
      args.latencyTargetMs,
      { teachers: boards.map((board) => board.key) },
    );

    const bestRows = await this.candidateRows(advice.flatMap((entry) => (entry.best ? [entry.best.id] : [])));
    return advice.map((entry) => {
      const board = boards.find((candidate) => candidate.key === entry.teacher) as Board;
      const best = entry.best ? (bestRows.get(entry.best.id) ?? null) : null;
      return {
        rank: entry.rank,
        teacher: board.teacher && toTeacherModel(board.teacher),
        teacherName: board.teacher?.name ?? GROUND_TRUTH_NAME,
        best: best && toCandidateModel(best, best.experiment.searchSpace as unknown as SearchSpace),
        bestAccuracy: entry.bestAccuracy,
        candidatesUnderTarget: entry.candidatesUnderTarget,
        candidates: entry.candidates,
      };
    });
  }

  /**
   * Returns the best distinct genomes in each latency bucket for each teacher of the dataset and
   * GT. Each entry has the test accuracy where a final model exists, the gain over hard-label
   * training of the same genome where known, and the share of the teacher's accuracy retained.
   */
  async leaderboards(args: TeacherLeaderboardsArgs): Promise<TeacherLeaderboardModel[]> {
    const dataset = await this.datasets.get(args.datasetId);
    const bounds = checkBuckets(args.bucketsMs);
    const [boards, scores] = await Promise.all([
      this.boards(dataset.id),
      this.analysis.candidateScores(dataset.id, bounds[bounds.length - 1]),
    ]);

    const chosen = boards.map((board) => {
      const own = scores.filter((score) => boardKey(score) === board.key);
      return bounds.map((max, index) => {
        const min = index === 0 ? 0 : bounds[index - 1];
        const inBucket = own.filter((score) => score.latencyMs > min && score.latencyMs <= max);
        return { min, max, count: inBucket.length, best: bestDistinct(inBucket, args.perBucket) };
      });
    });

    const ids = chosen.flat().flatMap((bucket) => bucket.best.map((score) => score.id));
    const rows = await this.candidateRows(ids);
    const finalModels = groupBy(
      (await this.analysis.finalModelsOfCandidates(ids)).sort(byEpochsThenNewest),
      (model) => model.candidateId ?? '',
    );
    const references = await this.hardLabelReferences(dataset.id, [...rows.values()]);

    return boards.map((board, boardIndex) => ({
      teacher: board.teacher && toTeacherModel(board.teacher),
      teacherName: board.teacher?.name ?? GROUND_TRUTH_NAME,
      teacherTestAccuracy: board.teacher?.testAccuracy ?? null,
      buckets: chosen[boardIndex].map((bucket): LatencyBucketModel => ({
        minLatencyMs: bucket.min,
        maxLatencyMs: bucket.max,
        candidates: bucket.count,
        entries: bucket.best.map((score, index) =>
          toEntry(
            index + 1,
            rows.get(score.id) as CandidateWithExperiment,
            board,
            finalModels.get(score.id) ?? [],
            references,
          ),
        ),
      })),
    }));
  }

  private async boards(datasetId: string): Promise<Board[]> {
    const teachers = await this.analysis.teachersOfDataset(datasetId);
    return [
      ...teachers.map((teacher) => ({ key: teacher.id, teacher })),
      { key: GROUND_TRUTH_NAME, teacher: null },
    ];
  }

  private async candidateRows(ids: readonly string[]): Promise<Map<string, CandidateWithExperiment>> {
    if (ids.length === 0) return new Map();
    const rows = await this.analysis.candidatesByIds(ids);
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async hardLabelReferences(
    datasetId: string,
    rows: readonly CandidateWithExperiment[],
  ): Promise<HardLabelReferences> {
    const hashes = [
      ...new Set(
        rows.filter((row) => row.experiment.searchBy === 'distillation').map((row) => row.genomeHash),
      ),
    ];
    if (hashes.length === 0) return { models: new Map(), candidates: new Map() };
    const [models, candidates] = await Promise.all([
      this.analysis.hardLabelModelsOfGenomes(datasetId, hashes),
      this.analysis.hardLabelCandidatesOfGenomes(datasetId, hashes),
    ]);
    return {
      models: groupBy(models, (model) => model.candidate?.genomeHash ?? ''),
      candidates: groupBy(candidates, (candidate) => candidate.genomeHash),
    };
  }
}

function boardKey(score: CandidateScore): string {
  return score.teacherId ?? GROUND_TRUTH_NAME;
}

/** Returns the bounds in ascending order; throws INVALID_INPUT for a bound given twice or not finite. */
function checkBuckets(bucketsMs: readonly number[]): number[] {
  const bounds = [...bucketsMs].sort((a, b) => a - b);
  bounds.forEach((bound, index) => {
    if (!Number.isFinite(bound) || bound <= 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `bucketsMs contains ${bound}: every bound must be a number greater than 0.`,
      );
    }
    if (index > 0 && bound === bounds[index - 1]) {
      throw new AkdError('INVALID_INPUT', `bucketsMs lists ${bound} ms twice: give each bound once.`);
    }
  });
  return bounds;
}

/** Returns the `limit` best scores with distinct genomes: highest accuracy, then lowest latency, then id. */
function bestDistinct(scores: readonly CandidateScore[], limit: number): CandidateScore[] {
  const sorted = [...scores].sort(
    (a, b) => b.proxyAccuracy - a.proxyAccuracy || a.latencyMs - b.latencyMs || a.id.localeCompare(b.id),
  );
  const seen = new Set<string>();
  const best: CandidateScore[] = [];
  for (const score of sorted) {
    if (seen.has(score.genomeHash)) continue;
    seen.add(score.genomeHash);
    best.push(score);
    if (best.length === limit) break;
  }
  return best;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}

function sameProxySettings(a: unknown, b: unknown): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  return PROXY_SETTING_KEYS.every((key) => left[key] !== undefined && left[key] === right[key]);
}

/**
 * Builds one leaderboard entry. Final models count when they were trained from the board's teacher
 * (any distillation method), or with hard labels on the GT board; `finalModels` is sorted by
 * {@link byEpochsThenNewest}, so the entry uses the longest training.
 */
function toEntry(
  rank: number,
  row: CandidateWithExperiment,
  board: Board,
  finalModels: readonly TrainedModel[],
  references: HardLabelReferences,
): TeacherLeaderboardEntryModel {
  const own = finalModels.find((model) =>
    board.teacher
      ? model.teacherId === board.teacher.id && model.method !== 'hard_label'
      : model.method === 'hard_label',
  );
  const proxyAccuracy = row.proxyAccuracy as number;
  const testAccuracy = own?.testTop1 ?? null;
  const accuracy = testAccuracy ?? proxyAccuracy;

  let hardLabelAccuracy: number | null = null;
  let gainSource: AccuracySourceValue | null = null;
  if (board.teacher) {
    const sameEpochs =
      own && references.models.get(row.genomeHash)?.find((model) => model.epochs === own.epochs);
    const sameProxy = references.candidates
      .get(row.genomeHash)
      ?.find((candidate) =>
        sameProxySettings(candidate.experiment.proxySettings, row.experiment.proxySettings),
      );
    if (testAccuracy !== null && sameEpochs) {
      hardLabelAccuracy = sameEpochs.testTop1;
      gainSource = AccuracySourceValue.TEST;
    } else if (sameProxy) {
      hardLabelAccuracy = sameProxy.proxyAccuracy;
      gainSource = AccuracySourceValue.PROXY;
    }
  }
  let gain: number | null = null;
  if (hardLabelAccuracy !== null) {
    gain =
      (gainSource === AccuracySourceValue.TEST ? (testAccuracy as number) : proxyAccuracy) -
      hardLabelAccuracy;
  }
  const teacherAccuracy = board.teacher?.testAccuracy ?? null;

  return {
    rank,
    candidate: toCandidateModel(row, row.experiment.searchSpace as unknown as SearchSpace),
    experimentId: row.experimentId,
    accuracy,
    accuracySource: testAccuracy === null ? AccuracySourceValue.PROXY : AccuracySourceValue.TEST,
    proxyAccuracy,
    testAccuracy,
    trainedModelId: own?.id ?? null,
    latencyMs: row.latencyMs as number,
    params: row.params,
    flops: row.flops,
    hardLabelAccuracy,
    gain,
    gainSource,
    teacherAccuracyRetained: teacherAccuracy ? accuracy / teacherAccuracy : null,
  };
}
