import pg from 'pg';
import { AkdError, type Logger } from '@akd/core';
import { sleepUnlessAborted } from './backoff.js';

/** A held row lock. */
export interface RowLock {
  /** Fires when the lock's connection drops, which releases the lock in Postgres. */
  readonly lost: AbortSignal;
  /** Releases the lock; does nothing when it is already released or lost. */
  release(): Promise<void>;
}

/** Advisory-lock key of a row: the 64-bit hash of `<kind>:<id>`. */
const KEY_SQL = 'hashtextextended($1, 0)';

/**
 * Session-level Postgres advisory locks on rows, held on one dedicated connection per worker
 * process. Postgres releases a lock when its session ends, so a crashed or killed worker never
 * leaves a row locked, and any process can ask whether a row is locked through `pg_locks`.
 *
 * Workers lock an experiment for the length of a search step (only one search may use an
 * experiment's store at a time) and each row they train, so a job delivered twice trains once.
 *
 * NOTE: session locks need a direct connection or a session-mode pooler; a transaction-mode
 * pooler (PgBouncer `pool_mode=transaction`) would hand the session to other clients.
 */
export class RowLocks {
  private client: pg.Client | null = null;
  /** Keys locked by this process. */
  private readonly held = new Set<string>();
  private connecting: Promise<pg.Client> | null = null;
  /** Settles after the last query sent to the connection; see {@link query}. */
  private queryTail: Promise<unknown> = Promise.resolve();
  private lostController = new AbortController();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  /** Takes the lock of row `id` of `kind` if no session holds it; returns null otherwise. */
  async tryAcquire(kind: string, id: string): Promise<RowLock | null> {
    const key = `${kind}:${id}`;
    // Advisory locks are re-entrant within a session, so this process tracks its own holders.
    if (this.held.has(key)) return null;
    this.held.add(key);
    let locked = false;
    try {
      const client = await this.connection();
      const lost = this.lostController.signal;
      const result = await this.query<{ locked: boolean }>(
        client,
        `SELECT pg_try_advisory_lock(${KEY_SQL}) AS locked`,
        [key],
      );
      locked = result.rows[0].locked;
      if (!locked) return null;
      return this.heldLock(client, key, lost);
    } finally {
      if (!locked) this.held.delete(key);
    }
  }

  private heldLock(client: pg.Client, key: string, lost: AbortSignal): RowLock {
    let released = false;
    return {
      lost,
      release: async () => {
        if (released) return;
        released = true;
        this.held.delete(key);
        if (lost.aborted || this.client !== client) return;
        try {
          await this.query(client, `SELECT pg_advisory_unlock(${KEY_SQL})`, [key]);
        } catch (error) {
          this.log.warn('Cannot release a row lock; it ends with the connection', { key, error });
        }
      },
    };
  }

  /**
   * Takes the lock of row `id` of `kind`, trying every 500 ms for up to `timeoutMs`. Returns null
   * when another session still has the lock by then, or when `signal` fires.
   */
  async acquireWithin(
    kind: string,
    id: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<RowLock | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lock = await this.tryAcquire(kind, id);
      if (lock) return lock;
      const left = deadline - Date.now();
      if (left <= 0 || !(await sleepUnlessAborted(Math.min(500, left), signal))) return null;
    }
  }

  /** Returns the ids among `ids` whose `kind` lock any session of this database holds. */
  async heldIds(kind: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const client = await this.connection();
    // A bigint advisory key appears in pg_locks as classid (high 32 bits) and objid (low 32 bits).
    const result = await this.query<{ id: string }>(
      client,
      `SELECT id FROM unnest($1::text[]) AS id
       WHERE EXISTS (
         SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($2 || ':' || id, 0))`,
      [[...ids], kind],
    );
    return new Set(result.rows.map((row) => row.id));
  }

  /** Closes the connection, which releases every lock it holds. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /**
   * Runs one query on `client` after the queries sent before it have settled. Concurrent jobs share
   * the one lock connection, and node-postgres 8 deprecates sending a query while another runs.
   */
  private query<Row extends pg.QueryResultRow>(
    client: pg.Client,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    const result = this.queryTail.then(() => client.query<Row>(text, values));
    this.queryTail = result.catch(() => undefined);
    return result;
  }

  private async connection(): Promise<pg.Client> {
    if (this.closed) throw new AkdError('UNAVAILABLE', 'The row locks of this worker are closed.');
    if (this.client) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'akd-worker-locks',
      keepAlive: true,
    });
    const onLost = (error?: Error): void => {
      if (this.client !== client) return;
      this.client = null;
      this.lostController.abort(
        new AkdError('UNAVAILABLE', 'The connection that held the row locks was lost.'),
      );
      this.lostController = new AbortController();
      if (!this.closed) this.log.warn('Lost the row-lock connection; its locks are released', { error });
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      // When the worker's host vanishes without closing the socket, the server notices within
      // about a minute (30 s idle, then 3 probes 10 s apart) and drops the session and its locks.
      await client.query(
        'SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3',
      );
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }
}
