import { Inject, Injectable } from '@nestjs/common';
import { fromEnumKey, toEnumKey, type JobStatus, type Prisma, type PrismaClient, type Study } from '@akd/db';
import {
  cancelStudy,
  createAblationStudy,
  createKdFriendlinessStudy,
  createRankingStudy,
  createSimilarityStudy,
  getStudy,
  listStudyCells,
  resumeStudy,
  type AblationStudyInput,
  type KdFriendlinessStudyInput,
  type RankingStudyInput,
  type SimilarityStudyInput,
  type StudyCellCounts,
  type StudyCellView,
  type StudyConfig,
  type StudyKindName,
  type StudyQueue,
  type StudyResult,
  type StudyStatusName,
  type StudyView,
} from '@akd/runner';
import { PRISMA } from '../tokens.js';

/** Study kinds the API serves; the database enum also names kinds that no code creates as studies. */
export const SERVED_STUDY_KINDS: readonly StudyKindName[] = [
  'similarity',
  'ranking',
  'ablation',
  'kd-friendliness',
];

/** Filter of the study list, with ids already checked. */
export interface StudyListFilter {
  datasetId?: string;
  kind?: StudyKindName;
  status?: StudyStatusName;
}

/**
 * Studies in Postgres. Creating, reading one study and changing its status go through
 * `@akd/runner`, which validates inputs and records a study with its cells in one transaction.
 */
@Injectable()
export class StudiesRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  createSimilarity(queue: StudyQueue, input: SimilarityStudyInput): Promise<StudyView> {
    return createSimilarityStudy(this.prisma, queue, input);
  }

  createRanking(queue: StudyQueue, input: RankingStudyInput): Promise<StudyView> {
    return createRankingStudy(this.prisma, queue, input);
  }

  createAblation(queue: StudyQueue, input: AblationStudyInput): Promise<StudyView> {
    return createAblationStudy(this.prisma, queue, input);
  }

  createKdFriendliness(queue: StudyQueue, input: KdFriendlinessStudyInput): Promise<StudyView> {
    return createKdFriendlinessStudy(this.prisma, queue, input);
  }

  async findById(id: string): Promise<StudyView | null> {
    const view = await getStudy(this.prisma, id);
    return view && SERVED_STUDY_KINDS.includes(view.kind) ? view : null;
  }

  cells(studyId: string): Promise<StudyCellView[]> {
    return listStudyCells(this.prisma, studyId);
  }

  cancel(id: string): Promise<StudyView> {
    return cancelStudy(this.prisma, id);
  }

  resume(queue: StudyQueue, id: string): Promise<StudyView> {
    return resumeStudy(this.prisma, queue, id);
  }

  /** Returns up to `take` studies, newest first, after the study `afterId`. */
  async list(filter: StudyListFilter, take: number, afterId: string | null): Promise<StudyView[]> {
    const where = this.studyWhere(filter);
    const rows = await this.prisma.study.findMany({
      where: afterId === null ? where : { AND: [where, { id: { lt: afterId } }] },
      orderBy: { id: 'desc' },
      take,
    });
    return this.toViews(rows);
  }

  count(filter: StudyListFilter): Promise<number> {
    return this.prisma.study.count({ where: this.studyWhere(filter) });
  }

  /** Returns the KD-friendliness studies of these two searches, newest first. */
  async kdFriendlinessStudies(akdExperimentId: string, nasExperimentId: string): Promise<StudyView[]> {
    const rows = await this.prisma.study.findMany({
      where: {
        kind: 'kd_friendliness',
        AND: [
          { config: { path: ['akdExperimentId'], equals: akdExperimentId } },
          { config: { path: ['nasExperimentId'], equals: nasExperimentId } },
        ],
      },
      orderBy: { id: 'desc' },
    });
    return this.toViews(rows);
  }

  private studyWhere(filter: StudyListFilter): Prisma.StudyWhereInput {
    return {
      kind: filter.kind ? toEnumKey(filter.kind) : { in: SERVED_STUDY_KINDS.map((kind) => toEnumKey(kind)) },
      ...(filter.datasetId ? { datasetId: filter.datasetId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
  }

  /** Decodes study rows with the cell counts of each, counted in one query. */
  private async toViews(rows: Study[]): Promise<StudyView[]> {
    const groups = await this.prisma.studyCell.groupBy({
      by: ['studyId', 'status'],
      where: { studyId: { in: rows.map((row) => row.id) } },
      _count: { _all: true },
    });
    return rows.map((row) => {
      const cells: StudyCellCounts = {
        total: 0,
        pending: 0,
        running: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      };
      for (const group of groups.filter((entry) => entry.studyId === row.id)) {
        cells[group.status as JobStatus] += group._count._all;
        cells.total += group._count._all;
      }
      return {
        id: row.id,
        kind: fromEnumKey(row.kind) as StudyKindName,
        name: row.name,
        datasetId: row.datasetId,
        status: row.status,
        config: row.config as unknown as StudyConfig,
        result: (row.result ?? null) as unknown as StudyResult | null,
        cells,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    });
  }
}
