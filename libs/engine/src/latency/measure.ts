import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs-core';
import { AkdError, Rng } from '@akd/core';
import {
  countPlanFlops,
  expandGenome,
  sampleGenome,
  spaceFingerprint,
  validateSearchSpace,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import { activeBackend, initBackend } from '../backend/init.js';
import { buildStudent } from '../model/student.js';
import { fitFlopsLatency } from './flops-fit.js';
import { enumerateLayerKeys, planKeySpecs } from './keys.js';
import { buildEmptyModel, buildPartModel, partInputShape } from './part-model.js';
import { sumPartsMs } from './predict.js';
import {
  LATENCY_PROFILE_FORMAT_VERSION,
  describeDevice,
  type LatencyProfile,
  type NetworkSample,
} from './profile.js';
import { timeModel, type LatencyClock, type TimingOptions, type TimingStats } from './timing.js';

/** Progress of {@link measureLatencyProfile}, reported after each timed part or network. */
export interface ProfileProgress {
  /** `parts` while timing table entries, `networks` while timing whole students. */
  phase: 'parts' | 'networks';
  /** Items of this phase finished. */
  done: number;
  /** Items of this phase in total. */
  total: number;
  /** Key of the part just timed (`parts` phase only). */
  key?: string;
  /** Milliseconds since the measurement started. */
  elapsedMs: number;
}

/** Settings of {@link measureLatencyProfile}. */
export interface MeasureProfileOptions {
  /** Forward passes discarded before timing each part or network (default 3). */
  warmupRuns?: number;
  /** Timed forward passes per part or network; the median is stored (default 15). */
  runs?: number;
  /**
   * Random students timed end to end (default 30). They give the table's network overhead and the
   * FLOPs fit; 0 skips both.
   */
  networks?: number;
  /** Clock of every timed run (default `wall`); see {@link LatencyClock} for when `cpu` is valid. */
  clock?: LatencyClock;
  /** Seed of the part weights, the order in which parts are timed and the fit genomes (default 1). */
  seed?: number;
  /**
   * Stops starting new measurements after this many milliseconds. The part or network being timed
   * finishes, so the call can overrun by one of them. The profile then has `complete: false`.
   */
  timeLimitMs?: number;
  /** Called after each timed part or network. */
  onProgress?: (progress: ProfileProgress) => void;
}

const DEFAULTS = { warmupRuns: 3, runs: 15, networks: 30, seed: 1, clock: 'wall' as LatencyClock };

/** The empty model's median is taken over this many times `runs` calls, because every entry subtracts it. */
const OVERHEAD_RUNS_FACTOR = 4;

function requireInteger(value: number, name: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new AkdError(
      'INVALID_INPUT',
      `${name} is ${value}, but it must be an integer of at least ${minimum}.`,
      {
        [name]: value,
      },
    );
  }
}

/**
 * Measures the latency profile of `space` on the active backend; when no backend was initialized
 * yet it calls {@link initBackend} first. Every part of {@link enumerateLayerKeys} is built
 * alone with the student's layer builders and timed at batch 1 (warm-up, then the median of
 * `runs`). Parts are timed in a seeded random order, so slow drift in machine load spreads over
 * all blocks instead of biasing one. Then `networks` random students are timed end to end the
 * same way. The median of their end-to-end time minus the sum of their parts becomes the
 * profile's `networkOverheadMs`, and a line through their FLOPs and times its `flopsFit`.
 *
 * Every key that expands to the same operations on the same shapes is timed once, because the
 * key contains every field that changes the operations (see `layerKey`).
 *
 * @throws AkdError INVALID_INPUT for an invalid space or option.
 */
export async function measureLatencyProfile(
  space: SearchSpace,
  options: MeasureProfileOptions = {},
): Promise<LatencyProfile> {
  validateSearchSpace(space);
  const settings = { ...DEFAULTS, ...options };
  requireInteger(settings.warmupRuns, 'warmupRuns', 0);
  requireInteger(settings.runs, 'runs', 1);
  requireInteger(settings.networks, 'networks', 0);
  requireInteger(settings.seed, 'seed', 0);
  if (settings.clock !== 'wall' && settings.clock !== 'cpu') {
    throw new AkdError('INVALID_INPUT', `clock is "${String(settings.clock)}", but it must be wall or cpu.`);
  }
  if (options.timeLimitMs !== undefined && !(options.timeLimitMs > 0)) {
    throw new AkdError(
      'INVALID_INPUT',
      `timeLimitMs is ${options.timeLimitMs}, but it must be a positive number of milliseconds.`,
    );
  }

  const backend = activeBackend() ?? (await initBackend());
  const measuredAt = new Date().toISOString();
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const timedOut = (): boolean => options.timeLimitMs !== undefined && elapsed() >= options.timeLimitMs;
  const timing: TimingOptions = {
    warmupRuns: settings.warmupRuns,
    runs: settings.runs,
    clock: settings.clock,
  };

  const callOverheadMs = measureCallOverheadMs(space, timing);

  const rng = new Rng(settings.seed);
  const specs = rng.shuffle(enumerateLayerKeys(space));
  const entries: Record<string, TimingStats> = {};
  let done = 0;
  for (const spec of specs) {
    if (timedOut()) break;
    const model = buildPartModel(spec, settings.seed);
    try {
      entries[spec.key] = timeModel(model, partInputShape(spec), timing);
    } finally {
      model.dispose();
    }
    done++;
    options.onProgress?.({ phase: 'parts', done, total: specs.length, key: spec.key, elapsedMs: elapsed() });
    // Lets timers and I/O run, for example a progress bar.
    await nextTurn();
  }

  const profile: LatencyProfile = {
    formatVersion: LATENCY_PROFILE_FORMAT_VERSION,
    device: describeDevice(),
    backend: { ...backend },
    inputShape: [...space.inputShape],
    spaceFingerprint: spaceFingerprint(space),
    tfjsVersion: tf.version_core,
    measuredAt,
    settings: {
      warmupRuns: settings.warmupRuns,
      runs: settings.runs,
      clock: settings.clock,
      seed: settings.seed,
    },
    durationMs: 0,
    complete: false,
    skippedKeys: specs.length - done,
    callOverheadMs,
    networkOverheadMs: callOverheadMs,
    entries,
    networks: [],
    flopsFit: null,
  };

  const samples = profile.networks;
  for (let index = 0; index < settings.networks; index++) {
    if (timedOut()) break;
    samples.push(measureNetwork(profile, space, sampleGenome(space, rng), timing));
    options.onProgress?.({
      phase: 'networks',
      done: samples.length,
      total: settings.networks,
      elapsedMs: elapsed(),
    });
    await nextTurn();
  }

  const residuals = samples.flatMap((sample) =>
    sample.partSumMs === null ? [] : [sample.latencyMs - sample.partSumMs],
  );
  if (residuals.length > 0) profile.networkOverheadMs = median(residuals);
  if (new Set(samples.map((sample) => sample.flops)).size >= 2) profile.flopsFit = fitFlopsLatency(samples);
  profile.complete = profile.skippedKeys === 0 && samples.length === settings.networks;
  profile.durationMs = elapsed();
  return profile;
}

function measureCallOverheadMs(space: SearchSpace, timing: TimingOptions): number {
  const model = buildEmptyModel(space.inputShape);
  try {
    return timeModel(model, space.inputShape, { ...timing, runs: timing.runs * OVERHEAD_RUNS_FACTOR })
      .medianMs;
  } finally {
    model.dispose();
  }
}

/** Times the student of `genome` end to end and sums its parts in `profile` where every part has an entry. */
function measureNetwork(
  profile: LatencyProfile,
  space: SearchSpace,
  genome: Genome,
  timing: TimingOptions,
): NetworkSample {
  const model = buildStudent(space, genome, profile.settings.seed);
  let latencyMs: number;
  try {
    latencyMs = timeModel(model, space.inputShape, timing).medianMs;
  } finally {
    model.dispose();
  }
  const plan = expandGenome(space, genome);
  const complete = planKeySpecs(plan).every((spec) => profile.entries[spec.key] !== undefined);
  return {
    flops: countPlanFlops(plan),
    latencyMs,
    partSumMs: complete ? sumPartsMs(profile, plan, space) : null,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
