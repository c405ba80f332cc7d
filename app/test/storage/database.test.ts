import { describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { listMigrations, migrate, splitStatements } from '../../src/storage/migrate';

// The same suite on the embedded PGlite and on the PostgreSQL server.
describe.each(testBackends())('storage on %s', (kind) => {
  const t = useTestDatabase(kind);

  it('applies every migration once and records it', async () => {
    const again = await migrate(t.db);
    expect(again).toEqual([]);
    const r = await t.db.query<{ version: string }>('select version from schema_migrations order by version');
    expect(r.rows.map((x) => x.version)).toEqual(listMigrations().map((m) => m.version));
  });

  it('has the tables the foundation promises', async () => {
    const r = await t.db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    const names = r.rows.map((x) => x.table_name);
    for (const table of ['installs', 'oauth_tokens', 'oauth_states', 'portal_settings', 'webhook_inbox', 'signal_ledger', 'handoff_log', 'jobs', 'side_effects', 'sla_clocks', 'round_robin_counts']) {
      expect(names).toContain(table);
    }
  });

  it('returns int8 as numbers and jsonb as objects on both backends', async () => {
    const r = await t.db.query<{ n: number; j: { a: number[] } }>("select 1795832422819::bigint as n, '{\"a\":[1,2]}'::jsonb as j");
    expect(r.rows[0]).toEqual({ n: 1795832422819, j: { a: [1, 2] } });
  });

  it('the inbox unique key makes a duplicate insert a no-op', async () => {
    const insert = () =>
      t.db.query(
        `insert into webhook_inbox (portal_id, event_key, subscription_type, occurred_at, payload, received_at)
         values ($1, $2, $3, $4, $5::jsonb, $6) on conflict (portal_id, event_key) do nothing`,
        [123, 'sub:1:evt:1', 'object.creation', 1, JSON.stringify({ x: 1 }), 2],
      );
    expect((await insert()).rowCount).toBe(1);
    expect((await insert()).rowCount).toBe(0);
    const r = await t.db.query<{ c: number }>('select count(*)::int as c from webhook_inbox where portal_id = 123');
    expect(r.rows[0]?.c).toBe(1);
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query("insert into jobs (kind, job_key, run_at, created_at, updated_at) values ('x', 'rollback-me', 0, 0, 0)");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await t.db.query('select 1 from jobs where job_key = $1', ['rollback-me']);
    expect(r.rows).toHaveLength(0);
  });

  it('commits a transaction and sees its writes inside it', async () => {
    const seen = await t.db.transaction(async (tx) => {
      await tx.query("insert into jobs (kind, job_key, run_at, created_at, updated_at) values ('x', 'commit-me', 0, 0, 0)");
      return (await tx.query('select 1 from jobs where job_key = $1', ['commit-me'])).rows.length;
    });
    expect(seen).toBe(1);
    expect((await t.db.query('select 1 from jobs where job_key = $1', ['commit-me'])).rows).toHaveLength(1);
  });

  it('enforces status values with check constraints', async () => {
    await expect(t.db.query("insert into installs (portal_id, status, installed_at, updated_at) values (1, 'weird', 0, 0)")).rejects.toThrow();
  });
});

describe('migration file splitting', () => {
  it('splits on semicolons at line ends and drops comments', () => {
    expect(splitStatements('-- c\ncreate table a (x int);\n\ncreate index i on a (x);\n')).toEqual(['create table a (x int)', 'create index i on a (x)']);
  });
});
