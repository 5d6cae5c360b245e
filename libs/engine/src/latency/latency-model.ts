import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { countFlops, type Genome, type SearchSpace } from '@akd/search-space';
import { measureLatencyMs, type LatencyMeasureOptions } from '../model/latency.js';
import { buildStudent } from '../model/student.js';
import { predictFromFlops } from './flops-fit.js';
import { predictLatencyMs } from './predict.js';
import type { LatencyProfile } from './profile.js';

/**
 * Kind of latency model: a per-part table, end-to-end measurement, or a linear fit on FLOPs.
 * Experiments record it with their results.
 */
export type LatencyModelKind = 'table' | 'measured' | 'flops';

/** Every latency model kind, in the order the database enum lists them. */
export const LATENCY_MODEL_KINDS: readonly LatencyModelKind[] = ['table', 'measured', 'flops'];

/** Source of a candidate's batch-1 inference latency in milliseconds. */
export interface LatencyModel {
  readonly kind: LatencyModelKind;
  /** Profile the `table` and `flops` models predict from; undefined for `measured`. */
  readonly profile?: LatencyProfile;
  /**
   * Returns the latency of the network of `genome` in milliseconds. The `measured` model times
   * `model` when given (it must be that genome's student) and otherwise builds the student and
   * disposes of it afterwards. The other kinds ignore `model`.
   */
  latencyMs(space: SearchSpace, genome: Genome, model?: tfl.LayersModel): number;
}

/** Settings of {@link createLatencyModel}. */
export interface LatencyModelOptions {
  /** Timing settings of the `measured` model, passed to `measureLatencyMs`. */
  measure?: LatencyMeasureOptions;
  /** Weight seed of the students the `measured` model builds itself (default 0). */
  seed?: number;
}

/**
 * Creates a latency model. `table` sums the profile's per-part entries, `flops` applies the
 * profile's linear FLOPs fit, and `measured` times the student on the active backend.
 *
 * @throws AkdError INVALID_INPUT when `table` or `flops` gets no profile, `flops` gets a profile
 *   without a fit, or `kind` is unknown.
 */
export function createLatencyModel(
  kind: LatencyModelKind,
  profile?: LatencyProfile,
  options: LatencyModelOptions = {},
): LatencyModel {
  switch (kind) {
    case 'measured':
      return {
        kind,
        latencyMs(space, genome, model) {
          if (model !== undefined) return measureLatencyMs(model, space.inputShape, options.measure);
          const built = buildStudent(space, genome, options.seed ?? 0);
          try {
            return measureLatencyMs(built, space.inputShape, options.measure);
          } finally {
            built.dispose();
          }
        },
      };
    case 'table': {
      const table = requireProfile(kind, profile);
      return { kind, profile: table, latencyMs: (space, genome) => predictLatencyMs(table, space, genome) };
    }
    case 'flops': {
      const fitted = requireProfile(kind, profile);
      const fit = fitted.flopsFit;
      if (fit === null) {
        throw new AkdError(
          'INVALID_INPUT',
          'The flops latency model needs a profile with a FLOPs fit, but this profile has none. ' +
            'Measure the profile with flopsFitGenomes of at least 2.',
        );
      }
      return {
        kind,
        profile: fitted,
        latencyMs: (space, genome) => predictFromFlops(fit, countFlops(space, genome)),
      };
    }
    default:
      throw new AkdError(
        'INVALID_INPUT',
        `Unknown latency model "${String(kind)}". Use one of: ${LATENCY_MODEL_KINDS.join(', ')}.`,
      );
  }
}

function requireProfile(kind: LatencyModelKind, profile: LatencyProfile | undefined): LatencyProfile {
  if (profile === undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      `The ${kind} latency model needs a latency profile. Measure one with measureLatencyProfile or load a stored one.`,
    );
  }
  return profile;
}
