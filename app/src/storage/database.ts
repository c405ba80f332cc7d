import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { postgresFix } from './postgres-fix';

/**
 * PostgreSQL only, two ways: an embedded PGlite (a WASM build of
 * PostgreSQL) when DATABASE_URL is unset, and a real server when it is set. Both
 * run the same SQL through this one interface; int8 comes back as a JS number on
 * both (all our int8 values are epoch milliseconds or HubSpot ids, below 2^53).
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name (PostgreSQL server only;
   * PGlite runs in-process and ignores it). For hot statements whose planning is a
   * measurable share of their time: the webhook route's multi-row inbox insert. The
   * name must always go with the same SQL text.
   */
  name?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN/COMMIT; ROLLBACK if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresPoolOptions {
  poolSize?: number;
  /** How long a query waits for a free connection or a new one before failing (default 5 s). */
  connectionTimeoutMs?: number;
  /**
   * Server-side statement_timeout, lock waits included (default 30 s). Without it a
   * locked table stalls every request behind it for as long as the lock lasts.
   */
  statementTimeoutMs?: number;
}

export type DatabaseOptions =
  | ({ kind: 'postgres'; url: string } & PostgresPoolOptions)
  | { kind: 'pglite'; dataDir?: string /* undefined = in memory */ };

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

const INT8_OID = 20;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres' ? createPostgresDatabase(options.url, options) : createPgliteDatabase(options.dataDir);
}

async function createPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(path.resolve(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir ? path.resolve(dataDir) : undefined, {
    parsers: { [INT8_OID]: (v: string) => Number(v) },
  });
  const run = async <R,>(q: { query: PGlite['query'] }, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const r = await q.query<R>(sql, params ? [...params] : undefined);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    close: () => db.close(),
  };
}

async function createPostgresDatabase(url: string, options: PostgresPoolOptions): Promise<Database> {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    // Sent as a startup parameter, so it holds for every statement on every connection.
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener that would crash the process. The next query simply reconnects.
  pool.on('error', () => undefined);
  const toResult = <R,>(r: pg.QueryResult): QueryResult<R> => ({ rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length });
  // Fail fast with a message that says what to fix.
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `tossup: cannot reach PostgreSQL at DATABASE_URL (${redactUrl(url)}): ${(err as Error).message}. ${postgresFix(err, url)}`,
    );
  }
  return {
    kind: 'postgres',
    query: async (sql, params, opts) => toResult(await pool.query(opts?.name ? { name: opts.name, text: sql, values: params ? [...params] : [] } : { text: sql, values: params ? [...params] : undefined })),
    transaction: async (fn) => {
      const client = await pool.connect();
      // While checked out, a client whose connection dies (server restart, admin
      // terminate) emits 'error'; the pool listens only to idle clients, so without
      // this listener the process crashes. The failing query rejects on its own and
      // release() drops the broken client. (Found by app/test/e2e/chaos.test.ts.)
      const onError = () => undefined;
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async (sql, params, opts) => toResult(await client.query(opts?.name ? { name: opts.name, text: sql, values: params ? [...params] : [] } : { text: sql, values: params ? [...params] : undefined })),
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
