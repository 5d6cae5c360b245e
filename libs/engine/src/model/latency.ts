import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Settings of {@link measureLatencyMs}. */
export interface LatencyMeasureOptions {
  /** Forward passes run and discarded before timing. */
  warmupRuns?: number;
  /** Timed forward passes; the median is returned. */
  runs?: number;
}

/**
 * Measures the median wall-clock time in milliseconds of a batch-1 forward pass of `model` in
 * inference mode on the active backend, including reading the output back.
 */
export function measureLatencyMs(
  model: tfl.LayersModel,
  shape: readonly [number, number, number],
  options: LatencyMeasureOptions = {},
): number {
  const warmupRuns = options.warmupRuns ?? 5;
  const runs = options.runs ?? 21;
  const input = tf.randomUniform([1, ...shape], 0, 1, 'float32', 7);
  try {
    const once = (): number => {
      const started = performance.now();
      tf.tidy(() => (model.apply(input, { training: false }) as tf.Tensor).dataSync());
      return performance.now() - started;
    };
    for (let i = 0; i < warmupRuns; i++) once();
    const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    input.dispose();
  }
}
