import { createHash } from 'node:crypto';
import type { OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { Logger } from '@akd/core';

/** OID of the Postgres `int8` (bigint) type. */
const INT8_OID = 20;

/** Connections of the pool; node-postgres defaults to 10 as well. */
const MAX_CONNECTIONS = 10;

/** A connection attempt fails after this long, so that a request does not wait for an unreachable server. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Parses int8 columns as BigInt, as Prisma returns BigInt fields, and leaves the rest to pg-types. */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (value) => BigInt(value);
  return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
}

/**
 * Read queries that run on node-postgres directly, next to Prisma, for the reads behind every request
 * (an experiment by id, a candidate page, the leaderboard). For these, building the query and
 * mapping the rows in Prisma costs the API process more CPU time than the query costs Postgres.
 *
 * Rows come back with int8 columns as BigInt, json and jsonb columns parsed, timestamps as Date and
 * enums in their Postgres spelling. Each distinct SQL text runs as a named prepared statement, so
 * Postgres parses it once per connection. Connection errors reach the caller as the pg errors that
 * `describeError` maps to 503. The application provides one instance, built from the database URL.
 */
export class SqlReader implements OnModuleDestroy {
  private readonly log = new Logger('api.sql');
  private readonly pool: pg.Pool;
  /** Statement name of each SQL text. */
  private readonly names = new Map<string, string>();

  constructor(url: string) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: MAX_CONNECTIONS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      types: { getTypeParser: typeParser },
    });
    // An idle connection that Postgres closes (a restart, an administrator) emits this; the pool
    // drops it and opens a new one on demand. Without a listener the process would exit.
    this.pool.on('error', (error) => this.log.warn('an idle database connection failed', { error }));
  }

  /** Runs `text` with the parameters `values` and returns its rows. */
  async query<Row>(text: string, values: readonly unknown[]): Promise<Row[]> {
    const result = await this.pool.query<Row & pg.QueryResultRow>({
      name: this.statementName(text),
      text,
      values: [...values],
    });
    return result.rows;
  }

  private statementName(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `akd_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.names.set(text, name);
    }
    return name;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
