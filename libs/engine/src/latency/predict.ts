import { AkdError } from '@akd/core';
import {
  expandGenome,
  spaceFingerprint,
  type Genome,
  type NetworkPlan,
  type SearchSpace,
} from '@akd/search-space';
import { enumerateLayerKeys, planKeySpecs } from './keys.js';
import { formatShape, type LatencyProfile } from './profile.js';

/**
 * Returns the latency in milliseconds that `profile` predicts for the network of `genome`:
 * `networkOverheadMs` once plus, for every part of the expanded plan (stem, each block layer,
 * head, classifier), its median time minus `callOverheadMs`.
 *
 * @throws AkdError INVALID_INPUT when the profile was measured at another input shape or has no
 *   entry for a part of the network. The message names the missing key and the likely cause.
 */
export function predictLatencyMs(profile: LatencyProfile, space: SearchSpace, genome: Genome): number {
  return profile.networkOverheadMs + sumPartsMs(profile, expandGenome(space, genome), space);
}

/**
 * Returns Σ (entry.medianMs − callOverheadMs) over the parts of `plan`, which `expandGenome`
 * produced from `space`: the prediction without the network overhead. Throws like
 * {@link predictLatencyMs}.
 */
export function sumPartsMs(profile: LatencyProfile, plan: NetworkPlan, space: SearchSpace): number {
  if (formatShape(profile.inputShape) !== formatShape(plan.inputShape)) {
    throw new AkdError(
      'INVALID_INPUT',
      `The latency profile was measured at input ${formatShape(profile.inputShape)}, but the network ` +
        `takes input ${formatShape(plan.inputShape)}. Measure a profile for this search space.`,
      { profileInputShape: profile.inputShape, inputShape: plan.inputShape },
    );
  }
  let total = 0;
  for (const spec of planKeySpecs(plan)) {
    const entry = profile.entries[spec.key];
    if (entry === undefined) throw missingKeyError(profile, space, spec.key);
    total += entry.medianMs - profile.callOverheadMs;
  }
  return total;
}

/**
 * Returns the keys of the parts that some genome of `space` contains (see `enumerateLayerKeys`)
 * and that `profile` has no entry for, in enumeration order. An empty list means that the table
 * model can predict every genome of the space.
 */
export function missingProfileKeys(profile: LatencyProfile, space: SearchSpace): string[] {
  return enumerateLayerKeys(space)
    .map((spec) => spec.key)
    .filter((key) => profile.entries[key] === undefined);
}

function missingKeyError(profile: LatencyProfile, space: SearchSpace, key: string): AkdError {
  let cause: string;
  const fingerprint = spaceFingerprint(space);
  if (fingerprint !== profile.spaceFingerprint) {
    cause =
      `The profile was measured for another search space (fingerprint ${profile.spaceFingerprint.slice(0, 12)}…, ` +
      `this space ${fingerprint.slice(0, 12)}…). Measure a profile for this search space.`;
  } else if (!profile.complete) {
    cause =
      `A time limit stopped the measurement with ${profile.skippedKeys} parts unmeasured. ` +
      'Measure the profile again without a time limit.';
  } else {
    cause =
      'The profile should contain every part of this space, so it was probably edited or truncated. Measure it again.';
  }
  return new AkdError('INVALID_INPUT', `The latency profile has no entry for "${key}". ${cause}`, {
    key,
    profileSpaceFingerprint: profile.spaceFingerprint,
    spaceFingerprint: fingerprint,
  });
}
