import { AkdError } from '@akd/core';

/** Exponents of the MnasNet latency factor: `alpha` applies when LAT ≤ T, `beta` when LAT > T. */
export interface RewardExponents {
  alpha: number;
  beta: number;
}

/**
 * Exponents of the two MnasNet constraints. `soft` multiplies the accuracy by a smooth factor on
 * both sides of the target: a model twice as fast as the target gains about 5% reward, and one
 * twice as slow loses about 5%. `hard` leaves the reward equal to the accuracy up to the target
 * and divides it by LAT/T above the target.
 */
export const rewardPresets = {
  soft: { alpha: -0.07, beta: -0.07 },
  hard: { alpha: 0, beta: -1 },
} as const satisfies Record<string, RewardExponents>;

/** Name of an entry of {@link rewardPresets}. */
export type RewardPreset = keyof typeof rewardPresets;

/** Latency target and exponents of the reward; missing exponents take the `soft` preset. */
export interface RewardConfig {
  /** Latency target T in milliseconds; must be positive. */
  targetMs: number;
  /** Exponent when the latency is at or below the target; defaults to -0.07. */
  alpha?: number;
  /** Exponent when the latency is above the target; defaults to -0.07. */
  beta?: number;
}

/**
 * Computes the MnasNet reward `R = ACC × (LAT / T)^w`, with `w = alpha` if `LAT ≤ T` and
 * `w = beta` otherwise.
 *
 * @param accuracy distilled accuracy of the candidate, a fraction in [0, 1]
 * @param latencyMs measured latency of the candidate in milliseconds; must be positive
 * @throws AkdError (INVALID_INPUT) naming the value when the accuracy is NaN or outside [0, 1],
 *   the latency or the target is not a positive finite number, or an exponent is not finite
 */
export function computeReward(accuracy: number, latencyMs: number, config: RewardConfig): number {
  const { targetMs } = config;
  const alpha = config.alpha ?? rewardPresets.soft.alpha;
  const beta = config.beta ?? rewardPresets.soft.beta;

  if (!(Number.isFinite(targetMs) && targetMs > 0)) {
    throw invalid(
      `Invalid latency target ${String(targetMs)} ms: expected a positive number of milliseconds.`,
      {
        targetMs,
      },
    );
  }
  if (!Number.isFinite(alpha) || !Number.isFinite(beta)) {
    throw invalid(
      `Invalid reward exponents alpha=${String(alpha)}, beta=${String(beta)}: both must be finite numbers.`,
      { alpha, beta },
    );
  }
  if (!(Number.isFinite(accuracy) && accuracy >= 0 && accuracy <= 1)) {
    throw invalid(`Invalid accuracy ${String(accuracy)}: expected a fraction in [0, 1].`, { accuracy });
  }
  if (!(Number.isFinite(latencyMs) && latencyMs > 0)) {
    throw invalid(`Invalid latency ${String(latencyMs)} ms: expected a positive number of milliseconds.`, {
      latencyMs,
    });
  }

  const exponent = latencyMs <= targetMs ? alpha : beta;
  return accuracy * Math.pow(latencyMs / targetMs, exponent);
}

/**
 * Checks `config` without computing a reward, so a search can reject a bad configuration before
 * it evaluates anything. Throws the same errors as {@link computeReward}.
 */
export function validateRewardConfig(config: RewardConfig): void {
  computeReward(1, config.targetMs, config);
}

function invalid(message: string, details: Record<string, unknown>): AkdError {
  return new AkdError('INVALID_INPUT', message, details);
}
