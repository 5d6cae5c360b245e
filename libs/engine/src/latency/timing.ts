import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Summary of the timed runs of one model, in milliseconds. */
export interface TimingStats {
  /** Median of the timed runs (the upper one of the two middle runs for an even count). */
  medianMs: number;
  /** Fastest timed run. */
  minMs: number;
  /** Slowest timed run. */
  maxMs: number;
  /** Number of timed runs. */
  runs: number;
}

/**
 * Clock of a timed run. `wall` is elapsed time (`performance.now()`), which is what a user waits
 * for. `cpu` is the CPU time of the whole process (`process.cpuUsage()`, user plus system), which
 * other processes on a shared machine barely disturb. It approximates the wall time on an idle
 * machine only for backends that compute on the calling thread: `cpu`, and `wasm` in Node (one
 * thread). For the multi-threaded TensorFlow runtime of `node` it adds up all threads.
 */
export type LatencyClock = 'wall' | 'cpu';

/** Settings of {@link timeModel}. */
export interface TimingOptions {
  /** Forward passes run and discarded before timing. */
  warmupRuns: number;
  /** Timed forward passes, at least 1. */
  runs: number;
  /** Clock of the timed runs (default `wall`). */
  clock?: LatencyClock;
}

/** Returns a stopwatch on `clock`: call it to start, call its result to read milliseconds. */
function stopwatch(clock: LatencyClock): () => () => number {
  if (clock === 'cpu') {
    return () => {
      const started = process.cpuUsage();
      return () => {
        const used = process.cpuUsage(started);
        return (used.user + used.system) / 1000;
      };
    };
  }
  return () => {
    const started = performance.now();
    return () => performance.now() - started;
  };
}

/** Returns the median, minimum and maximum of `times` (milliseconds), which must not be empty. */
export function summarizeTimes(times: readonly number[]): TimingStats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: sorted[Math.floor(sorted.length / 2)],
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    runs: sorted.length,
  };
}

/**
 * Times batch-1 forward passes of `model` in inference mode on the active backend. Each timed call
 * runs `apply` and then reads back one element of the output, which waits for the kernels to
 * finish without timing the copy of a large feature map. Full networks return ten-odd logits, so
 * their readback is equally small.
 */
export function timeModel(
  model: tfl.LayersModel,
  inputShape: readonly number[],
  options: TimingOptions,
): TimingStats {
  const input = tf.randomUniform([1, ...inputShape], 0, 1, 'float32', 7);
  const start = stopwatch(options.clock ?? 'wall');
  try {
    const once = (): number => {
      const read = start();
      tf.tidy(() => {
        const output = model.apply(input, { training: false }) as tf.Tensor;
        const first = output.shape.map(() => 0);
        const one = output.shape.map(() => 1);
        tf.slice(output, first, one).dataSync();
      });
      return read();
    };
    for (let i = 0; i < options.warmupRuns; i++) once();
    return summarizeTimes(Array.from({ length: options.runs }, once));
  } finally {
    input.dispose();
  }
}
