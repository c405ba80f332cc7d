import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, settingsWarnings } from '@tossup/shared/settings-schema';
import { InvalidSettingsError, loadPortalSettings, savePortalSettings } from '../../src/storage/settings-store';
import { createTestDatabase, testBackends, type TestDatabase } from '../../dev/throwaway-database';

describe.each(testBackends())('settings store on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

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
    expect((err as InvalidSettingsError).errors).toEqual([{ path: 'sla.firstTouchHours', message: expect.stringMatching(/^0より大きい値.* \/ Must be greater than 0$/) }]);
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
    expect(byPath['gate.minBantItems']).toBe('4以下にしてください / Must be at most 4');
    expect(byPath['rules.sql.fact']).toMatch(/^次のいずれかを選んでください: .*bant_need.* \/ Choose one of:/);
    expect(byPath['sla.calendar.business.timeZone']).toMatch(/^タイムゾーンが不正です.*\/ Unknown time zone/);
    expect(byPath['sla.calendar.business.workEnd']).toMatch(/^終業時刻は始業時刻より後.*\/ The end of the working day/);
    for (const e of r.errors) expect(e.message).toMatch(/^.*[\u3040-\u30ff\u4e00-\u9fff].* \/ [A-Z]/u);
  });

  it('rejects rule trees that are too deep, without evaluating anything', () => {
    let expr: unknown = { type: 'flag', fact: 'bant_need' };
    for (let i = 0; i < 8; i++) expr = { type: 'not', of: expr };
    const r = parseSettings({ rules: { mql: expr } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'rules.mql', message: expect.stringContaining('条件式が大きすぎます') });
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
    expect(w).toEqual([{ code: 'no_escalation_owner', teamId: '20', message: expect.stringMatching(/^チーム「フィールドセールス1課」のエスカレーション先が未設定です.* \/ Team "フィールドセールス1課" has no escalation owner/) }]);
    expect(settingsWarnings(DEFAULT_SETTINGS, []).map((x) => x.code)).toEqual(['no_sales_team', 'no_inside_sales_team']);
  });
});
