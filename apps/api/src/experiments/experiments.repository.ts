import { Inject, Injectable } from '@nestjs/common';
import {
  fromEnumKey,
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
import { SqlReader } from '../common/sql-reader.js';
import { CANDIDATE_ROW, EXPERIMENT_ROW } from '../common/sql-rows.js';
import { PRISMA } from '../tokens.js';
import { CandidateOrderValue } from './dto/experiments.args.js';

/** Field that a candidate order sorts by, its column, its direction, and whether it may be null. */
interface CandidateOrderSpec {
  field: 'reward' | 'proxyAccuracy' | 'latencyMs' | 'params' | null;
  column: 'reward' | 'proxy_accuracy' | 'latency_ms' | 'params' | null;
  direction: 'asc' | 'desc';
  nullable: boolean;
}

const CANDIDATE_ORDERS: Record<CandidateOrderValue, CandidateOrderSpec> = {
  [CandidateOrderValue.REWARD_DESC]: { field: 'reward', column: 'reward', direction: 'desc', nullable: true },
  [CandidateOrderValue.ACCURACY_DESC]: {
    field: 'proxyAccuracy',
    column: 'proxy_accuracy',
    direction: 'desc',
    nullable: true,
  },
  [CandidateOrderValue.LATENCY_ASC]: {
    field: 'latencyMs',
    column: 'latency_ms',
    direction: 'asc',
    nullable: true,
  },
  [CandidateOrderValue.PARAMS_ASC]: { field: 'params', column: 'params', direction: 'asc', nullable: false },
  // Ids are UUIDv7, so their order is the order of creation.
  [CandidateOrderValue.CREATED_ASC]: { field: null, column: null, direction: 'asc', nullable: false },
};

const CANDIDATE_SELECT = CANDIDATE_ROW.select('c');

/** Adds a query parameter and returns its placeholder (`$3`). */
type AddParam = (value: unknown) => string;

/** Returns the condition "after the cursor" for a cursor with a sort value, in `spec`'s order. */
function afterValue(
  param: AddParam,
  column: string,
  spec: CandidateOrderSpec,
  after: CursorPosition,
): string {
  // Parameters of a bigint column travel as decimal text, which keeps every digit.
  const value = param(spec.column === 'params' ? String(after.value) : Number(after.value));
  const id = param(after.id);
  const beyond = spec.direction === 'desc' ? '<' : '>';
  return `(${column} ${beyond} ${value} OR (${column} = ${value} AND c.id > ${id}))`;
}

const EXPERIMENT_BY_ID = `SELECT ${EXPERIMENT_ROW.select('e')} FROM experiments e WHERE e.id = $1`;

/**
 * Reads one page of an experiment's candidates in up to two SQL queries (the part with the sort
 * value, then the part without), collecting the rows. The first query that runs also returns the
 * number of candidates of the experiment (with the status filter), as a scalar subquery that
 * Postgres evaluates once.
 */
class CandidatePageQuery {
  readonly rows: Candidate[] = [];
  private readonly filterValues: unknown[];
  private totalCount: number | null = null;

  constructor(
    private readonly sql: SqlReader,
    experimentId: string,
    private readonly status: CandidateStatus | null,
    private readonly take: number,
  ) {
    this.filterValues = status === null ? [experimentId] : [experimentId, fromEnumKey(status)];
  }

  /** Conditions of the experiment and status filter on the table alias `alias`, with parameters $1 and $2. */
  private filter(alias: string): string {
    const experiment = `${alias}.experiment_id = $1`;
    return this.status === null ? experiment : `${experiment} AND ${alias}.status = $2`;
  }

  /**
   * SQL expression of the number of candidates that match the filter. Without a status filter it
   * reads the count that triggers keep in `experiment_candidate_counts` (an experiment without
   * candidates has no row there) instead of counting the experiment's candidates.
   */
  private countExpression(): string {
    return this.status === null
      ? 'COALESCE((SELECT n.total FROM experiment_candidate_counts n WHERE n.experiment_id = $1), 0)'
      : `(SELECT count(*) FROM candidates n WHERE ${this.filter('n')})::int`;
  }

  /** Appends the candidates that meet the conditions from `conditions`, in `orderBy`, up to the page size. */
  async read(conditions: (param: AddParam) => string[], orderBy: string): Promise<void> {
    const values = [...this.filterValues];
    const param: AddParam = (value) => {
      values.push(value);
      return `$${values.length}`;
    };
    const where = [this.filter('c'), ...conditions(param)].join(' AND ');
    const count = this.totalCount === null ? this.countExpression() : 'NULL';
    const limit = param(this.take - this.rows.length);
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT ${count} AS total_count, ${CANDIDATE_SELECT} FROM candidates c WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit}`,
      values,
    );
    if (rows.length > 0 && this.totalCount === null) this.totalCount = rows[0].total_count as number;
    for (const row of rows) this.rows.push(CANDIDATE_ROW.read(row));
  }

  /** Returns the rows and the count, counting in a query of its own when no page query returned a row. */
  async result(): Promise<{ rows: Candidate[]; totalCount: number }> {
    if (this.totalCount === null) {
      const [row] = await this.sql.query<{ total_count: number }>(
        `SELECT ${this.countExpression()} AS total_count`,
        this.filterValues,
      );
      this.totalCount = row.total_count;
    }
    return { rows: this.rows, totalCount: this.totalCount };
  }
}

/** Filter of the experiment list, with ids already checked. */
export interface ExperimentListFilter {
  statuses?: ExperimentStatus[];
  datasetId?: string;
  teacherId?: string;
}

@Injectable()
export class ExperimentsRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SqlReader) private readonly sql: SqlReader,
  ) {}

  /** Validates the settings with `@akd/runner` and records a queued experiment. */
  create(settings: ExperimentSettings): Promise<Experiment> {
    return createExperiment(this.prisma, settings);
  }

  async findById(id: string): Promise<Experiment | null> {
    const [row] = await this.sql.query<Record<string, unknown>>(EXPERIMENT_BY_ID, [id]);
    return row ? EXPERIMENT_ROW.read(row) : null;
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

  /**
   * Returns up to `take` candidates in `order` after the cursor position, by keyset pagination
   * (rows ordered by the sort column, nulls last, then by id), and the number of candidates that
   * match `status` across pages. The count usually travels with the first page query.
   */
  async candidatePage(
    experimentId: string,
    order: CandidateOrderValue,
    status: CandidateStatus | null,
    after: CursorPosition | null,
    take: number,
  ): Promise<{ rows: Candidate[]; totalCount: number }> {
    const spec = CANDIDATE_ORDERS[order];
    const page = new CandidatePageQuery(this.sql, experimentId, status, take);
    if (spec.column === null) {
      await page.read((param) => (after === null ? [] : [`c.id > ${param(after.id)}`]), 'c.id');
      return page.result();
    }
    const column = `c.${spec.column}`;
    const orderBy = `${column} ${spec.direction === 'desc' ? 'DESC' : 'ASC'}, c.id`;
    if (!spec.nullable) {
      await page.read((param) => (after === null ? [] : [afterValue(param, column, spec, after)]), orderBy);
      return page.result();
    }

    // `ORDER BY reward DESC NULLS LAST` cannot use the (experiment_id, reward DESC) index, whose
    // DESC order puts NULLs first, so Postgres would sort every candidate of the experiment. The
    // rows with a value and the rows without one are therefore read apart, each in index order.
    if (after === null || after.value !== null) {
      await page.read(
        (param) => [
          `${column} IS NOT NULL`,
          ...(after === null ? [] : [afterValue(param, column, spec, after)]),
        ],
        orderBy,
      );
    }
    if (page.rows.length < take) {
      await page.read(
        (param) => [
          `${column} IS NULL`,
          ...(after !== null && after.value === null ? [`c.id > ${param(after.id)}`] : []),
        ],
        'c.id',
      );
    }
    return page.result();
  }

  /** Returns the cursor position of a candidate in `order`. */
  static cursorOf(row: Candidate, order: CandidateOrderValue): CursorPosition {
    const field = CANDIDATE_ORDERS[order].field;
    if (field === null) return { value: null, id: row.id };
    const value = row[field];
    return { value: typeof value === 'bigint' ? value.toString() : value, id: row.id };
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
