import { AkdError, type AkdErrorCode } from '@akd/core';

/**
 * Error of a job that must not be retried, for example because the handler already recorded the
 * failure on the job's row. `JobQueue.work` fails such a job at once.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** AkdError codes that a retry cannot fix: the row is missing, the input is invalid, the state conflicts. */
const PERMANENT_CODES: ReadonlySet<AkdErrorCode> = new Set([
  'NOT_FOUND',
  'INVALID_INPUT',
  'INVALID_FILE',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
]);

/** Returns true for a {@link PermanentJobError} and for an AkdError whose code a retry cannot fix. */
export function isPermanentJobError(error: unknown): boolean {
  if (error instanceof PermanentJobError) return true;
  return error instanceof AkdError && PERMANENT_CODES.has(error.code);
}

/** Socket error codes of node-postgres and Node's net module that mean the server was not reachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** Prisma error codes of an unreachable server, a dropped connection or a pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** Error kinds that `@prisma/adapter-pg` 7 reports for connection failures. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * Returns true when `error` (or an error in its `cause` chain) means that Postgres could not be
 * reached or dropped the connection. That covers a refused or reset socket, SQLSTATE class 08
 * (connection exception) and 57P01-57P03 (server shutting down or starting), and the Prisma and
 * driver-adapter errors for those. A retry succeeds once the server is back.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 8; depth++) {
    if (typeof current !== 'object') return false;
    const fields = current as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    const code = typeof fields.code === 'string' ? fields.code : '';
    if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code) || isConnectionSqlState(code)) return true;
    if (adapterCause(fields.meta)) return true;
    if (
      typeof fields.message === 'string' &&
      /Connection terminated|Can't reach database server/i.test(fields.message)
    ) {
      return true;
    }
    current = fields.cause;
  }
  return false;
}

function isConnectionSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03';
}

/** Reads `meta.driverAdapterError.cause` of a Prisma error and checks its kind or SQLSTATE. */
function adapterCause(meta: unknown): boolean {
  const cause = (meta as { driverAdapterError?: { cause?: { kind?: string; code?: string } } } | undefined)
    ?.driverAdapterError?.cause;
  if (!cause) return false;
  if (cause.kind && ADAPTER_KINDS.has(cause.kind)) return true;
  return typeof cause.code === 'string' && isConnectionSqlState(cause.code);
}
