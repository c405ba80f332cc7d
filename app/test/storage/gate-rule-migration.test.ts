/**
 * Migration 0340 rewrites gates saved before the gate was a rule (issue 16) into the
 * rule parseSettings builds on read, in portal_settings and in the version history,
 * and leaves documents it cannot read (wrong types) for parseSettings to name.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, legacyGateRule, legacyGateSchema, parseSettings } from '@tossup/shared/settings-schema';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { listMigrations, migrate } from '../../src/storage/migrate';

const LEGACY_GATES: Record<string, unknown>[] = [
  { minBantItems: 2, requireLastContacted: true, requireReason: true },
  { minBantItems: 3, requireLastContacted: false, requireReason: true },
  { minBantItems: 0, requireLastContacted: true, requireReason: false },
  { minBantItems: 0, requireLastContacted: false, requireReason: false },
  { minBantItems: 4, requireLastContacted: false, requireReason: false },
  { requireReason: false },
];

describe.each(testBackends())('gate-as-rule migration on %s', (kind) => {
  const t = useTestDatabase(kind, { migrate: false });

  it('rewrites each legacy gate into the rule the read path builds, and only those', async () => {
    await migrate(t.db, listMigrations().filter((m) => m.version < '0340'));
    const docs = LEGACY_GATES.map((gate) => ({ ...DEFAULT_SETTINGS, gate }));
    for (const [i, doc] of docs.entries()) {
      await t.db.query('insert into portal_settings (portal_id, version, settings, updated_at) values ($1, 1, $2, 1)', [100 + i, JSON.stringify(doc)]);
      await t.db.query("insert into settings_versions (portal_id, version_no, settings, summary, created_at) values ($1, 1, $2, '[]', 1)", [100 + i, JSON.stringify(doc)]);
    }
    const broken = { ...DEFAULT_SETTINGS, gate: { minBantItems: 'two' } };
    await t.db.query('insert into portal_settings (portal_id, version, settings, updated_at) values (200, 1, $1, 1)', [JSON.stringify(broken)]);
    await t.db.query('insert into portal_settings (portal_id, version, settings, updated_at) values (201, 1, $1, 1)', [JSON.stringify(DEFAULT_SETTINGS)]);

    expect(await migrate(t.db)).toEqual(listMigrations().filter((m) => m.version >= '0340').map((m) => m.version));

    for (const [i, gate] of LEGACY_GATES.entries()) {
      const expected = { rule: legacyGateRule(legacyGateSchema.parse(gate)) };
      const live = await t.db.query<{ settings: { gate: unknown } }>('select settings from portal_settings where portal_id = $1', [100 + i]);
      const version = await t.db.query<{ settings: { gate: unknown } }>('select settings from settings_versions where portal_id = $1', [100 + i]);
      expect(live.rows[0]?.settings.gate).toEqual(expected);
      expect(version.rows[0]?.settings.gate).toEqual(expected);
      // What was stored reads exactly as the legacy document did.
      expect(parseSettings(live.rows[0]?.settings)).toEqual(parseSettings({ ...DEFAULT_SETTINGS, gate }));
    }
    const left = await t.db.query<{ portal_id: number; settings: { gate: unknown } }>('select portal_id, settings from portal_settings where portal_id >= 200 order by portal_id');
    expect(left.rows.map((r) => r.settings.gate)).toEqual([{ minBantItems: 'two' }, DEFAULT_SETTINGS.gate]);
    const fns = await t.db.query("select 1 from pg_proc where proname like 'tossup_%gate%'");
    expect(fns.rowCount).toBe(0);
  });
});
