import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Settings of {@link measureLatencyMs}. */
export interface LatencyMeasureOptions {
  /** Forward passes run and discarded before timing. */
  warmupRuns?: number;
  /** Number of timed forward passes, of which the fastest is returned. */
  runs?: number;
  /** Clock in milliseconds (default `performance.now`). Tests pass a fake one. */
  now?: () => number;
}

/**
 * Measures the wall-clock time in milliseconds of a batch-1 forward pass of `model` in inference
 * mode on the active backend, including reading the output back, as the fastest of `runs` passes.
 *
 * Other processes on the machine can only add time to a pass (the process waits for a core), so
 * the fastest pass is the one closest to the cost of the network itself. The median grows with the
 * load: for six random students of the 28×28 space on 2 cores, three busy loops made the median up
 * to 2.4 times longer, while the fastest pass changed by less than 10%.
 */
export function measureLatencyMs(
  model: tfl.LayersModel,
  shape: readonly [number, number, number],
  options: LatencyMeasureOptions = {},
): number {
  const warmupRuns = options.warmupRuns ?? 5;
  const runs = options.runs ?? 21;
  const now = options.now ?? (() => performance.now());
  const input = tf.randomUniform([1, ...shape], 0, 1, 'float32', 7);
  try {
    const once = (): number => {
      const started = now();
      tf.tidy(() => (model.apply(input, { training: false }) as tf.Tensor).dataSync());
      return now() - started;
    };
    for (let i = 0; i < warmupRuns; i++) once();
    return Math.min(...Array.from({ length: runs }, once));
  } finally {
    input.dispose();
  }
}
