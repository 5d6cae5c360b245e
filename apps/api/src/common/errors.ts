import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { AkdError, Logger, type AkdErrorCode } from '@akd/core';
import { isTransientDatabaseError } from '@akd/jobs';

const log = new Logger('api.errors');

/** GraphQL `extensions.code` and HTTP status of each {@link AkdErrorCode}. */
export const ERROR_MAPPING: Readonly<Record<AkdErrorCode, { graphqlCode: string; status: number }>> = {
  INVALID_INPUT: { graphqlCode: 'BAD_USER_INPUT', status: 400 },
  INVALID_FILE: { graphqlCode: 'INVALID_FILE', status: 422 },
  NOT_FOUND: { graphqlCode: 'NOT_FOUND', status: 404 },
  CONFLICT: { graphqlCode: 'CONFLICT', status: 409 },
  UNAUTHENTICATED: { graphqlCode: 'UNAUTHENTICATED', status: 401 },
  FORBIDDEN: { graphqlCode: 'FORBIDDEN', status: 403 },
  UNAVAILABLE: { graphqlCode: 'UNAVAILABLE', status: 503 },
  INTERNAL: { graphqlCode: 'INTERNAL_SERVER_ERROR', status: 500 },
};

/** An {@link AkdError} whose HTTP status differs from the one its code maps to, such as 413. */
export class AkdHttpError extends AkdError {
  constructor(
    code: AkdErrorCode,
    message: string,
    readonly status: number,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

/** A failed request as the client sees it. */
export interface ErrorReply {
  code: AkdErrorCode;
  graphqlCode: string;
  status: number;
  /** Safe to show: the AkdError message, or a generic one with an id to find the logged error. */
  message: string;
}

function codeForStatus(status: number): AkdErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 503) return 'UNAVAILABLE';
  if (status >= 400 && status < 500) return 'INVALID_INPUT';
  return 'INTERNAL';
}

/** Requests failed by an unreachable database since the last log line about it. */
let outageFailures = 0;
let outageLoggedAt = 0;
/** During an outage every request fails, so the log gets at most one line per this interval. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

function logDatabaseOutage(error: unknown): void {
  outageFailures++;
  const now = Date.now();
  if (now - outageLoggedAt < OUTAGE_LOG_INTERVAL_MS) return;
  log.warn('requests failed because the database is unreachable', { failedRequests: outageFailures, error });
  outageFailures = 0;
  outageLoggedAt = now;
}

/**
 * Maps any thrown value to the reply a client gets. AkdError and Nest's HttpException keep their
 * message. A lost or refused database connection is 503 UNAVAILABLE. Anything else is logged with a
 * fresh error id and reported as an internal error, so that no stack trace, SQL or path reaches the
 * client.
 */
export function describeError(error: unknown): ErrorReply {
  if (error instanceof AkdError && error.code !== 'INTERNAL') {
    const mapping = ERROR_MAPPING[error.code];
    const status = error instanceof AkdHttpError ? error.status : mapping.status;
    return { code: error.code, graphqlCode: mapping.graphqlCode, status, message: error.message };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const code = codeForStatus(error.getStatus());
    return {
      code,
      graphqlCode: ERROR_MAPPING[code].graphqlCode,
      status: error.getStatus(),
      message: error.message,
    };
  }
  if (isTransientDatabaseError(error)) {
    logDatabaseOutage(error);
    return {
      code: 'UNAVAILABLE',
      graphqlCode: ERROR_MAPPING.UNAVAILABLE.graphqlCode,
      status: 503,
      message: 'The database is unreachable at the moment, so the request failed. Retry in a few seconds.',
    };
  }
  const errorId = randomUUID();
  log.error('request failed', { errorId, error, stack: (error as Error | undefined)?.stack });
  return {
    code: 'INTERNAL',
    graphqlCode: ERROR_MAPPING.INTERNAL.graphqlCode,
    status: 500,
    message: `Internal server error. The server log has the details under error id ${errorId}.`,
  };
}

/**
 * Converts any thrown value into the GraphQLError that Apollo sends: `extensions.code` from
 * {@link ERROR_MAPPING}, and `extensions.http.status`, which Apollo uses as the HTTP status and
 * removes from the response body.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError && !(error.originalError instanceof Error)) return error;
  const source = error instanceof GraphQLError ? error.originalError : error;
  const reply = describeError(source);
  return new GraphQLError(reply.message, {
    extensions: { code: reply.graphqlCode, http: { status: reply.status } },
  });
}
