import { AkdError } from '@akd/core';
import type { SearchSpace } from '@akd/search-space';
import { EvolutionStrategy, type EvolutionOptions } from './evolution.js';
import type { JsonValue } from './json.js';
import { PolicyGradientStrategy, type PolicyGradientOptions } from './policy-gradient.js';
import { RandomSearchStrategy, type RandomSearchOptions } from './random-search.js';
import type { SearchStrategy, StrategyKind } from './strategy.js';

/** Options type of each built-in strategy kind. */
export interface StrategyOptionsByKind {
  'policy-gradient': PolicyGradientOptions;
  random: RandomSearchOptions;
  evolution: EvolutionOptions;
}

/** A strategy kind with its options, enough to create the strategy or restore a saved one. */
export type StrategySpec = {
  [K in StrategyKind]: { kind: K; options?: StrategyOptionsByKind[K] };
}[StrategyKind];

/** Creates a fresh strategy of `spec.kind` over `space`. */
export function createStrategy(space: SearchSpace, spec: StrategySpec): SearchStrategy {
  return build(spec.kind, space, spec.options, undefined);
}

/**
 * Rebuilds a strategy from the output of its `state()`. With the options it was created with,
 * the restored strategy proposes and updates exactly as the saved one would have.
 *
 * @throws AkdError (INVALID_INPUT) when the kind is unknown or the state does not fit the kind
 *   or the search space
 */
export function restoreStrategy<K extends StrategyKind>(
  kind: K,
  space: SearchSpace,
  options: StrategyOptionsByKind[K] | undefined,
  state: JsonValue,
): SearchStrategy {
  return build(kind, space, options, state);
}

function build(
  kind: StrategyKind,
  space: SearchSpace,
  options: StrategyOptionsByKind[StrategyKind] | undefined,
  state: JsonValue | undefined,
): SearchStrategy {
  switch (kind) {
    case 'policy-gradient':
      return new PolicyGradientStrategy(space, options as PolicyGradientOptions | undefined, state);
    case 'random':
      return new RandomSearchStrategy(space, options as RandomSearchOptions | undefined, state);
    case 'evolution':
      return new EvolutionStrategy(space, options as EvolutionOptions | undefined, state);
    default:
      throw new AkdError(
        'INVALID_INPUT',
        `Unknown search strategy ${JSON.stringify(kind)}: expected 'policy-gradient', 'random' or 'evolution'.`,
      );
  }
}
