import { toEnumKey, type Candidate, type Experiment } from '@akd/db';

/**
 * Conversion of a column of a {@link SqlReader} row into a Prisma field: `value` as node-postgres parsed
 * it, `enum` converted from the Postgres spelling (`policy-gradient`) to the Prisma key
 * (`policy_gradient`).
 */
type FieldKind = 'value' | 'enum';

/** A Prisma model's fields with their column names, which are the snake_case field names. */
export interface RowShape<T> {
  /** Fields in the order of the select list. */
  fields: { field: keyof T & string; column: string; kind: FieldKind }[];
  /** `alias.column AS prefix + column, …`, for the SELECT list of a query on `alias`. */
  select(alias: string, prefix?: string): string;
  /** Builds the Prisma-shaped object from a row selected with `select(alias, prefix)`. */
  read(row: Record<string, unknown>, prefix?: string): T;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Describes how the rows of a model are selected and read. `kinds` must name every field of the
 * model (the type checks it), so a field added to the Prisma schema cannot be left out silently.
 */
function rowShape<T>(kinds: Record<keyof T & string, FieldKind>): RowShape<T> {
  const fields = (Object.entries(kinds) as [keyof T & string, FieldKind][]).map(([field, kind]) => ({
    field,
    column: snakeCase(field),
    kind,
  }));
  return {
    fields,
    select: (alias, prefix = '') =>
      fields.map(({ column }) => `${alias}.${column} AS ${prefix}${column}`).join(', '),
    read(row, prefix = '') {
      const result: Record<string, unknown> = {};
      for (const { field, column, kind } of fields) {
        const value = row[prefix === '' ? column : prefix + column];
        result[field] = kind === 'enum' && typeof value === 'string' ? toEnumKey(value) : value;
      }
      return result as T;
    },
  };
}

/** Rows of the `candidates` table as Prisma's `Candidate`. */
export const CANDIDATE_ROW = rowShape<Candidate>({
  id: 'value',
  experimentId: 'value',
  generation: 'value',
  genome: 'value',
  genomeHash: 'value',
  params: 'value',
  flops: 'value',
  latencyMs: 'value',
  latencyModel: 'enum',
  proxyAccuracy: 'value',
  proxyTop5: 'value',
  metrics: 'value',
  reward: 'value',
  status: 'enum',
  attempts: 'value',
  trainMs: 'value',
  backend: 'value',
  host: 'value',
  error: 'value',
  startedAt: 'value',
  finishedAt: 'value',
  createdAt: 'value',
  updatedAt: 'value',
});

/** Rows of the `experiments` table as Prisma's `Experiment`. */
export const EXPERIMENT_ROW = rowShape<Experiment>({
  id: 'value',
  name: 'value',
  datasetId: 'value',
  teacherId: 'value',
  strategy: 'enum',
  strategyOptions: 'value',
  searchBy: 'enum',
  latencyModel: 'enum',
  latencyProfileId: 'value',
  latencyTargetMs: 'value',
  rewardAlpha: 'value',
  rewardBeta: 'value',
  searchSpace: 'value',
  proxySettings: 'value',
  kdSettings: 'value',
  budget: 'value',
  generationSize: 'value',
  seed: 'value',
  status: 'enum',
  strategyState: 'value',
  error: 'value',
  startedAt: 'value',
  finishedAt: 'value',
  createdAt: 'value',
  updatedAt: 'value',
});
