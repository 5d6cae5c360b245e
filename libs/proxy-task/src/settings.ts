import { AkdError } from '@akd/core';

/** Settings of the proxy task that scores each sampled student. */
export interface ProxySettings {
  /** Images in mini-train, drawn stratified from the training split. */
  trainSize: number;
  /** Images in mini-val, drawn from the rest of the training split; the test split is never used. */
  valSize: number;
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate, decayed by a cosine schedule. */
  learningRate: number;
  /** Seed of the split, the student's initial weights and the batch order. */
  seed: number;
}

/** Named proxy presets: `quick` for CPU machines, `paper` with 5 epochs as in the AKD paper. */
export const PROXY_PRESETS = {
  quick: { trainSize: 2000, valSize: 1000, epochs: 2, batchSize: 32, learningRate: 0.005, seed: 1 },
  paper: { trainSize: 10000, valSize: 5000, epochs: 5, batchSize: 64, learningRate: 0.004, seed: 1 },
} as const satisfies Record<string, ProxySettings>;

/** Name of a proxy preset. */
export type ProxyPreset = keyof typeof PROXY_PRESETS;

/**
 * Throws an INVALID_INPUT error naming the field unless the settings are usable on a training
 * split of `trainCount` images.
 */
export function validateProxySettings(settings: ProxySettings, trainCount: number): void {
  for (const field of ['trainSize', 'valSize', 'epochs', 'batchSize'] as const) {
    const value = settings[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid proxy ${field} ${value}: use a whole number of at least 1.`,
        {
          [field]: value,
        },
      );
    }
  }
  if (!Number.isInteger(settings.seed)) {
    throw new AkdError('INVALID_INPUT', `Invalid proxy seed ${settings.seed}: use a whole number.`);
  }
  if (!(settings.learningRate > 0 && settings.learningRate < 1)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid proxy learning rate ${settings.learningRate}: use a value between 0 and 1, such as 0.005.`,
    );
  }
  if (settings.trainSize + settings.valSize > trainCount) {
    throw new AkdError(
      'INVALID_INPUT',
      `Proxy trainSize ${settings.trainSize} + valSize ${settings.valSize} exceeds the ${trainCount} training images; lower them.`,
      { trainSize: settings.trainSize, valSize: settings.valSize, trainCount },
    );
  }
}
