import { describe, expect, it } from 'vitest';
import { evaluateContact } from '../../src/domain/evaluate';
import { creditAutomaticHandoff } from '../../src/domain/handoff-credit';
import { planHandoff } from '../../src/domain/handoff';
import { reportFieldsFromLog, type LoggedAction } from '../../src/domain/report-fields-from-log';
import { HOUR, OWNERS, READY_FOR_HANDOFF, T0, applyToSnapshot, directory, settings, snapshot } from './fixtures';

/** Issue 14: the properties the report recipes read (docs/product.md "HubSpot properties"). */
const withUsers = directory({ owners: OWNERS.map((o) => (o.id === '101' ? { ...o, userId: 5101 } : o.id === '102' ? { ...o, userId: 5102 } : o)) });
const iso = (ms: number) => new Date(ms).toISOString();

describe('credit: who completed the gate', () => {
  it("the newest gate change names the user; HubSpot's calculated notes_last_contacted falls back to the newest person", () => {
    const s = snapshot(READY_FOR_HANDOFF, {
      contactHistory: {
        tossup_bant_need: [{ value: 'true', timestamp: T0 - 2 * HOUR, sourceType: 'CRM_UI', updatedByUserId: 5102 }],
        tossup_bant_timeline: [{ value: 'true', timestamp: T0 - HOUR, sourceType: 'CRM_UI', updatedByUserId: 5101 }],
        notes_last_contacted: [{ value: '1', timestamp: T0 - 10_000, sourceType: 'CALCULATED' }],
      },
    });
    expect(creditAutomaticHandoff(s, withUsers)).toEqual({ ownerId: '101', source: 'crm' });
  });

  it('an import or a workflow credits nobody and says how', () => {
    const imported = snapshot(READY_FOR_HANDOFF, { contactHistory: { tossup_bant_need: [{ value: 'true', timestamp: T0, sourceType: 'IMPORT' }] } });
    expect(creditAutomaticHandoff(imported, withUsers)).toEqual({ source: 'import' });
    const workflow = snapshot(READY_FOR_HANDOFF, { contactHistory: { tossup_handoff_reason: [{ value: 'x', timestamp: T0, sourceType: 'AUTOMATION_PLATFORM' }] } });
    expect(creditAutomaticHandoff(workflow, withUsers)).toEqual({ source: 'workflow' });
    expect(creditAutomaticHandoff(snapshot(READY_FOR_HANDOFF), withUsers)).toEqual({ source: 'automatic' });
  });

  it('the automatic hand-off writes the credit, the source, the count and an MQL at the hand-off, passing lifecycle through MQL', () => {
    const s = snapshot(READY_FOR_HANDOFF, { contactHistory: { tossup_bant_timeline: [{ value: 'true', timestamp: T0 - HOUR, sourceType: 'CRM_UI', updatedByUserId: 5101 }] } });
    const plan = evaluateContact(s, settings(), withUsers, T0);
    expect(plan.contactProperties).toMatchObject({
      tossup_stage: 'sql',
      tossup_handoff_by: '101',
      tossup_handoff_source: 'crm',
      tossup_handoff_count: '1',
      tossup_mql_at: iso(T0),
      tossup_mql_rule: 'handoff',
      tossup_sql_at: iso(T0),
      tossup_deal_created: 'false',
      lifecyclestage: 'salesqualifiedlead',
    });
    expect(plan.propertySteps).toEqual([{ lifecyclestage: 'marketingqualifiedlead' }]);
    expect(plan.handoffLog[0]).toMatchObject({ action: 'handoff', actorOwnerId: '101', details: { source: 'crm', mqlRule: 'handoff' } });
    // Replayed: nothing more to do.
    expect(evaluateContact(applyToSnapshot(s, plan), settings(), withUsers, T0 + 1000).contactProperties).toEqual({});
  });

  it("the card's button is source card; a lead already at MQL in HubSpot needs no intermediate step", () => {
    const r = planHandoff(snapshot({ ...READY_FOR_HANDOFF, lifecyclestage: 'marketingqualifiedlead' }), settings((x) => (x.automaticHandoff = false)), withUsers, T0, { actorOwnerId: '102' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.contactProperties).toMatchObject({ tossup_handoff_by: '102', tossup_handoff_source: 'card', tossup_mql_rule: 'handoff' });
    expect(r.plan.propertySteps).toBeUndefined();
  });
});

describe('deal attribution', () => {
  it('a deal created after the hand-off sets tossup_deal_created and gets the hand-off on the deal; a replay writes nothing', () => {
    const handedOff = { ...READY_FOR_HANDOFF, tossup_stage: 'sql', tossup_sql_at: iso(T0), tossup_mql_at: iso(T0), tossup_handoff_by: '101', tossup_handoff_to: '202', tossup_deal_created: 'false' };
    const deals = [
      { id: 'd-old', createdAt: T0 - 30 * 24 * HOUR, closed: true, properties: {} },
      { id: 'd-new', createdAt: T0 + 5 * HOUR, closed: false, properties: {} },
    ];
    const plan = evaluateContact(snapshot(handedOff, { deals }), settings(), withUsers, T0 + 6 * HOUR);
    expect(plan.contactProperties).toMatchObject({ tossup_deal_created: 'true', tossup_deal_created_at: iso(T0 + 5 * HOUR) });
    expect(plan.dealProperties).toEqual([{ id: 'd-new', properties: { tossup_handoff_at: iso(T0), tossup_handoff_by: '101', tossup_handoff_to: '202', tossup_mql_at: iso(T0) } }]);
    const written = [{ ...deals[1]!, properties: plan.dealProperties![0]!.properties }];
    const again = evaluateContact(snapshot({ ...handedOff, ...plan.contactProperties }, { deals: written }), settings(), withUsers, T0 + 7 * HOUR);
    expect(again.dealProperties).toBeUndefined();
  });
});

describe('backfill: report fields from the hand-off log', () => {
  const log: LoggedAction[] = [
    { action: 'handoff', actorOwnerId: null, toOwnerId: '202', at: T0, details: { automatic: true } },
    { action: 'sla_met', actorOwnerId: null, toOwnerId: '202', at: T0 + 4 * HOUR, details: { kind: 'status_update', at: T0 + 4 * HOUR } },
    { action: 'reject', actorOwnerId: '202', toOwnerId: null, at: T0 + 4 * HOUR, details: { reasonCode: 'no_need' } },
    { action: 'escalation', actorOwnerId: null, toOwnerId: '901', at: T0 + 3 * HOUR, details: { kind: 'first_touch' } },
  ];

  it('fills only blank properties, from the latest hand-off', () => {
    expect(reportFieldsFromLog({ tossup_sql_at: iso(T0), tossup_stage: 'rejected' }, log, settings())).toEqual({
      tossup_handoff_count: '1',
      tossup_handoff_source: 'automatic',
      tossup_mql_at: iso(T0),
      tossup_mql_rule: 'handoff',
      tossup_rejected_at: iso(T0 + 4 * HOUR),
      tossup_reject_reason_code: 'no_need',
      tossup_status_updated_at: iso(T0 + 4 * HOUR),
      tossup_status_update_hours: '4',
      tossup_escalated_at: iso(T0 + 3 * HOUR),
      tossup_escalated_to: '901',
    });
    const filled = { tossup_sql_at: iso(T0), ...reportFieldsFromLog({ tossup_sql_at: iso(T0) }, log, settings()) };
    expect(reportFieldsFromLog(filled, log, settings())).toEqual({});
    expect(reportFieldsFromLog({}, [], settings())).toEqual({});
  });
});
