import { describe, expect, it } from 'vitest';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { parseSettings, settingsWarnings } from '@tossup/shared/settings-schema';
import { availabilityAt, workingDateFor } from '../../src/domain/availability';
import { evaluateContact } from '../../src/domain/evaluate';
import { planHandoff } from '../../src/domain/handoff';
import { routeHandoff } from '../../src/domain/routing';
import { routingPathInWords } from '../../src/domain/routing-path';
import { conditionHolds, matchRoutingRule, routingReadProperties } from '../../src/domain/routing-rules';
import { evaluateSla, nextSlaCheckAt, reassignDueAt } from '../../src/domain/sla';
import type { ContactSnapshot, Owner, PortalDirectory, SlaClock } from '../../src/domain/types';
import { DAY, HOUR, READY_FOR_HANDOFF, T0, applyToSnapshot, directory, settings, snapshot } from './fixtures';

// A company with 東日本 / 西日本 sales teams and a 関西 pool (the README's example).
const EAST = { id: '41', name: '東日本営業部' };
const WEST = { id: '42', name: '西日本営業部' };
const OWNERS: Owner[] = [
  { id: '401', archived: false, teams: [EAST], lastName: '佐藤', firstName: '一郎' },
  { id: '402', archived: false, teams: [EAST], lastName: '鈴木', firstName: '二郎' },
  { id: '403', archived: false, teams: [EAST], lastName: '東', firstName: '部長' }, // manager (escalation owner)
  { id: '501', archived: false, teams: [WEST], lastName: '山田', firstName: '太郎', email: 'yamada@example.jp' },
  { id: '502', archived: false, teams: [WEST], lastName: '田中', firstName: '花子' },
  { id: '503', archived: true, teams: [WEST], lastName: '高橋', firstName: '退職' },
  { id: '504', archived: false, teams: [WEST], lastName: '伊藤', firstName: '三郎' },
];

function dir(routing: Partial<NonNullable<PortalDirectory['routing']>> = {}): PortalDirectory {
  return directory({ owners: OWNERS, routing: { openHandoffs: {}, poolCounts: {}, outOfOffice: [], ...routing } });
}

function orgSettings(edit?: (s: PortalSettings) => void): PortalSettings {
  return settings((s) => {
    s.escalation.ownersByTeam = { [EAST.id]: '403' };
    s.routing.pools = [
      {
        id: 'kansai',
        name: '関西営業チーム',
        members: [
          { ownerId: '501', weight: 1, capacity: 8 },
          { ownerId: '502', weight: 1, capacity: 8 },
          { ownerId: '503', weight: 1, capacity: null },
        ],
      },
    ];
    s.routing.rules = [
      { id: 'kansai', name: '地域ルール: 関西', enabled: true, conditions: [{ object: 'contact', property: 'state', op: 'in', values: ['大阪府', '京都府', '兵庫県'] }], target: { type: 'pool', poolId: 'kansai' } },
      { id: 'east', name: '地域ルール: 東日本', enabled: true, conditions: [{ object: 'contact', property: 'state', op: 'in', values: ['東京都', '神奈川県', '宮城県'] }], target: { type: 'team', teamId: EAST.id } },
    ];
    edit?.(s);
  });
}

const lead = (state: string, extra: Partial<ContactSnapshot> = {}) => snapshot({ state }, extra);

describe('routing rules (first match wins) and the path in words', () => {
  it('地域ルール: 関西 → 関西営業チーム → 山田（稼働中・担当 3/8件）, with who was passed over and why', () => {
    const d = dir({ openHandoffs: { '501': 3, '502': 8 }, poolCounts: { 'pool:kansai': { '501': 10, '502': 2 } } });
    const r = routeHandoff(lead('大阪府'), orgSettings(), d, T0)!;
    expect(r.ownerId).toBe('501');
    expect(r.path).toBe('rule:kansai>pool:kansai');
    expect(r.claim).toEqual({ ownerId: '501', poolKey: 'pool:kansai', cap: 8 });
    expect(routingPathInWords(r.trace!, r.ownerId, d)).toEqual({
      ja: '地域ルール: 関西 → 関西営業チーム → 山田 太郎（稼働中・担当 3/8件）［対象外: 田中 花子（上限到達 8/8件）、高橋 退職（無効なユーザー）］',
      en: '地域ルール: 関西 → 関西営業チーム → 太郎 山田 (available, 3/8 open) [skipped: 花子 田中 (at capacity 8/8), 退職 高橋 (deactivated)]',
    });
  });

  it('a team target leaves the escalation owner out unless added; no rule → every Sales team', () => {
    const east = routeHandoff(lead('東京都'), orgSettings(), dir(), T0)!;
    expect(east.trace!.candidates.map((c) => [c.ownerId, c.status])).toEqual([['401', 'chosen'], ['402', 'eligible'], ['403', 'manager']]);
    const added = routeHandoff(lead('東京都'), orgSettings((s) => (s.routing.includeOwnerIds = ['403'])), dir({ poolCounts: { 'team:41': { '401': 1, '402': 1 } } }), T0)!;
    expect(added.ownerId).toBe('403');
    const none = routeHandoff(lead('沖縄県'), orgSettings(), dir(), T0)!;
    expect(none.path).toBe('round_robin:sales');
    expect(none.trace!.rule).toBeUndefined();
    expect(routingPathInWords(none.trace!, none.ownerId, dir()).ja).toMatch(/^該当ルールなし → 営業チーム → 佐藤 一郎（稼働中・担当 0件）/);
  });

  it('conditions: company properties, numbers, multi-select values, known / unknown', () => {
    const s = snapshot({ product_interest: 'crm;ma' }, { company: { id: '9', properties: { numberofemployees: '1200', industry: ' Manufacturing ' } } });
    expect(conditionHolds(s, { object: 'company', property: 'numberofemployees', op: 'gte', values: ['1000'] })).toBe(true);
    expect(conditionHolds(s, { object: 'company', property: 'numberofemployees', op: 'lte', values: ['999'] })).toBe(false);
    expect(conditionHolds(s, { object: 'company', property: 'industry', op: 'eq', values: ['manufacturing'] })).toBe(true);
    expect(conditionHolds(s, { object: 'contact', property: 'product_interest', op: 'in', values: ['MA'] })).toBe(true);
    expect(conditionHolds(s, { object: 'contact', property: 'state', op: 'unknown', values: [] })).toBe(true);
    expect(conditionHolds(snapshot(), { object: 'company', property: 'industry', op: 'known', values: [] })).toBe(false);
    expect(routingReadProperties(orgSettings())).toEqual({ contact: ['state'], company: [] });
  });

  it('weighted round-robin: 1,000 hand-offs split 3:2:1 within one hand-off of the exact share', () => {
    const s = orgSettings((x) => {
      x.routing.pools = [{ id: 'kansai', name: '関西', members: [{ ownerId: '501', weight: 3, capacity: null }, { ownerId: '502', weight: 2, capacity: null }, { ownerId: '504', weight: 1, capacity: null }] }];
    });
    const d = dir();
    const got: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const r = routeHandoff(lead('京都府'), s, d, T0)!;
      got[r.ownerId] = (got[r.ownerId] ?? 0) + 1;
      const counts = (d.routing!.poolCounts['pool:kansai'] ??= {});
      counts[r.ownerId] = (counts[r.ownerId] ?? 0) + 1;
    }
    expect(Math.abs(got['501']! - 500)).toBeLessThanOrEqual(1);
    expect(Math.abs(got['502']! - 333)).toBeLessThanOrEqual(1);
    expect(Math.abs(got['504']! - 167)).toBeLessThanOrEqual(1);
  });

  it('the account owner first; unavailable → the pool (default) or kept with a warning (wait and warn)', () => {
    const withOwner = lead('大阪府', { company: { id: '9', properties: { hubspot_owner_id: '502' } } });
    const free = routeHandoff(withOwner, orgSettings(), dir(), T0)!;
    expect(free).toMatchObject({ ownerId: '502', path: 'company_owner' });
    expect(routingPathInWords(free.trace!, '502', dir()).ja).toBe('担当企業の所有者 → 田中 花子（稼働中・担当 0件）');
    const busy = dir({ openHandoffs: { '502': 5 } });
    const capped = orgSettings((s) => (s.routing.capacityPerRep = 5));
    const moved = routeHandoff(withOwner, capped, busy, T0)!;
    expect(moved.ownerId).toBe('501');
    expect(routingPathInWords(moved.trace!, '501', busy).ja).toMatch(/^担当企業の所有者 田中 花子（上限到達 5\/5件）を見送り → 地域ルール: 関西 → /);
    const kept = routeHandoff(withOwner, orgSettings((s) => {
      s.routing.capacityPerRep = 5;
      s.routing.whenOwnerUnavailable = 'wait_and_warn';
    }), busy, T0)!;
    expect(kept).toMatchObject({ ownerId: '502', path: 'company_owner', claim: { ownerId: '502', cap: null } });
    expect(kept.trace!.warning).toBe('owner_unavailable');
  });

  it('nobody available → the fallback owner, else the least-loaded Sales owner, always with a warning', () => {
    const full = dir({ openHandoffs: { '501': 8, '502': 8, '401': 1 } });
    const fb = routeHandoff(lead('兵庫県'), orgSettings((s) => (s.routing.fallbackOwnerId = '402')), full, T0)!;
    expect(fb).toMatchObject({ ownerId: '402', path: 'fallback', claim: { ownerId: '402', cap: null } });
    expect(routingPathInWords(fb.trace!, '402', full).ja).toContain('対応可能な担当者なし → 代替の担当者 鈴木 二郎');
    const least = routeHandoff(lead('兵庫県'), orgSettings(), full, T0)!;
    expect(least.trace!.warning).toBe('least_loaded');
    expect(least.ownerId).toBe('402'); // 0 open; 403 is the escalation owner but only team targets leave managers out
    expect(settingsWarnings(orgSettings(), []).map((w) => w.code)).toContain('routing_no_fallback');
  });

  it('a retried hand-off keeps the rep whose seat it already holds', () => {
    const d = dir({ openHandoffs: { '502': 1 }, poolCounts: { 'pool:kansai': { '502': 1 } } });
    const again = routeHandoff(lead('大阪府'), orgSettings(), d, T0, { seatOwnerId: '502' })!;
    expect(again.ownerId).toBe('502');
  });

  it('settings: unknown pools and duplicate ids are refused with the field named', () => {
    const bad = parseSettings({ routing: { preferCompanyOwner: true, rules: [{ id: 'a', name: 'A', conditions: [], target: { type: 'pool', poolId: 'nope' } }] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ path: 'routing.rules.0.target.poolId', message: { ja: '担当プール「nope」がありません。先にプールを作成してください' } });
    const old = parseSettings({ routing: { preferCompanyOwner: false } });
    expect(old.ok && old.settings.routing).toMatchObject({ preferCompanyOwner: false, rules: [], pools: [], capacityPerRep: null, reassignAfterHours: null });
  });

  it('a rule matches on all of its conditions (AND, the default) or on any of them (OR)', () => {
    const osakaSmall = snapshot({ state: '大阪府' }, { company: { id: '9', properties: { numberofemployees: '120' } } });
    const tokyoLarge = snapshot({ state: '東京都' }, { company: { id: '9', properties: { numberofemployees: '3000' } } });
    const rule = (match?: 'all' | 'any') =>
      orgSettings((s) => {
        s.routing.rules = [
          {
            id: 'big_or_kansai',
            name: '関西または大企業',
            enabled: true,
            ...(match ? { match } : {}),
            conditions: [
              { object: 'contact', property: 'state', op: 'in', values: ['大阪府', '京都府'] },
              { object: 'company', property: 'numberofemployees', op: 'gte', values: ['1000'] },
            ],
            target: { type: 'pool', poolId: 'kansai' },
          },
        ];
      });
    expect([osakaSmall, tokyoLarge].map((sn) => matchRoutingRule(sn, rule())?.id ?? null)).toEqual([null, null]);
    expect([osakaSmall, tokyoLarge].map((sn) => matchRoutingRule(sn, rule('all'))?.id ?? null)).toEqual([null, null]);
    expect([osakaSmall, tokyoLarge].map((sn) => matchRoutingRule(sn, rule('any'))?.id ?? null)).toEqual(['big_or_kansai', 'big_or_kansai']);
    expect(matchRoutingRule(snapshot({ state: '北海道' }), rule('any'))).toBeUndefined();
  });

  it('a condition that can never hold is refused when saved, named by its field, but a stored one still loads', () => {
    const doc = {
      routing: {
        preferCompanyOwner: true,
        pools: [{ id: 'west', name: '西日本', members: [] }],
        rules: [
          {
            id: 'a',
            name: 'A',
            conditions: [
              { object: 'contact', property: 'state', op: 'in', values: [] },
              { object: 'company', property: 'numberofemployees', op: 'gte', values: ['千'] },
              { object: 'company', property: 'industry', op: 'known', values: [] },
            ],
            target: { type: 'pool', poolId: 'west' },
          },
        ],
      },
    };
    const saved = parseSettings(doc);
    expect(saved.ok).toBe(false);
    if (!saved.ok) {
      expect(saved.errors).toEqual([
        { path: 'routing.rules.0.conditions.0.values', message: { ja: '値を入力してください（「値あり」「値なし」以外の条件には値が必要です）', en: 'Enter a value (every operator but "is known" / "is unknown" needs one)' } },
        { path: 'routing.rules.0.conditions.1.values', message: { ja: '「以上」「以下」の値は数値で入力してください（「千」は数値ではありません）', en: '"At least" / "at most" need a number ("千" is not one)' } },
      ]);
    }
    const stored = parseSettings(doc, { stored: true });
    expect(stored.ok).toBe(true);
    // Such a condition never holds, so the stored rule matches nothing — as before.
    if (stored.ok) expect(matchRoutingRule(snapshot({ state: '大阪府' }), stored.settings)).toBeUndefined();
  });
});

describe('availability: out of office in the portal time zone, across holidays', () => {
  // 2025 Golden Week (Asia/Tokyo): 5/3 Sat, 5/4 Sun, 5/5 こどもの日, 5/6 振替休日 → work resumes Wed 5/7.
  const cal = settings().sla.calendar.business;
  const jst = (iso: string) => Date.parse(`${iso}+09:00`);
  const away = [
    { ownerId: '501', from: '2025-05-01', to: '2025-05-06' },
    { ownerId: '502', from: '2025-05-07', to: '2025-05-08' },
  ];

  it('a Friday-evening hand-off is worked on the Wednesday after the holidays', () => {
    expect(workingDateFor(jst('2025-05-02T19:00:00'), cal)).toBe('2025-05-07');
    expect(availabilityAt('501', jst('2025-05-02T19:00:00'), cal, away).available).toBe(true);
    expect(availabilityAt('502', jst('2025-05-02T19:00:00'), cal, away)).toMatchObject({ available: false, range: { from: '2025-05-07' } });
    // During Friday's working hours it is Friday that counts.
    expect(availabilityAt('501', jst('2025-05-02T10:00:00'), cal, away).available).toBe(false);
  });

  it('the local date decides, not UTC: 08:30 JST on 5/7 is still 5/6 in UTC', () => {
    const t = Date.UTC(2025, 4, 6, 23, 30);
    expect(availabilityAt('501', t, cal, away).available).toBe(true);
    expect(availabilityAt('502', t, cal, away).available).toBe(false);
  });

  it('routing skips the rep who is away and says so', () => {
    const d = dir({ outOfOffice: away });
    const r = routeHandoff(lead('大阪府'), orgSettings(), d, jst('2025-05-02T19:00:00'))!;
    expect(r.ownerId).toBe('501');
    expect(routingPathInWords(r.trace!, r.ownerId, d).ja).toContain('田中 花子（不在 5/7〜5/8）');
    expect(routeHandoff(lead('大阪府'), orgSettings((s) => (s.routing.respectAvailability = false)), d, jst('2025-05-02T19:00:00'))!.trace!.candidates.find((c) => c.ownerId === '502')!.status).toBe('eligible');
  });
});

describe('the path is recorded for every decision', () => {
  it('automatic and button hand-offs log the trace and the words; the note shows them', () => {
    const d = dir();
    const s = orgSettings();
    const auto = evaluateContact(lead('大阪府', { contact: { id: '7001', properties: { ...READY_FOR_HANDOFF, state: '大阪府', lifecyclestage: 'lead' } } }), s, d, T0);
    const log = auto.handoffLog.find((l) => l.action === 'handoff')!;
    expect(log.routingPath).toBe('rule:kansai>pool:kansai');
    expect(log.details.routing).toMatchObject({ rule: { id: 'kansai' }, target: { type: 'pool', id: 'kansai' } });
    expect((log.details.routingWords as { ja: string }).ja).toMatch(/^地域ルール: 関西 → 関西営業チーム → 山田 太郎/);
    expect(auto.notes[0]!.body).toContain('割当の経緯: 地域ルール: 関西 → 関西営業チーム → 山田 太郎（稼働中・担当 0/8件）');
    expect(auto.routingClaim).toEqual({ handoffKey: 'c0', ownerId: '501', poolKey: 'pool:kansai', cap: 8 });
    const button = planHandoff(lead('東京都', { contact: { id: '7002', properties: { ...READY_FOR_HANDOFF, state: '東京都' } } }), s, d, T0, { actorOwnerId: '101' });
    expect(button.ok && button.plan.handoffLog[0]!.details.routing).toMatchObject({ rule: { id: 'east' } });
  });
});

describe('escalation ladder: reminder → breach → escalation → reassign once', () => {
  const s = orgSettings((x) => {
    x.routing.reassignAfterHours = 4;
    x.escalation.ownersByTeam[WEST.id] = '504';
  });
  let d = dir();

  function handedOff(): ContactSnapshot {
    d = dir();
    const start = lead('大阪府', { contact: { id: '7001', properties: { ...READY_FOR_HANDOFF, state: '大阪府', lifecyclestage: 'lead' } } });
    const plan = evaluateContact(start, s, d, T0);
    return { ...applyToSnapshot(start, plan, d), activities: [] };
  }

  it('reassigns exactly once, to the next available rep, restarting the clock and telling the first rep why', () => {
    let snap = handedOff();
    const clock0 = snap.slaClock!;
    expect(clock0.repOwnerId).toBe('501');
    const due = clock0.firstTouchDueAt;
    // Breach and escalation at the deadline; the reassign is due 4 h later.
    const breach = evaluateSla(clock0, snap, s, d, due);
    expect(breach.tasks.map((t) => t.ownerId)).toEqual(['504']);
    snap = { ...applyToSnapshot(snap, breach, d), activities: [] };
    expect(reassignDueAt(snap.slaClock!, s)).toBe(due + 4 * HOUR);
    expect(nextSlaCheckAt(snap.slaClock!, s)).toBe(due + 4 * HOUR);
    expect(evaluateSla(snap.slaClock!, snap, s, d, due + 3 * HOUR).tasks).toEqual([]);

    const reassign = evaluateSla(snap.slaClock!, snap, s, d, due + 4 * HOUR);
    expect(reassign.tasks.map((t) => [t.key, t.ownerId, t.priority])).toEqual([
      ['task:reassign:7001:c0', '502', 'HIGH'],
      ['task:reassigned-from:7001:c0', '501', 'LOW'],
    ]);
    expect(reassign.tasks[1]!.body).toMatch(/^理由: 初回接触の期限（.+）を過ぎ、エスカレーション後4時間たっても対応の記録がないため/);
    expect(reassign.contactProperties).toMatchObject({ hubspot_owner_id: '502', tossup_handoff_to: '502', tossup_sla_first_touch: 'pending' });
    expect(reassign.routingClaim).toEqual({ handoffKey: 'c0', ownerId: '502', poolKey: 'pool:kansai', cap: 8 });
    const log = reassign.handoffLog.find((l) => l.action === 'reassign')!;
    expect(log).toMatchObject({ dedupeKey: 'reassign:7001:c0', toOwnerId: '502', details: { from: '501', to: '502' } });
    expect((log.details.routingWords as { ja: string }).ja).toContain('山田 太郎（再割当元');
    const clock1 = reassign.slaClock!;
    expect(clock1).toMatchObject({ repOwnerId: '502', firstTouchStatus: 'pending', firstTouchDueAt: due + 4 * HOUR + 24 * HOUR, ladder: { reassignedFrom: '501', reassignedTo: '502' } });

    // Never again for this hand-off, however late it gets.
    snap = { ...applyToSnapshot(snap, reassign, d), activities: [] };
    for (const later of [due + 5 * HOUR, due + 3 * DAY, due + 30 * DAY]) {
      const p = evaluateSla(snap.slaClock!, snap, s, d, later);
      expect(p.tasks.filter((t) => t.key.startsWith('task:reassign'))).toEqual([]);
      expect(p.handoffLog.filter((l) => l.action === 'reassign' || (l.action === 'escalation' && l.details.kind === 'first_touch'))).toEqual([]);
    }
    // The new rep's touch counts; the first rep's does not.
    const touched = { ...snap, activities: [{ id: 'c1', type: 'call' as const, ownerId: '502', timestamp: due + 6 * HOUR }] };
    const met = evaluateSla(snap.slaClock!, touched, s, d, due + 7 * HOUR);
    expect(met.handoffLog).toEqual([expect.objectContaining({ action: 'sla_met', dedupeKey: 'sla:first_touch:7001:c0:reassigned' })]);
  });

  it('no reassign when the rep touched the lead, when it is off, or when engagements could not be read', () => {
    const snap = handedOff();
    const due = snap.slaClock!.firstTouchDueAt;
    const escalated: SlaClock = { ...snap.slaClock!, firstTouchStatus: 'breached', escalated: { firstTouch: true, statusUpdate: false }, ladder: { escalatedAt: due } };
    const late = due + 5 * HOUR;
    expect(evaluateSla(escalated, { ...snap, activities: [{ id: 'c', type: 'call', ownerId: '501', timestamp: due + HOUR }] }, s, d, late).tasks).toEqual([]);
    expect(evaluateSla(escalated, { ...snap, activities: [] }, orgSettings(), d, late).tasks).toEqual([]);
    expect(evaluateSla(escalated, { ...snap, activities: [], unavailable: [{ source: 'calls', reason: 'error' }] }, s, d, late).tasks).toEqual([]);
    expect(evaluateSla(escalated, { ...snap, activities: undefined }, s, d, late).tasks).toEqual([]);
  });

  it('nobody else available: recorded once, the lead stays', () => {
    const snap = handedOff();
    const due = snap.slaClock!.firstTouchDueAt;
    const escalated: SlaClock = { ...snap.slaClock!, firstTouchStatus: 'breached', escalated: { firstTouch: true, statusUpdate: false }, ladder: { escalatedAt: due } };
    const onlyOne = directory({ owners: [OWNERS[3]!] });
    const p = evaluateSla(escalated, { ...snap, activities: [] }, s, onlyOne, due + 5 * HOUR);
    expect(p.tasks.map((t) => [t.key, t.ownerId])).toEqual([]);
    expect(p.slaClock!.ladder).toMatchObject({ reassignSkipped: 'nobody_available' });
    expect(reassignDueAt(p.slaClock!, s)).toBeUndefined();
  });
});
