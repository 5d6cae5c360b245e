import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Response } from 'express';
import { describeError, toGraphQLError } from './errors.js';

/**
 * The one exception filter of the API. GraphQL resolvers get a GraphQLError with the mapped code
 * and status, and REST handlers reply `{ "error": { "code", "message" } }` with the mapped status.
 */
@Catch()
export class AkdExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return toGraphQLError(exception);

    const response = host.switchToHttp().getResponse<Response>();
    const reply = describeError(exception);
    if (response.headersSent) {
      // A download failed after the first bytes went out: the only signal left is a cut connection.
      response.destroy();
      return undefined;
    }
    response.status(reply.status).json({ error: { code: reply.code, message: reply.message } });
    return undefined;
  }
}
