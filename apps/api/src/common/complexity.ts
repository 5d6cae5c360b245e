import type { ComplexityEstimator } from '@nestjs/graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

/**
 * Cost of a paginated field: its children times the page size requested with `first`.
 * `argument` names the page-size argument when it is not `first`.
 */
export function pageComplexity(argument = 'first'): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const size = typeof args[argument] === 'number' ? (args[argument] as number) : DEFAULT_PAGE_SIZE;
    return 1 + childComplexity * Math.max(1, size);
  };
}

/**
 * Cost of an unpaginated list: its children times `expectedLength`, an estimate of how many items
 * such a list usually has. It is an estimate, not a bound, so long lists cost more than counted.
 */
export function listComplexity(expectedLength: number): ComplexityEstimator {
  return ({ childComplexity }) => 1 + childComplexity * expectedLength;
}
