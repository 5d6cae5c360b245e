import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Validation rule that rejects operations nested deeper than `maxDepth` fields, before anything
 * runs. The error reads "'<operation>' exceeds maximum operation depth of <maxDepth>".
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth);
}

/** Estimates kept per parsed document, one per distinct operation name and variables. */
const ESTIMATES_PER_DOCUMENT = 64;

/**
 * Apollo plugin that estimates the cost of each operation before it runs and rejects it with
 * HTTP 400 and code QUERY_TOO_COMPLEX above `maxComplexity`. Every field costs 1, and fields
 * declared with a `complexity` function (paginated and list fields) multiply their children's
 * cost by the page size or an expected list length.
 *
 * The estimate depends only on the schema, the document, the operation name and the variables.
 * Apollo's document cache hands out the same parsed document for the same query text, so the
 * estimate is kept per document for up to {@link ESTIMATES_PER_DOCUMENT} sets of variables.
 */
export function complexityLimitPlugin(maxComplexity: number): ApolloServerPlugin {
  const estimates = new WeakMap<DocumentNode, Map<string, number>>();

  const estimate = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): number => {
    const key = JSON.stringify([operationName ?? null, variables]);
    let known = estimates.get(document);
    const cached = known?.get(key);
    if (cached !== undefined) return cached;
    let complexity: number;
    try {
      complexity = getComplexity({
        schema,
        query: document,
        operationName,
        variables,
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch (error) {
      // getComplexity coerces the variables first, so invalid variables fail here, before execution would.
      throw new GraphQLError((error as Error).message, {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    if (!known) {
      known = new Map();
      estimates.set(document, known);
    }
    if (known.size >= ESTIMATES_PER_DOCUMENT) known.clear();
    known.set(key, complexity);
    return complexity;
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const complexity = estimate(
            schema,
            document,
            request.operationName ?? undefined,
            request.variables ?? {},
          );
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
