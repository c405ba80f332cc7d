import { describe, expect, it } from 'vitest';
import { planAccept, planReject } from '../../src/domain/accept-reject';
import { evaluateContact } from '../../src/domain/evaluate';
import { planHandoff } from '../../src/domain/handoff';
import { evaluateSla, nextSlaCheckAt } from '../../src/domain/sla';
import { planHasExternalWrites, type ContactSnapshot, type LedgerEntry, type Plan } from '../../src/domain/types';
import { DAY, HOUR, READY_FOR_HANDOFF, T0, applyToSnapshot, directory, settings, snapshot } from './fixtures';

const form = (title: string, at: number): LedgerEntry => ({ signalKey: `form:${title}:${at}`, kind: 'form_submission', occurredAt: at, details: { title } });
/** 75 points: 5×4 + 10×2 + 20 + 10 + 5 (the article's examples together). */
const SCORE_75 = {
  props: { hs_email_open: '4', jobtitle: '情報システム部 部長' },
  extra: {
    observations: [form('資料ダウンロード', T0 - 3 * DAY), form('whitepaper', T0 - 2 * DAY)],
    eventParticipations: [{ eventId: 'e1', eventName: 'DXセミナー', state: 'ATTENDED' as const, occurredAt: T0 - 4 * DAY }],
    company: { id: '8001', properties: { numberofemployees: '1200', hubspot_owner_id: '202' } },
  },
};
const iso = (ms: number) => new Date(ms).toISOString();

function settle(s: ContactSnapshot, plan: Plan, dir = directory()): ContactSnapshot {
  const next = applyToSnapshot(s, plan, dir);
  const again = evaluateContact(next, settings(), dir, T0);
  expect(planHasExternalWrites(again)).toBe(false); // replaying the same evaluation does nothing
  expect(again.ledgerAppend).toEqual([]);
  return next;
}

describe('MQL (default rule: score ≥ 70 AND inquiry, OR seminar attended AND need)', () => {
  it('70点以上かつ問い合わせ済 → MQL, forward lifecycle, IS follow-up task, log', () => {
    const s = snapshot(SCORE_75.props, { ...SCORE_75.extra, observations: [...SCORE_75.extra.observations, form('お問い合わせ', T0 - DAY)] });
    const plan = evaluateContact(s, settings(), directory(), T0);
    expect(plan.contactProperties).toMatchObject({ tossup_score: '75', lifecyclestage: 'marketingqualifiedlead', tossup_stage: 'mql', tossup_mql_at: iso(T0), hubspot_owner_id: '101' });
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]).toMatchObject({ key: 'task:mql:7001:c0', ownerId: '101', dueAt: T0 + 24 * HOUR, type: 'CALL', associations: { contactId: '7001', companyId: '8001' } });
    expect(plan.tasks[0]!.subject).toBe('【MQL】山田 太郎 様をフォローしてください（4月2日(水) 10:00まで）');
    expect(plan.roundRobinAssignment).toEqual({ pool: 'inside_sales', ownerId: '101' });
    expect(plan.handoffLog).toEqual([expect.objectContaining({ dedupeKey: 'mql:7001:c0', action: 'mql', toOwnerId: '101', routingPath: 'round_robin:inside_sales' })]);
    expect(plan.ledgerAppend.map((e) => e.signalKey)).toContain('mql:c0');
    settle(s, plan);
  });

  it.each([
    ['70点以上でも問い合わせなし', { ...SCORE_75.props, jobtitle: '部長' }, [...SCORE_75.extra.observations, form('カタログ', T0)]],
    ['問い合わせ済でも65点', { hs_email_open: '3', jobtitle: '部長' }, [form('お問い合わせ', T0 - DAY), form('資料', T0 - DAY), form('カタログ', T0 - DAY)]],
  ])('no MQL: %s', (_n, props, observations) => {
    const plan = evaluateContact(snapshot(props, { eventParticipations: SCORE_75.extra.eventParticipations, observations }), settings(), directory(), T0);
    expect(Number(plan.contactProperties.tossup_score)).toBeGreaterThanOrEqual(65);
    expect(plan.contactProperties.tossup_stage).toBe('new');
    expect(plan.tasks).toEqual([]);
  });

  it('セミナー参加済かつ課題あり (IS confirmed a need) → MQL regardless of score', () => {
    const s = snapshot({ tossup_bant_need: 'true', hubspot_owner_id: '102' }, { eventParticipations: [{ eventId: 'e9', eventName: 'ウェビナー', state: 'ATTENDED', occurredAt: T0 - DAY }] });
    const plan = evaluateContact(s, settings(), directory(), T0);
    expect(plan.contactProperties).toMatchObject({ tossup_score: '20', tossup_stage: 'mql' });
    expect(plan.contactProperties.hubspot_owner_id).toBeUndefined(); // already owned by IS rep 102
    expect(plan.tasks[0]).toMatchObject({ ownerId: '102' });
    expect(plan.roundRobinAssignment).toBeUndefined();
  });

  it('lifecycle never moves backwards; unknown stages are left alone', () => {
    const s = (lifecyclestage: string) =>
      snapshot({ tossup_bant_need: 'true', lifecyclestage }, { eventParticipations: [{ eventId: 'e9', eventName: 'セミナー', state: 'ATTENDED', occurredAt: T0 }] });
    expect(evaluateContact(s('marketingqualifiedlead'), settings(), directory(), T0).contactProperties).toMatchObject({ tossup_stage: 'mql' });
    expect(evaluateContact(s('marketingqualifiedlead'), settings(), directory(), T0).contactProperties.lifecyclestage).toBeUndefined();
    const custom = evaluateContact(s('custom_12345'), settings(), directory(), T0);
    expect(custom.contactProperties.lifecyclestage).toBeUndefined();
    expect(custom.contactProperties.tossup_stage).toBe('mql');
    // Already SQL or beyond in HubSpot: past the MQL step, nothing written backwards.
    for (const stage of ['salesqualifiedlead', 'opportunity', 'customer']) {
      const p = evaluateContact(s(stage), settings(), directory(), T0);
      expect(p.contactProperties.lifecyclestage).toBeUndefined();
      expect(p.contactProperties.tossup_stage).toBe('new');
    }
    // A hand-off of a customer keeps lifecycle "customer".
    const h = evaluateContact(snapshot({ ...READY_FOR_HANDOFF, lifecyclestage: 'customer' }), settings(), directory(), T0);
    expect(h.contactProperties.tossup_stage).toBe('sql');
    expect(h.contactProperties.lifecyclestage).toBeUndefined();
  });
});

describe('toss-up (SQL rule: 課題と導入時期を確認済; gate: BANT 2項目以上 + 直近接触日 + 理由)', () => {
  const ready = () =>
    snapshot({ ...READY_FOR_HANDOFF, tossup_bant_notes: 'N: 営業管理の属人化 / T: 7月から比較検討', hubspot_owner_id: '101' }, {
      company: { id: '8001', properties: { hubspot_owner_id: '202' } },
      openDealId: '9001',
    });

  it('automatic hand-off of a lead that was never MQL: routing, task, note, SLA clock, log', () => {
    const plan = evaluateContact(ready(), settings(), directory(), T0);
    expect(plan.contactProperties).toMatchObject({
      lifecyclestage: 'salesqualifiedlead',
      tossup_stage: 'sql',
      tossup_sql_at: iso(T0),
      tossup_handoff_to: '202',
      hubspot_owner_id: '202',
      tossup_first_touch_due_at: iso(T0 + 24 * HOUR),
      tossup_status_update_due_at: iso(T0 + 48 * HOUR),
      tossup_sla_first_touch: 'pending',
      tossup_sla_status_update: 'pending',
      tossup_bant_count: '2',
    });
    expect(plan.contactProperties.tossup_handoff_by).toBeUndefined(); // automatic: stays empty
    expect(plan.tasks).toEqual([
      expect.objectContaining({
        key: 'task:handoff:7001:c0',
        ownerId: '202',
        priority: 'HIGH',
        dueAt: T0 + 24 * HOUR,
        reminderAt: T0 + 22 * HOUR,
        associations: { contactId: '7001', companyId: '8001', dealId: '9001' },
      }),
    ]);
    expect(plan.tasks[0]!.body).toContain('BANT: ✖ 予算　✖ 決裁者　✔ ニーズ（課題）　✔ 検討時期');
    expect(plan.notes).toHaveLength(1);
    expect(plan.notes[0]!.body).toContain('理由: 来期の全社導入を検討中');
    expect(plan.notes[0]!.body).toContain('ヒアリングメモ: N: 営業管理の属人化');
    expect(plan.notes[0]!.body).toContain('【トスアップ】営業担当へ引き渡しました（経路: 担当企業の所有者、自動（条件成立））');
    expect(plan.slaClock).toEqual({
      handoffAt: T0,
      repOwnerId: '202',
      firstTouchDueAt: T0 + 24 * HOUR,
      statusUpdateDueAt: T0 + 48 * HOUR,
      firstTouchStatus: 'pending',
      statusUpdateStatus: 'pending',
      remindersSent: [],
      escalated: { firstTouch: false, statusUpdate: false },
      handoffKey: 'c0',
    });
    expect(plan.handoffLog).toEqual([expect.objectContaining({ action: 'handoff', dedupeKey: 'handoff:7001:c0', toOwnerId: '202', routingPath: 'company_owner' })]);
    const after = settle(ready(), plan);
    // Even later, with the SQL conditions still true, it is never handed off twice.
    expect(evaluateContact(after, settings(), directory(), T0 + HOUR).tasks).toEqual([]);
  });

  it('round-robin assignment is part of the plan when the company owner is not in Sales', () => {
    const s = snapshot(READY_FOR_HANDOFF, { company: { id: '8001', properties: { hubspot_owner_id: '301' } } });
    const plan = evaluateContact(s, settings(), directory({ roundRobinCounts: { inside_sales: {}, sales: { '201': 3, '202': 1 } } }), T0);
    expect(plan.contactProperties.hubspot_owner_id).toBe('202');
    expect(plan.routingClaim).toEqual({ handoffKey: 'c0', poolKey: 'sales', ownerId: '202', cap: null });
    expect(plan.handoffLog[0]).toMatchObject({ routingPath: 'round_robin:sales' });
  });

  it('a lead qualifying for MQL and SQL at once is handed off directly, with tossup_mql_at but no IS task', () => {
    const s = snapshot({ ...SCORE_75.props, ...READY_FOR_HANDOFF }, { ...SCORE_75.extra, observations: [...SCORE_75.extra.observations, form('お問い合わせ', T0)] });
    const plan = evaluateContact(s, settings(), directory(), T0);
    expect(plan.contactProperties).toMatchObject({ tossup_stage: 'sql', tossup_mql_at: iso(T0), lifecyclestage: 'salesqualifiedlead' });
    expect(plan.tasks.map((t) => t.key)).toEqual(['task:handoff:7001:c0']);
  });

  it('the gate names every missing item, bilingually', () => {
    const r = planHandoff(snapshot({ tossup_bant_need: 'true' }), settings(), directory(), T0, { actorOwnerId: '101' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.blocking.map((b) => b.code)).toEqual(['sql_rule', 'bant_count', 'last_contacted', 'handoff_reason']);
    expect(r.blocking.map((b) => b.message)).toEqual([
      { ja: 'SQL条件を満たしていません: BANT: 検討時期確認済', en: 'SQL rule not met: BANT: timeline confirmed' },
      { ja: 'BANTが2項目以上必要です（確認済 1項目、未確認: 予算・決裁者・検討時期）', en: 'At least 2 BANT items required (1 confirmed; missing: Budget, Authority, Timeline)' },
      { ja: '直近の接触日が記録されていません。通話・メール・ミーティングを記録してください', en: 'No last-contact date recorded; log a call, email or meeting' },
      { ja: 'トスアップ理由（商談化の可能性・理由）が未記入です', en: 'The hand-off reason is empty' },
    ]);
    // The gate holds but not the SQL rule: budget + authority are 2 items, yet need/timeline are not both confirmed.
    const r2 = planHandoff(snapshot({ ...READY_FOR_HANDOFF, tossup_bant_timeline: 'false', tossup_bant_budget: 'true' }), settings(), directory(), T0, { actorOwnerId: '101' });
    expect(r2.ok ? [] : r2.blocking.map((b) => b.code)).toEqual(['sql_rule']);
  });

  it('the IS button hands off when automatic hand-off is off, recording who pressed it', () => {
    const manual = settings((c) => (c.automaticHandoff = false));
    expect(evaluateContact(ready(), manual, directory(), T0).contactProperties.tossup_stage).toBe('new');
    const r = planHandoff(ready(), manual, directory(), T0, { actorOwnerId: '101' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.contactProperties).toMatchObject({ tossup_stage: 'sql', tossup_handoff_by: '101', tossup_handoff_to: '202' });
    expect(r.plan.handoffLog[0]).toMatchObject({ actorOwnerId: '101' });
    const again = planHandoff(applyToSnapshot(ready(), r.plan), manual, directory(), T0 + 1000, { actorOwnerId: '101' });
    expect(again.ok ? [] : again.blocking.map((b) => b.code)).toEqual(['already_handed_off']);
  });

  it('force hands off with missing items recorded; nobody to route to blocks even force', () => {
    const r = planHandoff(snapshot({ tossup_bant_need: 'true' }), settings(), directory(), T0, { actorOwnerId: '101', force: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.plan.handoffLog[0]!.details).toMatchObject({ forced: true, missing: ['sql_rule', 'bant_count', 'last_contacted', 'handoff_reason'] });
      expect(r.plan.notes[0]!.body).toContain('条件未達のまま手動でトスアップ');
    }
    const noSales = directory({ owners: directory().owners.filter((o) => o.teams[0]?.id !== '20') });
    const r2 = planHandoff(snapshot(READY_FOR_HANDOFF), settings(), noSales, T0, { actorOwnerId: '101', force: true });
    expect(r2.ok ? [] : r2.blocking.map((b) => b.code)).toEqual(['no_sales_owner']);
  });

  it('business-hours SLA: due dates skip the night, the weekend and holidays', () => {
    const biz = settings((c) => (c.sla.calendar.mode = 'business_hours'));
    const fri17 = Date.UTC(2025, 3, 25, 8); // Fri 2025-04-25 17:00 JST; Tue 4/29 is 昭和の日
    const plan = evaluateContact(ready(), biz, directory(), fri17);
    // 24 h: Fri 1 + Mon 9 + Wed 9 + Thu 5 → Thu 5/1 14:00 JST; 48 h: … → Tue 5/8? Fri 5/2 9 + Wed 5/7 … see below.
    expect(plan.contactProperties.tossup_first_touch_due_at).toBe('2025-05-01T05:00:00.000Z');
    // 48 h: Fri 1, Mon 9, Wed 9, Thu 9, Fri 5/2 9 = 37; 5/3–5/6 closed; Wed 5/7 9 = 46; Thu 5/8 +2 → 11:00 JST
    expect(plan.contactProperties.tossup_status_update_due_at).toBe('2025-05-08T02:00:00.000Z');
  });
});

describe('SLA (24 h first touch, 48 h status update)', () => {
  const handedOff = () => {
    const s = snapshot(READY_FOR_HANDOFF, { company: { id: '8001', properties: { hubspot_owner_id: '202' } } });
    return applyToSnapshot(s, evaluateContact(s, settings(), directory(), T0));
  };

  it('met: a call by the rep within 24 h, and a lead-status change within 48 h', () => {
    const s = {
      ...handedOff(),
      activities: [
        { id: 'x1', type: 'call' as const, ownerId: '201', timestamp: T0 + HOUR }, // someone else
        { id: 'x0', type: 'email' as const, ownerId: '202', timestamp: T0 - HOUR }, // before the hand-off
        { id: 'c1', type: 'call' as const, ownerId: '202', timestamp: T0 + 3 * HOUR },
      ],
      contactHistory: { hs_lead_status: [{ value: 'CONNECTED', timestamp: T0 + 5 * HOUR }] },
    };
    const plan = evaluateContact(s, settings(), directory(), T0 + 6 * HOUR);
    expect(plan.contactProperties).toEqual({
      tossup_first_touch_at: iso(T0 + 3 * HOUR),
      tossup_first_touch_hours: '3',
      tossup_sla_first_touch: 'met',
      tossup_sla_status_update: 'met',
      // issue 14: the first status update, for the report recipes
      tossup_status_updated_at: iso(T0 + 5 * HOUR),
      tossup_status_update_hours: '5',
    });
    expect(plan.handoffLog.map((l) => [l.action, l.details.kind])).toEqual([['sla_met', 'first_touch'], ['sla_met', 'status_update']]);
    expect(plan.tasks).toEqual([]);
    expect(nextSlaCheckAt(plan.slaClock!, settings())).toBeNull();
  });

  it('the completed hand-off task with a logged note counts as first touch', () => {
    const base = handedOff();
    const s = { ...base, slaClock: { ...base.slaClock!, handoffTaskId: 't1' } };
    const acts = [{ id: 'n1', type: 'note' as const, ownerId: '202', timestamp: T0 + 2 * HOUR }];
    expect(evaluateSla(s.slaClock, { ...s, activities: acts }, settings(), directory(), T0 + 3 * HOUR).contactProperties.tossup_sla_first_touch).toBeUndefined();
    const done = [...acts, { id: 't1', type: 'task' as const, ownerId: '202', timestamp: T0 + 24 * HOUR, status: 'COMPLETED' }];
    expect(evaluateSla(s.slaClock, { ...s, activities: done }, settings(), directory(), T0 + 3 * HOUR).contactProperties).toMatchObject({ tossup_sla_first_touch: 'met', tossup_first_touch_hours: '2' });
  });

  it('reminder 2 h before, once; breach once with one escalation task to the rep when no escalation owner is set', () => {
    let s = handedOff();
    const cfg = settings();
    expect(nextSlaCheckAt(s.slaClock!, cfg)).toBe(T0 + 22 * HOUR);
    const early = evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 21 * HOUR);
    expect(planHasExternalWrites(early)).toBe(false);

    const r = evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 22 * HOUR + 60_000);
    expect(r.tasks).toEqual([expect.objectContaining({ key: 'task:reminder:7001:c0:first_touch:-2h', ownerId: '202', dueAt: T0 + 24 * HOUR })]);
    expect(r.tasks[0]!.subject).toBe('【リマインド】山田 太郎 様の初回接触期限まで残り2時間');
    s = applyToSnapshot(s, r);
    expect(evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 23 * HOUR).tasks).toEqual([]);
    expect(nextSlaCheckAt(s.slaClock!, cfg)).toBe(T0 + 24 * HOUR);

    const b = evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 24 * HOUR + 60_000);
    // issue 14: the first escalation and who received it, for the report recipes
    expect(b.contactProperties).toEqual({ tossup_sla_first_touch: 'breached', tossup_escalated_at: iso(T0 + 24 * HOUR + 60_000), tossup_escalated_to: '202' });
    expect(b.tasks).toEqual([expect.objectContaining({ key: 'task:escalation:7001:c0:first_touch', ownerId: '202', priority: 'HIGH', associations: { contactId: '7001' } })]);
    expect(b.tasks[0]!.body).toContain('エスカレーション先が未設定');
    expect(b.handoffLog.map((l) => l.action)).toEqual(['sla_breached', 'escalation']);
    s = applyToSnapshot(s, b);
    const later = evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 30 * HOUR);
    expect(later.tasks).toEqual([]);
    expect(later.contactProperties).toEqual({});
    // A late first touch is still recorded for the KPI; the status stays breached.
    const late = evaluateSla(s.slaClock!, { ...s, activities: [{ id: 'c9', type: 'meeting', ownerId: '202', timestamp: T0 + 30 * HOUR }] }, cfg, directory(), T0 + 31 * HOUR);
    expect(late.contactProperties).toEqual({ tossup_first_touch_at: iso(T0 + 30 * HOUR), tossup_first_touch_hours: '30' });
    expect(late.handoffLog).toEqual([]);
  });

  it('escalates to the escalation owner of the rep team', () => {
    const s = handedOff();
    const cfg = settings((c) => (c.escalation.ownersByTeam = { '20': '901' }));
    const b = evaluateSla(s.slaClock!, s, cfg, directory(), T0 + 49 * HOUR);
    expect(b.tasks.map((t) => [t.key, t.ownerId])).toEqual([
      ['task:escalation:7001:c0:first_touch', '901'],
      ['task:escalation:7001:c0:status_update', '901'],
    ]);
    expect(b.slaClock).toMatchObject({ firstTouchStatus: 'breached', statusUpdateStatus: 'breached', escalated: { firstTouch: true, statusUpdate: true } });
  });
});

describe('accept / reject / recycle with cool-off', () => {
  const handedOff = (extra: Partial<ContactSnapshot> = {}) => {
    const s = snapshot(READY_FOR_HANDOFF, { company: { id: '8001', properties: { hubspot_owner_id: '202' } }, ...extra });
    const r = planHandoff(s, settings(), directory(), T0, { actorOwnerId: '102' });
    if (!r.ok) throw new Error('fixture not handed off');
    return applyToSnapshot(s, r.plan);
  };

  it('accept: stage accepted and the status-update SLA met', () => {
    const r = planAccept(handedOff(), settings(), directory(), T0 + 5 * HOUR, { actorOwnerId: '202' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.contactProperties).toMatchObject({ tossup_stage: 'accepted', tossup_sla_status_update: 'met' });
    expect(r.plan.slaClock).toMatchObject({ statusUpdateStatus: 'met', statusUpdateAt: T0 + 5 * HOUR, firstTouchStatus: 'pending' });
    expect(r.plan.handoffLog.map((l) => l.action)).toEqual(['sla_met', 'accept']);
    const twice = planAccept(applyToSnapshot(handedOff(), r.plan), settings(), directory(), T0 + 6 * HOUR, { actorOwnerId: '202' });
    expect(twice.ok && planHasExternalWrites(twice.plan)).toBe(false);
    expect(planAccept(snapshot(), settings(), directory(), T0, { actorOwnerId: '202' })).toMatchObject({ ok: false, blocking: [{ code: 'not_handed_off' }] });
  });

  it('reject → rejected with reason → recycled back to the IS rep → no MQL during the 30-day cool-off → MQL again after it', () => {
    const dir = directory();
    const unknown = planReject(handedOff(), settings(), dir, T0 + HOUR, { actorOwnerId: '202', reasonCode: 'nope' });
    expect(unknown).toMatchObject({ ok: false, blocking: [{ code: 'unknown_reason' }] });

    const seminar = { eventParticipations: [{ eventId: 'e1', eventName: 'セミナー', state: 'ATTENDED' as const, occurredAt: T0 - DAY }] };
    let s = handedOff(seminar);
    const rej = planReject(s, settings(), dir, T0 + HOUR, { actorOwnerId: '202', reasonCode: 'bad_timing', reasonText: '来年度予算で再検討' });
    expect(rej.ok).toBe(true);
    if (!rej.ok) return;
    expect(rej.plan.contactProperties).toMatchObject({ tossup_stage: 'rejected', tossup_reject_reason: '検討時期が先: 来年度予算で再検討', tossup_sla_status_update: 'met' });
    expect(rej.plan.slaClock).toBeNull();
    expect(rej.plan.ledgerAppend).toEqual([expect.objectContaining({ signalKey: 'rejected:c0', details: expect.objectContaining({ coolOffUntil: T0 + HOUR + 30 * DAY }) })]);
    s = applyToSnapshot(s, rej.plan);

    // The next evaluation recycles it to the IS rep who handed it off (102), with a task.
    const rec = evaluateContact(s, settings(), dir, T0 + 2 * HOUR);
    expect(rec.contactProperties).toMatchObject({ tossup_stage: 'recycled', hubspot_owner_id: '102' });
    expect(rec.tasks).toEqual([expect.objectContaining({ key: 'task:recycle:7001:c0', ownerId: '102' })]);
    expect(rec.handoffLog).toEqual([expect.objectContaining({ action: 'recycle', routingPath: 'handoff_by' })]);
    s = applyToSnapshot(s, rec);

    // Seminar attended + need still true: the MQL rule holds, but not during the cool-off,
    // and a recycled lead is not handed off automatically although BANT is still ticked.
    const cooling = evaluateContact(s, settings(), dir, T0 + 10 * DAY);
    expect(planHasExternalWrites(cooling)).toBe(false);
    expect(cooling.explanations.join()).toContain('クールオフ中');

    const after = evaluateContact(s, settings(), dir, T0 + 31 * DAY);
    expect(after.contactProperties).toMatchObject({ tossup_stage: 'mql', tossup_mql_at: iso(T0 + 31 * DAY) });
    expect(after.tasks.map((t) => t.key)).toEqual(['task:mql:7001:c1']);
    expect(after.contactProperties.lifecyclestage).toBeUndefined(); // stays at SQL: never backwards
    s = applyToSnapshot(s, after);
    // The stale BANT ticks do not hand it off again by themselves; IS decides with the button, under new keys.
    expect(evaluateContact(s, settings(), dir, T0 + 32 * DAY).tasks).toEqual([]);
    const second = planHandoff(s, settings(), dir, T0 + 32 * DAY, { actorOwnerId: '102' });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.plan.tasks.map((t) => t.key)).toEqual(['task:handoff:7001:c1']);
    expect(second.plan.contactProperties).toMatchObject({ tossup_stage: 'sql', tossup_reject_reason: '' });
    expect(second.plan.handoffLog[0]).toMatchObject({ dedupeKey: 'handoff:7001:c1', actorOwnerId: '102' });
  });

  it('nurture destination keeps the owner and creates no task', () => {
    const cfg = settings((c) => (c.recycle.destination = 'nurture'));
    let s = handedOff();
    const rej = planReject(s, cfg, directory(), T0 + HOUR, { actorOwnerId: '202', reasonCode: 'no_need' });
    if (!rej.ok) throw new Error('not rejected');
    s = applyToSnapshot(s, rej.plan);
    const rec = evaluateContact(s, cfg, directory(), T0 + 2 * HOUR);
    expect(rec.contactProperties).toEqual({ tossup_stage: 'recycled' });
    expect(rec.tasks).toEqual([]);
  });
});
