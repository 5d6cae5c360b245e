import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Validation rule that rejects operations nested deeper than `maxDepth` fields, before anything
 * runs. The error reads "'<operation>' exceeds maximum operation depth of <maxDepth>".
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth);
}

/**
 * Apollo plugin that estimates the cost of each operation before it runs and rejects it with
 * HTTP 400 and code QUERY_TOO_COMPLEX above `maxComplexity`. Every field costs 1, and fields
 * declared with a `complexity` function (paginated and list fields) multiply their children's
 * cost by the page size or an expected list length.
 */
export function complexityLimitPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // getComplexity coerces the variables first, so invalid variables fail here, before execution would.
            throw new GraphQLError((error as Error).message, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `Query is too complex: its estimated cost is ${complexity} and the maximum is ${maxComplexity}. ` +
                'Select fewer fields or ask for smaller pages (first).',
              { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
