import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, settingsWarnings } from '@tossup/shared/settings-schema';
import { createPortalSettingsStore, deletePortalSettings, InvalidSettingsError, loadPortalSettings, savePortalSettings } from '../../src/storage/portal-settings-store';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';

// The one store of portal_settings: the engine's load/save, the settings page's
// concurrency-checked store, and the uninstall purge, on both backends.
describe.each(testBackends())('settings store on %s', (kind) => {
  const t = useTestDatabase(kind);

  it('returns the article defaults when the portal saved nothing', async () => {
    const s = await loadPortalSettings(t.db, '111');
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(s.scoring.behavior.emailOpen.points).toBe(5);
  });

  it('saves, replaces and reloads a portal document, recording who and when', async () => {
    const edited = structuredClone(DEFAULT_SETTINGS);
    edited.sla.firstTouchHours = 8;
    edited.automaticHandoff = false;
    await savePortalSettings(t.db, '222', edited, '900', 1_700_000_000_000);
    expect((await loadPortalSettings(t.db, '222')).sla.firstTouchHours).toBe(8);

    edited.sla.firstTouchHours = 4;
    await savePortalSettings(t.db, '222', edited, '901', 1_700_000_100_000);
    const again = await loadPortalSettings(t.db, '222');
    expect(again.sla.firstTouchHours).toBe(4);
    expect(again.automaticHandoff).toBe(false);
    const { rows } = await t.db.query<{ updated_by: string; updated_at: number; version: number }>(
      'select updated_by, updated_at, version from portal_settings where portal_id = 222',
    );
    expect(rows).toEqual([{ updated_by: '901', updated_at: 1_700_000_100_000, version: 1 }]);
    // Another portal is unaffected.
    expect((await loadPortalSettings(t.db, '333')).sla.firstTouchHours).toBe(24);
  });

  it('refuses an invalid document with field-level bilingual messages and stores nothing', async () => {
    const bad = { ...structuredClone(DEFAULT_SETTINGS), sla: { ...DEFAULT_SETTINGS.sla, firstTouchHours: -1 } };
    const err = await savePortalSettings(t.db, '444', bad, null, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSettingsError);
    expect((err as InvalidSettingsError).errors).toEqual([{ path: 'sla.firstTouchHours', message: { ja: expect.stringMatching(/^0より大きい値/), en: 'Must be greater than 0' } }]);
    const { rowCount } = await t.db.query('select 1 from portal_settings where portal_id = 444');
    expect(rowCount).toBe(0);
  });

  it('fills fields missing from an older stored document with the defaults', async () => {
    const partial = { version: 1, sla: { firstTouchHours: 12 } };
    await t.db.query('insert into portal_settings (portal_id, version, settings, updated_at) values (555, 1, $1::jsonb, 1)', [JSON.stringify(partial)]);
    const s = await loadPortalSettings(t.db, '555');
    expect(s.sla.firstTouchHours).toBe(12);
    expect(s.sla.statusUpdateHours).toBe(48);
    expect(s.rules).toEqual(DEFAULT_SETTINGS.rules);
  });

  it('fails loudly, saying how to fix it, when a stored document is corrupt', async () => {
    await t.db.query('insert into portal_settings (portal_id, version, settings, updated_at) values (666, 1, $1::jsonb, 1)', [
      JSON.stringify({ version: 1, gate: { minBantItems: 'two' } }),
    ]);
    await expect(loadPortalSettings(t.db, '666')).rejects.toThrow(/gate\.minBantItems.*save them again|保存し直してください/);
  });

  it('purges one portal\'s settings on uninstall, leaving the others', async () => {
    await savePortalSettings(t.db, '777', DEFAULT_SETTINGS, null, 1);
    await savePortalSettings(t.db, '778', DEFAULT_SETTINGS, null, 1);
    await deletePortalSettings(t.db, '777');
    await deletePortalSettings(t.db, '779'); // nothing stored: a no-op
    const { rows } = await t.db.query<{ portal_id: number }>('select portal_id from portal_settings where portal_id in (777, 778, 779)');
    expect(rows).toEqual([{ portal_id: 778 }]);
  });
});

describe('parseSettings', () => {
  it('accepts the defaults and reports each bad field in Japanese then English', () => {
    expect(parseSettings(DEFAULT_SETTINGS)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    const r = parseSettings({
      gate: { minBantItems: 5 },
      rules: { sql: { type: 'flag', fact: 'budget_ok' } },
      sla: { calendar: { business: { ...DEFAULT_SETTINGS.sla.calendar.business, workStart: '19:00', timeZone: 'Asia/Nowhere' } } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath['gate.minBantItems']).toEqual({ ja: '4以下にしてください', en: 'Must be at most 4' });
    expect(byPath['rules.sql.fact']?.ja).toMatch(/^次のいずれかを選んでください: .*bant_need/);
    expect(byPath['rules.sql.fact']?.en).toMatch(/^Choose one of:/);
    expect(byPath['sla.calendar.business.timeZone']?.ja).toMatch(/^タイムゾーンが不正です/);
    expect(byPath['sla.calendar.business.timeZone']?.en).toMatch(/^Unknown time zone/);
    expect(byPath['sla.calendar.business.workEnd']?.ja).toMatch(/^終業時刻は始業時刻より後/);
    expect(byPath['sla.calendar.business.workEnd']?.en).toMatch(/^The end of the working day/);
    for (const e of r.errors) {
      expect(e.message.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
      expect(e.message.en).toMatch(/^[A-Z]/);
    }
  });

  it('reads a gate saved before it was a rule as the equivalent rule, and checks its new shape', () => {
    const legacy = parseSettings({ gate: { minBantItems: 3, requireLastContacted: false, requireReason: true } });
    expect(legacy.ok && legacy.settings.gate).toEqual({
      rule: { type: 'and', of: [{ type: 'compare', fact: 'bant_count', op: 'gte', value: 3 }, { type: 'flag', fact: 'handoff_reason_present' }] },
    });
    // The old default document reads as today's default gate.
    expect(parseSettings({ gate: { minBantItems: 2, requireLastContacted: true, requireReason: true } })).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    // A gate that required nothing still holds for everyone.
    const none = parseSettings({ gate: { minBantItems: 0, requireLastContacted: false, requireReason: false } });
    expect(none.ok && none.settings.gate.rule).toEqual({ type: 'and', of: [{ type: 'compare', fact: 'bant_count', op: 'gte', value: 0 }] });
    const mixed = parseSettings({ gate: { ...DEFAULT_SETTINGS.gate, minBantItems: 2 } });
    expect(mixed.ok).toBe(false);
    const tooMany = parseSettings({ gate: { rule: { type: 'compare', fact: 'bant_count', op: 'gte', value: 5 } } });
    expect(tooMany.ok ? [] : tooMany.errors).toEqual([{ path: 'gate.rule.value', message: { ja: '4以下にしてください', en: 'Must be at most 4' } }]);
  });

  it('rejects rule trees that are too deep, without evaluating anything', () => {
    let expr: unknown = { type: 'flag', fact: 'bant_need' };
    for (let i = 0; i < 8; i++) expr = { type: 'not', of: expr };
    const r = parseSettings({ rules: { mql: expr } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'rules.mql', message: { ja: expect.stringContaining('条件式が大きすぎます') } });
  });

  it('refuses an unknown version and non-object input', () => {
    expect(parseSettings({ version: 2 })).toMatchObject({ ok: false, errors: [{ path: 'version' }] });
    expect(parseSettings('x')).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });
});

describe('settingsWarnings', () => {
  it('warns per Sales team without an escalation owner, and when a department has no team', () => {
    const teams = [
      { id: '10', name: 'インサイドセールス部', department: 'inside_sales' as const },
      { id: '20', name: 'フィールドセールス1課', department: 'sales' as const },
      { id: '21', name: 'フィールドセールス2課', department: 'sales' as const },
    ];
    const w = settingsWarnings({ ...DEFAULT_SETTINGS, escalation: { ownersByTeam: { '21': '901' } } }, teams);
    expect(w).toEqual([{ code: 'no_escalation_owner', teamId: '20', message: { ja: expect.stringMatching(/^チーム「フィールドセールス1課」のエスカレーション先が未設定です/), en: expect.stringMatching(/^Team "フィールドセールス1課" has no escalation owner/) } }]);
    expect(settingsWarnings(DEFAULT_SETTINGS, []).map((x) => x.code)).toEqual(['no_sales_team', 'no_inside_sales_team']);
  });
});

describe.each(testBackends())('card API settings store on %s', (kind) => {
  const t = useTestDatabase(kind);

  it('starts from the defaults, saves with a concurrency token, and refuses a stale one', async () => {
    const store = createPortalSettingsStore(t.db);
    expect(await store.get('700')).toEqual({ settings: DEFAULT_SETTINGS, version: 0, updatedAt: null });
    const edited = structuredClone(DEFAULT_SETTINGS);
    edited.sla.firstTouchHours = 8;
    const first = await store.save('700', edited, { expectedVersion: 0, updatedBy: '9999', now: 1_000 });
    expect(first).toEqual({ ok: true, version: 1_000 });
    // Two saves in the same millisecond still move the token.
    const second = await store.save('700', edited, { expectedVersion: 1_000, updatedBy: '9999', now: 1_000 });
    expect(second).toEqual({ ok: true, version: 1_001 });
    expect(await store.save('700', DEFAULT_SETTINGS, { expectedVersion: 1_000, updatedBy: '9998', now: 2_000 })).toEqual({ ok: false, reason: 'conflict', currentVersion: 1_001 });
    // The engine's loader reads what the page saved.
    expect((await loadPortalSettings(t.db, '700')).sla.firstTouchHours).toBe(8);
  });

  it('notices a save made by the shared settings module in between', async () => {
    const store = createPortalSettingsStore(t.db);
    const seen = await store.get('701');
    await savePortalSettings(t.db, '701', DEFAULT_SETTINGS, 'sandbox-seed', 5_000);
    expect(await store.save('701', DEFAULT_SETTINGS, { expectedVersion: seen.version, updatedBy: '9999', now: 6_000 })).toMatchObject({ ok: false, reason: 'conflict' });
  });
});
