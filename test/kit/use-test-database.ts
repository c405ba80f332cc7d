import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, testBackends, type BackendKind, type TestDatabase } from '../../app/dev/throwaway-database';
import type { Database } from '../../app/src/storage/database';

/**
 * The one "throwaway database per backend" set-up for tests (built on
 * app/dev/throwaway-database.ts): a migrated database created before the suite's
 * tests and dropped after them, on the embedded PGlite and on the PostgreSQL server
 * (TOSSUP_SKIP_POSTGRES=1 keeps only PGlite).
 *
 *   describeOnBothBackends('inbox store', (t) => { it('…', () => t.db.query(…)); });
 *
 *   describe.each(testBackends())('x on %s', (kind) => { const t = useTestDatabase(kind); … });
 *
 *   await withTestDatabase('pglite', async (t) => { … }); // one test, its own database
 */
export { testBackends, type BackendKind, type TestDatabase };

/** The suite's database; read its fields inside hooks and tests (they exist once beforeAll ran). */
export interface TestDatabaseHandle {
  readonly kind: BackendKind;
  readonly db: Database;
  /** For postgres: the URL of the throwaway database (e.g. for a second process or pool). */
  readonly url: string | undefined;
}

/**
 * Registers beforeAll/afterAll in the current describe block. Hooks registered after
 * this call run after the database exists (beforeAll) and before it is dropped
 * (afterAll: vitest runs them in reverse order), so a suite can open a second pool on
 * `t.url` and close it in its own afterAll.
 */
export function useTestDatabase(kind: BackendKind, options: { migrate?: boolean } = {}): TestDatabaseHandle {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(kind, options);
  });
  afterAll(async () => {
    await current?.drop();
    current = undefined;
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error('tossup test kit: the test database is only there inside hooks and tests of the suite that called useTestDatabase');
    return current;
  };
  return {
    kind,
    get db() {
      return get().db;
    },
    get url() {
      return get().url;
    },
  };
}

/** `describe.each` over the backends (`<name> on pglite`, `<name> on postgres`), each suite with its own database. */
export function describeOnBothBackends(name: string, body: (t: TestDatabaseHandle, kind: BackendKind) => void, options: { migrate?: boolean } = {}): void {
  describe.each(testBackends())(`${name} on %s`, (kind) => {
    body(useTestDatabase(kind, options), kind);
  });
}

/** A database for one test only: created, handed to fn, dropped whatever fn does. */
export async function withTestDatabase<T>(kind: BackendKind, fn: (t: TestDatabase) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const t = await createTestDatabase(kind, options);
  try {
    return await fn(t);
  } finally {
    await t.drop();
  }
}
