import { AkdError } from '@akd/core';
import pg from 'pg';

/** Host, port and database of a connection URL: what error messages and logs may show. */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * Parses a `postgresql://` URL into the parts that are safe to log. The password is dropped.
 * Throws INVALID_INPUT when `url` is not a Postgres URL.
 */
export function describeUrl(url: string): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AkdError(
      'INVALID_INPUT',
      'Invalid Postgres URL: expected postgresql://user@host:port/database.',
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid Postgres URL: the scheme is "${parsed.protocol}", expected "postgresql:".`,
    );
  }
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(parsed.username) || 'postgres',
  };
}

/** Formats a URL as `host:port/database` for messages, without user or password. */
export function formatTarget(url: string): string {
  const target = describeUrl(url);
  return `${target.host}:${target.port}/${target.database}`;
}

/** Returns `url` with its database name replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Opens one connection to `url` and runs `SELECT 1`. Rejects with the driver's error when the
 * server is unreachable, refuses the login or the database does not exist.
 */
export async function checkConnection(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that dies after the check emits 'error', which crashes the process without a listener.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Quotes a Postgres identifier (a database name, for instance). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
