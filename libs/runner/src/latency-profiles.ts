import { AkdError } from '@akd/core';
import {
  Prisma,
  type Experiment,
  type LatencyProfile as LatencyProfileRow,
  type PrismaClient,
} from '@akd/db';
import {
  LATENCY_MODEL_KINDS,
  LATENCY_PROFILE_FORMAT_VERSION,
  latencyProfileFromRecord,
  missingProfileKeys,
  toLatencyProfileRecord,
  validateProfileFor,
  type BackendName,
  type FlopsFit,
  type LatencyModelKind,
  type LatencyProfile,
  type LatencyProfileRecord,
  type TimingStats,
} from '@akd/engine';
import type { ProxyLatencySpec } from '@akd/proxy-task';
import type { SearchSpace } from '@akd/search-space';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Maximum length of a latency profile name, as the GraphQL input allows. */
export const MAX_PROFILE_NAME_LENGTH = 100;

/** Hint on finding or measuring a profile, appended to the errors that need one. */
const HOW_TO_GET_A_PROFILE =
  'List the stored profiles with the latencyProfiles query, or measure one on this machine with `akd latency profile`.';

/** A stored latency profile row with the engine profile it contains. */
export interface StoredLatencyProfile {
  row: LatencyProfileRow;
  profile: LatencyProfile;
}

/**
 * Returns the engine profile that a `LatencyProfile` row stores. The `table` column contains
 * either a whole profile as `akd latency profile` measures it (it has `formatVersion`), or a flat
 * object from part key to milliseconds as `createLatencyProfile` accepts it. A flat table records
 * only the per-part latencies, so its profile predicts the plain sum of the entries, without call
 * or network overhead. Its device, backend, input shape and FLOPs fit come from the other columns,
 * and the fields that describe the measurement stay empty.
 *
 * @throws AkdError INVALID_INPUT when the row contains neither format.
 */
export function latencyProfileFromRow(row: LatencyProfileRow): LatencyProfile {
  const table = row.table;
  if (!isPlainObject(table)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Latency profile "${row.name}" has a table that is not a JSON object. Record the profile again.`,
      { latencyProfileId: row.id },
    );
  }
  if ('formatVersion' in table) return latencyProfileFromRecord(row);

  const entries: Record<string, TimingStats> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `Latency profile "${row.name}" has an invalid entry "${key}": ${JSON.stringify(value)} is not a latency in milliseconds. Record the profile again.`,
        { latencyProfileId: row.id, key },
      );
    }
    entries[key] = { medianMs: value, minMs: value, maxMs: value, runs: 1 };
  }
  return {
    formatVersion: LATENCY_PROFILE_FORMAT_VERSION,
    device: { host: '', cpuModel: row.device, cpuCount: 0, platform: '', arch: '', nodeVersion: '' },
    // NOTE: uploaded profiles may name backends that Node cannot run, such as webgl. Nothing loads
    // the backend of a profile, because only validateProfileFor reads this name.
    backend: { name: row.backend as BackendName, tfjsName: row.backend },
    inputShape: readInputShape(row),
    spaceFingerprint: '',
    tfjsVersion: '',
    measuredAt: row.measuredAt.toISOString(),
    settings: { warmupRuns: 0, runs: 1, clock: 'wall', seed: 0 },
    durationMs: 0,
    complete: true,
    skippedKeys: 0,
    callOverheadMs: 0,
    networkOverheadMs: 0,
    entries,
    networks: [],
    flopsFit: readFlopsFit(row.flopsFit),
  };
}

/**
 * Loads the profile row `id` and the engine profile it stores.
 *
 * @throws AkdError INVALID_INPUT for an id that is not a UUID, NOT_FOUND for an unknown id.
 */
export async function loadLatencyProfile(prisma: PrismaClient, id: string): Promise<StoredLatencyProfile> {
  if (!UUID.test(id)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid latency profile id "${id.slice(0, 80)}": expected a UUID. ${HOW_TO_GET_A_PROFILE}`,
      { latencyProfileId: id },
    );
  }
  const row = await prisma.latencyProfile.findUnique({ where: { id } });
  if (!row) {
    throw new AkdError('NOT_FOUND', `Latency profile ${id} does not exist. ${HOW_TO_GET_A_PROFILE}`, {
      latencyProfileId: id,
    });
  }
  return { row, profile: latencyProfileFromRow(row) };
}

/**
 * Records `profile` as a `LatencyProfile` row named `name`, with the whole profile in `table`.
 *
 * @throws AkdError INVALID_INPUT for an empty or too long name, CONFLICT when the name is taken.
 */
export async function storeLatencyProfile(
  prisma: PrismaClient,
  profile: LatencyProfile,
  name: string,
  source: LatencyProfileRecord['source'] = 'worker',
): Promise<LatencyProfileRow> {
  if (name.trim() === '' || name.length > MAX_PROFILE_NAME_LENGTH) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid latency profile name "${name.slice(0, 120)}": use 1 to ${MAX_PROFILE_NAME_LENGTH} characters.`,
    );
  }
  const { table, flopsFit, ...columns } = toLatencyProfileRecord(profile, name, source);
  try {
    return await prisma.latencyProfile.create({
      data: {
        ...columns,
        table: table as unknown as Prisma.InputJsonValue,
        ...(flopsFit ? { flopsFit: { ...flopsFit } } : {}),
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw latencyProfileNameTaken(name);
    }
    throw error;
  }
}

/** Returns the CONFLICT error for a latency profile name that is already taken. */
export function latencyProfileNameTaken(name: string): AkdError {
  return new AkdError('CONFLICT', `A latency profile named "${name}" already exists. Choose another name.`, {
    name,
  });
}

/** Latency settings of a new experiment. */
export interface ExperimentLatencyChoice {
  latencyModel: LatencyModelKind;
  /** Profile that the `table` and `flops` models predict from; required for them, unset for `measured`. */
  latencyProfileId?: string | null;
  /**
   * Backend whose latency the experiment optimizes, for example `wasm`. For `table` and `flops` the
   * profile must have been measured on it; when unset, the profile's own backend is accepted. The
   * `measured` model times each candidate on the backend of the worker that trains it (each
   * candidate records it), so it takes no backend.
   */
  latencyBackend?: string | null;
}

/**
 * Checks the latency settings of a new experiment over `space` and returns the profile id to
 * store, null for `measured`. A `table` profile must have been measured at the space's input shape
 * (the dataset's), on `latencyBackend` when set, and contain every part that a genome of the
 * space can produce; a `flops` profile must match the input shape and backend and have a FLOPs fit.
 *
 * @throws AkdError INVALID_INPUT naming the value and what to do, NOT_FOUND for an unknown profile.
 */
export async function checkExperimentLatency(
  prisma: PrismaClient,
  choice: ExperimentLatencyChoice,
  space: SearchSpace,
): Promise<string | null> {
  const { latencyModel, latencyProfileId, latencyBackend } = choice;
  if (!LATENCY_MODEL_KINDS.includes(latencyModel)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown latency model "${String(latencyModel)}". Use one of: ${LATENCY_MODEL_KINDS.join(', ')}.`,
      { latencyModel },
    );
  }
  if (latencyModel === 'measured') {
    if (latencyProfileId) {
      throw new AkdError(
        'INVALID_INPUT',
        `The measured latency model times every candidate and uses no latency profile, but latencyProfileId is ${latencyProfileId}. ` +
          'Leave latencyProfileId unset, or choose the table or flops latency model.',
        { latencyProfileId },
      );
    }
    if (latencyBackend) {
      throw new AkdError(
        'INVALID_INPUT',
        `latencyBackend "${latencyBackend}" selects the backend a latency profile must have been measured on, so it applies ` +
          'to the table and flops latency models only. The measured model times candidates on the backend of the worker ' +
          'that trains them. Leave latencyBackend unset, or choose the table or flops latency model.',
        { latencyBackend },
      );
    }
    return null;
  }

  if (!latencyProfileId) {
    throw new AkdError(
      'INVALID_INPUT',
      `The ${latencyModel} latency model predicts from a latency profile, but latencyProfileId is not set. ` +
        `Set it to a profile measured at this dataset's input shape. ${HOW_TO_GET_A_PROFILE}`,
      { latencyModel },
    );
  }
  if (latencyBackend !== undefined && latencyBackend !== null && latencyBackend.trim() === '') {
    throw new AkdError(
      'INVALID_INPUT',
      'latencyBackend is empty. Name a backend such as wasm, or leave it unset to accept the profile backend.',
    );
  }
  const { row, profile } = await loadLatencyProfile(prisma, latencyProfileId);
  validateProfileFor(profile, {
    inputShape: space.inputShape,
    backend: latencyBackend ?? profile.backend.name,
  });

  if (latencyModel === 'flops') {
    if (profile.flopsFit === null) {
      throw new AkdError(
        'INVALID_INPUT',
        `Latency profile "${row.name}" has no FLOPs fit (slopeMsPerFlop, interceptMs and r2), which the flops latency model needs. ` +
          'Choose a profile with a fit (`akd latency profile` fits one), or use the table latency model.',
        { latencyProfileId },
      );
    }
    return row.id;
  }

  const missing = missingProfileKeys(profile, space);
  if (missing.length > 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Latency profile "${row.name}" has no entry for ${missing.length} layer configurations that this search space ` +
        `can produce, for example "${missing[0]}". Choose a profile measured for this search space; ` +
        '`akd latency profile` measures the default space of a dataset.',
      { latencyProfileId, missingKeys: missing.slice(0, 20), missingCount: missing.length },
    );
  }
  return row.id;
}

/**
 * Returns the latency model that the proxy task of `experiment` uses, with the stored profile for
 * `table` and `flops`.
 *
 * @throws AkdError INVALID_INPUT when a `table` or `flops` experiment has no profile id.
 */
export async function experimentLatencySpec(
  prisma: PrismaClient,
  experiment: Experiment,
): Promise<ProxyLatencySpec> {
  const model = experiment.latencyModel;
  if (model === 'measured') return { model };
  if (experiment.latencyProfileId === null) {
    throw new AkdError(
      'INVALID_INPUT',
      `Experiment ${experiment.id} uses the ${model} latency model but has no latency profile. Create the experiment again with a latencyProfileId.`,
      { experimentId: experiment.id },
    );
  }
  const { profile } = await loadLatencyProfile(prisma, experiment.latencyProfileId);
  return { model, profileId: experiment.latencyProfileId, profile };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readInputShape(row: LatencyProfileRow): [number, number, number] {
  const shape = row.inputShape;
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    !shape.every((size) => typeof size === 'number' && Number.isInteger(size) && size > 0)
  ) {
    throw new AkdError(
      'INVALID_INPUT',
      `Latency profile "${row.name}" has an invalid input shape ${JSON.stringify(shape)}: expected [height, width, channels]. Record the profile again.`,
      { latencyProfileId: row.id },
    );
  }
  return shape as [number, number, number];
}

/** Returns the fit stored in a flat profile's `flopsFit` column, or null when it has none in the engine's fields. */
function readFlopsFit(value: unknown): FlopsFit | null {
  if (!isPlainObject(value)) return null;
  const { slopeMsPerFlop, interceptMs, r2 } = value;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!finite(slopeMsPerFlop) || !finite(interceptMs) || !finite(r2)) return null;
  return { slopeMsPerFlop, interceptMs, r2 };
}
