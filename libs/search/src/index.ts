export type { JsonObject, JsonValue } from './json.js';
export * from './reward.js';
export * from './strategy.js';
export {
  PolicyGradientStrategy,
  type PolicyGradientController,
  type PolicyGradientEstimator,
  type PolicyGradientOptions,
} from './policy-gradient.js';
export { RandomSearchStrategy, type RandomSearchOptions } from './random-search.js';
export { EvolutionStrategy, type EvolutionOptions } from './evolution.js';
export * from './registry.js';
export * from './evaluator.js';
export * from './store.js';
export * from './memory-store.js';
export * from './loop.js';
