// Measures a latency table in the browser with the engine's own code: the same part enumeration
// and keys (enumerateLayerKeys), the same part models (buildPartModel), the same timing loop
// (timeModel) and the same FLOPs fit, on TensorFlow.js's WASM backend. The result is the flat table
// that createLatencyProfile accepts: one entry per part key, in milliseconds.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { Rng } from '@akd/core';
import { countFlops, sampleGenome, type SearchSpace } from '@akd/search-space';
import { fitFlopsLatency, type FlopsFit } from '../../../../../libs/engine/src/latency/flops-fit.js';
import { enumerateLayerKeys, planKeySpecs } from '../../../../../libs/engine/src/latency/keys.js';
import {
  buildEmptyModel,
  buildPartModel,
  partInputShape,
} from '../../../../../libs/engine/src/latency/part-model.js';
import { timeModel, type TimingOptions } from '../../../../../libs/engine/src/latency/timing.js';
import { buildStudent } from '../../../../../libs/engine/src/model/student.js';
import { expandGenome } from '@akd/search-space';

/** Settings of {@link measureInBrowser}. */
export interface BrowserMeasureSettings {
  warmupRuns: number;
  runs: number;
  /** Random students timed end to end for the FLOPs fit and the network overhead. */
  networks: number;
  /** Stops starting new parts after this many milliseconds; the table is then incomplete. */
  timeLimitMs: number;
  seed: number;
}

/** Progress of a measurement. */
export interface BrowserProgress {
  phase: 'parts' | 'networks';
  done: number;
  total: number;
  elapsedMs: number;
}

/** The measured table and what it was measured with. */
export interface BrowserProfile {
  backend: string;
  /** Per-part latency in ms, ready for createLatencyProfile's `table`. */
  table: Record<string, number>;
  flopsFit: FlopsFit | null;
  partsTotal: number;
  partsMeasured: number;
  networksMeasured: number;
  callOverheadMs: number;
  networkOverheadMs: number;
  durationMs: number;
  measuredAt: string;
}

/** The empty model's median is taken over this many times `runs` calls, as the worker does. */
const OVERHEAD_RUNS_FACTOR = 4;

/** Starts the WASM backend with its binaries served by the dashboard; falls back to the CPU backend. */
export async function startBackend(): Promise<string> {
  setWasmPaths('/tfjs-wasm/');
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // The CPU backend below runs everywhere.
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Lets the page repaint between two timed parts. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Times every part of `space` and `settings.networks` random students. Each table entry is the
 * part's median minus the cost of an empty timed call, so that entries add up like layers. The
 * stem entry also carries the network overhead, which is the median of a whole student's time
 * minus the sum of its parts. Every student has exactly one stem, so the flat sum of a student's
 * entries equals the engine's table prediction: the overhead plus the parts without their call cost.
 */
export async function measureInBrowser(
  space: SearchSpace,
  settings: BrowserMeasureSettings,
  onProgress: (progress: BrowserProgress) => void,
  signal: AbortSignal,
): Promise<BrowserProfile> {
  const backend = await startBackend();
  const measuredAt = new Date().toISOString();
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const timing: TimingOptions = { warmupRuns: settings.warmupRuns, runs: settings.runs, clock: 'wall' };

  const empty = buildEmptyModel(space.inputShape);
  let callOverheadMs: number;
  try {
    callOverheadMs = timeModel(empty, space.inputShape, {
      ...timing,
      runs: timing.runs * OVERHEAD_RUNS_FACTOR,
    }).medianMs;
  } finally {
    empty.dispose();
  }

  const rng = new Rng(settings.seed);
  const specs = rng.shuffle(enumerateLayerKeys(space));
  const medians: Record<string, number> = {};
  for (const [index, spec] of specs.entries()) {
    if (signal.aborted || elapsed() > settings.timeLimitMs) break;
    const model = buildPartModel(spec, settings.seed);
    try {
      medians[spec.key] = timeModel(model, partInputShape(spec), timing).medianMs;
    } finally {
      model.dispose();
    }
    onProgress({ phase: 'parts', done: index + 1, total: specs.length, elapsedMs: elapsed() });
    await nextFrame();
  }

  const samples: { flops: number; latencyMs: number; residualMs: number | null }[] = [];
  for (let index = 0; index < settings.networks; index++) {
    if (signal.aborted || elapsed() > settings.timeLimitMs) break;
    const genome = sampleGenome(space, rng);
    const model = buildStudent(space, genome, settings.seed);
    let latencyMs: number;
    try {
      latencyMs = timeModel(model, space.inputShape, timing).medianMs;
    } finally {
      model.dispose();
    }
    const parts = planKeySpecs(expandGenome(space, genome));
    const complete = parts.every((part) => medians[part.key] !== undefined);
    const partSum = complete
      ? parts.reduce((sum, part) => sum + medians[part.key] - callOverheadMs, 0)
      : null;
    samples.push({
      flops: countFlops(space, genome),
      latencyMs,
      residualMs: partSum === null ? null : latencyMs - partSum,
    });
    onProgress({ phase: 'networks', done: index + 1, total: settings.networks, elapsedMs: elapsed() });
    await nextFrame();
  }

  const residuals = samples.flatMap((s) => (s.residualMs === null ? [] : [s.residualMs]));
  const networkOverheadMs = residuals.length > 0 ? median(residuals) : callOverheadMs;
  const table: Record<string, number> = {};
  for (const spec of specs) {
    const value = medians[spec.key];
    if (value === undefined) continue;
    const overhead = spec.kind === 'stem' ? networkOverheadMs : 0;
    table[spec.key] = Math.max(0, value - callOverheadMs + overhead);
  }
  const flopsFit = new Set(samples.map((s) => s.flops)).size >= 2 ? fitFlopsLatency(samples) : null;

  return {
    backend,
    table,
    flopsFit,
    partsTotal: specs.length,
    partsMeasured: Object.keys(medians).length,
    networksMeasured: samples.length,
    callOverheadMs,
    networkOverheadMs,
    durationMs: elapsed(),
    measuredAt,
  };
}
