import { Inject, Injectable } from '@nestjs/common';
import {
  toEnumKey,
  type Candidate,
  type CandidateStatus,
  type Experiment,
  type ExperimentStatus,
  type Generation,
  type Prisma,
  type PrismaClient,
  type Teacher,
  type TrainedModel,
} from '@akd/db';
import { createExperiment, type ExperimentSettings } from '@akd/runner';
import type { CursorPosition } from '../common/pagination.js';
import { PRISMA } from '../tokens.js';
import { CandidateOrderValue } from './dto/experiments.args.js';

/** Column that a candidate order sorts by, its direction, and whether it may be null. */
interface CandidateOrderSpec {
  field: 'reward' | 'proxyAccuracy' | 'latencyMs' | 'params' | null;
  direction: 'asc' | 'desc';
  nullable: boolean;
}

const CANDIDATE_ORDERS: Record<CandidateOrderValue, CandidateOrderSpec> = {
  [CandidateOrderValue.REWARD_DESC]: { field: 'reward', direction: 'desc', nullable: true },
  [CandidateOrderValue.ACCURACY_DESC]: { field: 'proxyAccuracy', direction: 'desc', nullable: true },
  [CandidateOrderValue.LATENCY_ASC]: { field: 'latencyMs', direction: 'asc', nullable: true },
  [CandidateOrderValue.PARAMS_ASC]: { field: 'params', direction: 'asc', nullable: false },
  // Ids are UUIDv7, so their order is the order of creation.
  [CandidateOrderValue.CREATED_ASC]: { field: null, direction: 'asc', nullable: false },
};

/** Filter of the experiment list, with ids already checked. */
export interface ExperimentListFilter {
  statuses?: ExperimentStatus[];
  datasetId?: string;
  teacherId?: string;
}

@Injectable()
export class ExperimentsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Validates the settings with `@akd/runner` and records a queued experiment. */
  create(settings: ExperimentSettings): Promise<Experiment> {
    return createExperiment(this.prisma, settings);
  }

  findById(id: string): Promise<Experiment | null> {
    return this.prisma.experiment.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<Experiment[]> {
    return this.prisma.experiment.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Returns up to `take` experiments, newest first, after the experiment `afterId`. */
  list(filter: ExperimentListFilter, take: number, afterId: string | null): Promise<Experiment[]> {
    const where = this.experimentWhere(filter);
    return this.prisma.experiment.findMany({
      where: afterId === null ? where : { AND: [where, { id: { lt: afterId } }] },
      orderBy: { id: 'desc' },
      take,
    });
  }

  count(filter: ExperimentListFilter): Promise<number> {
    return this.prisma.experiment.count({ where: this.experimentWhere(filter) });
  }

  private experimentWhere(filter: ExperimentListFilter): Prisma.ExperimentWhereInput {
    return {
      ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
      ...(filter.datasetId ? { datasetId: filter.datasetId } : {}),
      ...(filter.teacherId ? { teacherId: filter.teacherId } : {}),
    };
  }

  /**
   * Applies `data` only while the experiment is in one of the `from` statuses, in one statement,
   * so that a worker changing the status at the same moment cannot be overwritten. Returns the
   * updated row, or null when the status did not match.
   */
  async transition(
    id: string,
    from: readonly ExperimentStatus[],
    data: Prisma.ExperimentUpdateManyMutationInput,
  ): Promise<Experiment | null> {
    const { count } = await this.prisma.experiment.updateMany({
      where: { id, status: { in: [...from] } },
      data,
    });
    return count === 0 ? null : this.prisma.experiment.findUnique({ where: { id } });
  }

  /** Deletes the experiment while it is in one of the `from` statuses; returns whether it did. */
  async deleteIn(id: string, from: readonly ExperimentStatus[]): Promise<boolean> {
    const { count } = await this.prisma.experiment.deleteMany({ where: { id, status: { in: [...from] } } });
    return count > 0;
  }

  async delete(id: string): Promise<void> {
    await this.prisma.experiment.delete({ where: { id } });
  }

  generations(experimentId: string): Promise<Generation[]> {
    return this.prisma.generation.findMany({ where: { experimentId }, orderBy: { index: 'asc' } });
  }

  /** Counts the candidates of each status. */
  async candidateCounts(experimentId: string): Promise<Map<CandidateStatus, number>> {
    const groups = await this.prisma.candidate.groupBy({
      by: ['status'],
      where: { experimentId },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.status, group._count._all]));
  }

  countCandidates(experimentId: string, status: CandidateStatus | null): Promise<number> {
    return this.prisma.candidate.count({ where: { experimentId, ...(status ? { status } : {}) } });
  }

  /**
   * Returns up to `take` candidates in `order` after the cursor position, by keyset pagination:
   * rows are ordered by the sort column (nulls last), then by id.
   */
  async candidatePage(
    experimentId: string,
    order: CandidateOrderValue,
    status: CandidateStatus | null,
    after: CursorPosition | null,
    take: number,
  ): Promise<Candidate[]> {
    const spec = CANDIDATE_ORDERS[order];
    const base: Prisma.CandidateWhereInput = { experimentId, ...(status ? { status } : {}) };
    if (spec.field === null || !spec.nullable) {
      const where = after === null ? base : { AND: [base, this.afterCursor(spec, after)] };
      const orderBy: Prisma.CandidateOrderByWithRelationInput[] =
        spec.field === null ? [{ id: 'asc' }] : [{ [spec.field]: spec.direction }, { id: 'asc' }];
      return this.prisma.candidate.findMany({ where, orderBy, take });
    }

    // `ORDER BY reward DESC NULLS LAST` cannot use the (experiment_id, reward DESC) index, whose
    // DESC order puts NULLs first, so Postgres would sort every candidate of the experiment. The
    // rows with a value and the rows without one are therefore read apart, each in index order.
    const field = spec.field;
    const rows: Candidate[] = [];
    if (after === null || after.value !== null) {
      const scored: Prisma.CandidateWhereInput[] = [base, { [field]: { not: null } }];
      if (after !== null) scored.push(this.afterCursor({ ...spec, nullable: false }, after));
      rows.push(
        ...(await this.prisma.candidate.findMany({
          where: { AND: scored },
          orderBy: [{ [field]: spec.direction }, { id: 'asc' }],
          take,
        })),
      );
    }
    if (rows.length < take) {
      const unscored: Prisma.CandidateWhereInput[] = [base, { [field]: null }];
      if (after !== null && after.value === null) unscored.push({ id: { gt: after.id } });
      rows.push(
        ...(await this.prisma.candidate.findMany({
          where: { AND: unscored },
          orderBy: [{ id: 'asc' }],
          take: take - rows.length,
        })),
      );
    }
    return rows;
  }

  /** Returns the cursor position of a candidate in `order`. */
  static cursorOf(row: Candidate, order: CandidateOrderValue): CursorPosition {
    const field = CANDIDATE_ORDERS[order].field;
    if (field === null) return { value: null, id: row.id };
    const value = row[field];
    return { value: typeof value === 'bigint' ? value.toString() : value, id: row.id };
  }

  private afterCursor(spec: CandidateOrderSpec, after: CursorPosition): Prisma.CandidateWhereInput {
    if (spec.field === null) return { id: { gt: after.id } };
    if (after.value === null) return { [spec.field]: null, id: { gt: after.id } };
    const value = spec.field === 'params' ? BigInt(after.value) : Number(after.value);
    const beyond = spec.direction === 'desc' ? { lt: value } : { gt: value };
    return {
      OR: [
        { [spec.field]: beyond },
        { [spec.field]: value, id: { gt: after.id } },
        ...(spec.nullable ? [{ [spec.field]: null }] : []),
      ],
    };
  }

  /** Returns completed candidates that have both an accuracy and a latency. */
  scoredCandidates(experimentId: string): Promise<Candidate[]> {
    return this.prisma.candidate.findMany({
      where: { experimentId, status: 'completed', proxyAccuracy: { not: null }, latencyMs: { not: null } },
      orderBy: { id: 'asc' },
    });
  }

  /** Returns the `k` completed candidates with the highest reward. */
  bestCandidates(experimentId: string, k: number): Promise<Candidate[]> {
    return this.prisma.candidate.findMany({
      where: { experimentId, status: 'completed', reward: { not: null } },
      orderBy: [{ reward: 'desc' }, { id: 'asc' }],
      take: k,
    });
  }

  teacherById(id: string): Promise<Teacher | null> {
    return this.prisma.teacher.findUnique({ where: { id } });
  }

  candidateById(id: string): Promise<Candidate | null> {
    return this.prisma.candidate.findUnique({ where: { id } });
  }

  trainedModels(experimentId: string): Promise<TrainedModel[]> {
    return this.prisma.trainedModel.findMany({ where: { experimentId }, orderBy: { id: 'asc' } });
  }

  /** Returns the trained models of these candidates with `method` that have not failed or been cancelled. */
  activeTrainedModels(candidateIds: readonly string[], method: string): Promise<TrainedModel[]> {
    return this.prisma.trainedModel.findMany({
      where: {
        candidateId: { in: [...candidateIds] },
        method: toEnumKey(method) as TrainedModel['method'],
        status: { in: ['pending', 'running', 'completed'] },
      },
    });
  }

  createTrainedModel(data: Prisma.TrainedModelUncheckedCreateInput): Promise<TrainedModel> {
    return this.prisma.trainedModel.create({ data });
  }

  async deleteTrainedModel(id: string): Promise<void> {
    await this.prisma.trainedModel.delete({ where: { id } });
  }
}
