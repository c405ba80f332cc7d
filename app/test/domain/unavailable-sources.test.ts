import { describe, expect, it } from 'vitest';
import { evaluateContact } from '../../src/domain/evaluate';
import { evaluateSla } from '../../src/domain/sla';
import type { SlaClock, UnavailableSource } from '../../src/domain/types';
import { DAY, HOUR, READY_FOR_HANDOFF, T0, directory, settings, snapshot } from './fixtures';

/** Issue 11 §7 and docs/decisions.md "A missing source never lowers a score". */
const COMPANIES: UnavailableSource = { source: 'companies', reason: 'missing_scope', scope: 'crm.objects.companies.read' };
const EVENTS: UnavailableSource = { source: 'marketing_events', reason: 'error' };

describe('a contact evaluated without an optional source', () => {
  it('companies unavailable: the company rules say so and the stored attribute points are kept', () => {
    const s = snapshot(
      { jobtitle: '情報システム部 部長', associatedcompanyid: '8001', tossup_score: '15', tossup_score_behavior: '0', tossup_score_attribute: '15' },
      { unavailable: [COMPANIES] },
    );
    const plan = evaluateContact(s, settings(), directory(), T0);
    // Nothing lower is written: 部長 +10 alone would be 10.
    expect(plan.contactProperties.tossup_score).toBeUndefined();
    expect(plan.contactProperties.tossup_score_attribute).toBeUndefined();
    const breakdown = plan.contactProperties.tossup_score_breakdown ?? '';
    expect(breakdown).toContain('従業員規模: 取得できません（権限なし）');
    expect(breakdown).toContain('対象業界: 取得できません（権限なし）');
  });

  it('marketing events unavailable: seminar points already in the ledger stay, and the line says the source is missing', () => {
    const s = snapshot(
      { tossup_score: '20', tossup_score_behavior: '20', tossup_score_attribute: '0' },
      { ledger: [{ signalKey: 'event:e1', kind: 'seminar_attended', occurredAt: T0 - DAY, details: { eventName: 'DXセミナー' } }], unavailable: [EVENTS] },
    );
    const plan = evaluateContact(s, settings(), directory(), T0);
    const breakdown = plan.contactProperties.tossup_score_breakdown ?? '';
    expect(breakdown).toContain('セミナー参加 ×1');
    expect(breakdown).toContain('セミナー参加: 取得できません（エラー）');
    expect(plan.contactProperties.tossup_score).toBeUndefined(); // still 20 (one seminar)
  });

  it('a complete read lowers the held part again (it is held only while the source is missing)', () => {
    const s = snapshot({ jobtitle: '部長', tossup_score: '15', tossup_score_behavior: '0', tossup_score_attribute: '15' });
    expect(evaluateContact(s, settings(), directory(), T0).contactProperties.tossup_score).toBe('10');
  });

  it('companies unavailable with "prefer the company owner": the automatic hand-off waits', () => {
    const s = snapshot({ ...READY_FOR_HANDOFF, tossup_stage: 'mql', associatedcompanyid: '8001' }, { unavailable: [COMPANIES] });
    const plan = evaluateContact(s, settings(), directory(), T0);
    expect(plan.contactProperties.tossup_stage).toBeUndefined();
    expect(plan.tasks).toEqual([]);
    expect(plan.explanations.join('\n')).toContain('会社を取得できません');
  });

  it('an engagement type unavailable: a first-touch SLA past its due time is not judged breached', () => {
    const clock: SlaClock = {
      handoffAt: T0 - 2 * DAY,
      repOwnerId: '202',
      firstTouchDueAt: T0 - DAY,
      statusUpdateDueAt: T0 + DAY,
      firstTouchStatus: 'pending',
      statusUpdateStatus: 'pending',
      remindersSent: [],
      escalated: { firstTouch: false, statusUpdate: false },
    };
    const s = snapshot({ tossup_stage: 'sql' }, { slaClock: clock, activities: [], unavailable: [{ source: 'emails', reason: 'missing_scope', scope: 'sales-email-read' }] });
    const plan = evaluateSla(clock, s, settings(), directory(), T0 + HOUR);
    expect(plan.slaClock).toBeUndefined();
    expect(plan.handoffLog).toEqual([]);
    expect(plan.tasks).toEqual([]);
    const judged = evaluateSla(clock, { ...s, unavailable: [] }, settings(), directory(), T0 + HOUR);
    expect(judged.slaClock?.firstTouchStatus).toBe('breached');
  });
});
