import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Context as SocketContext } from 'graphql-ws';
import type { Request, Response } from 'express';
import type { WebSocket } from 'ws';
import { AkdError, Logger } from '@akd/core';
import type { AuthService } from './auth/auth.service.js';
import type { GraphqlContext, Principal } from './auth/principal.js';
import { toGraphQLError } from './common/errors.js';
import { complexityLimitPlugin, depthLimitRule } from './common/limits.js';
import type { ApiConfig } from './config.js';

const log = new Logger('api.graphql');

/** WebSocket close code for a connection without a valid token (graphql-ws uses 4401 for Unauthorized). */
export const CLOSE_UNAUTHORIZED = 4401;

/** Per-socket state of graphql-ws: the `ws` socket, and the principal once the socket is connected. */
interface SocketExtra {
  socket: WebSocket;
  principal?: Principal | null;
}

/** Reads the token from `connectionParams.authorization` ("Bearer <token>" or the bare token). */
function tokenFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : value.trim();
}

/**
 * Keeps errors that are already GraphQLErrors (from the exception filter, graphql-js validation or
 * the limit plugins), and turns any other error, one that never passed the exception filter, into
 * its mapped code and user-safe message.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError) return formatted;
  const replacement = toGraphQLError(original);
  return { ...formatted, message: replacement.message, extensions: { code: replacement.extensions.code } };
}

/** Marks every GraphQL response as not cacheable (`cache-control: no-store`). */
const noStorePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control'))
          response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Builds the Apollo driver options: schema generation, auth context, limits and graphql-ws. */
export function graphqlOptions(auth: AuthService, config: ApiConfig): ApolloDriverConfig {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    graphiql: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Send the mapped status (401, 403, 404...) instead of 200 when a resolver fails.
    preserveHttpStatusForExecutionErrors: false,
    fieldResolverEnhancers: ['filters'],
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    validationRules: [depthLimitRule(config.maxQueryDepth)],
    plugins: [
      complexityLimitPlugin(config.maxQueryComplexity),
      // Apollo's cache-control plugin wraps every field resolver to collect cache hints, and the
      // schema declares none. This plugin sets the header that it sent for such responses.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
    ],
    formatError: formatGraphqlError,
    context: (
      input: { req?: Request; res?: Response } | SocketContext<Record<string, unknown>, SocketExtra>,
    ): GraphqlContext => {
      if ('req' in input && input.req) return { transport: 'http', req: input.req };
      const extra = (input as SocketContext<Record<string, unknown>, SocketExtra>).extra;
      return { transport: 'ws', principal: extra.principal ?? null };
    },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // Subscriptions bypass Apollo's validation rules and plugins, so the depth limit is added
        // here. NOTE: the complexity limit is not applied to subscriptions, because graphql-ws
        // validates without the variables that the estimate needs.
        validate: (schema: GraphQLSchema, document: DocumentNode) =>
          validate(schema, document, [...specifiedRules, depthLimitRule(config.maxQueryDepth)]),
        onConnect: async (context: SocketContext<Record<string, unknown>, SocketExtra>) => {
          const token = tokenFromConnectionParams(context.connectionParams);
          const reject = (reason: string): false => {
            context.extra.socket.close(CLOSE_UNAUTHORIZED, reason);
            return false;
          };
          if (token === undefined) {
            if (config.publicRead) {
              context.extra.principal = null;
              return true;
            }
            return reject('Unauthorized: missing API token in connectionParams.authorization');
          }
          try {
            context.extra.principal = await auth.authenticate(token);
            return true;
          } catch (error) {
            if (error instanceof AkdError && error.code === 'UNAUTHENTICATED') {
              return reject('Unauthorized: invalid or revoked API token');
            }
            log.error('could not check the token of a WebSocket connection', { error });
            context.extra.socket.close(1011, 'Internal error while checking the API token');
            return false;
          }
        },
      },
    },
  } as ApolloDriverConfig;
}
