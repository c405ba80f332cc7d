import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../src/storage/database';
import { migrate } from '../src/storage/migrate';

/**
 * The same storage tests run on both backends:
 * - `pglite`: embedded, in memory;
 * - `postgres`: the server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *   in a throwaway database created for the test file and dropped afterwards.
 *
 * Set TOSSUP_SKIP_POSTGRES=1 to run only the embedded backend (for machines
 * without a server); CI never sets it.
 */
export type BackendKind = 'pglite' | 'postgres';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function testBackends(): BackendKind[] {
  return process.env.TOSSUP_SKIP_POSTGRES === '1' ? ['pglite'] : ['pglite', 'postgres'];
}

export interface TestDatabase {
  db: Database;
  /** For postgres: the URL of the throwaway database (e.g. for a second process). */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: BackendKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await createDatabase({ kind: 'pglite' });
    if (options.migrate ?? true) await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `tossup_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  const db = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  if (options.migrate ?? true) await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: TEST_SERVER_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
