import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredObject } from '../../dev/sandbox/portal-state';
import { HOUR, MINUTE, startE2E, timeOf, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * The toss-up flow end to end (docs/product.md "The flow" §3–§7): the sandbox plays
 * Marketing, IS, Sales and the lead; the real backend receives signed webhooks,
 * runs the pipeline and the SLA sweep, and writes back through the gateway. Every
 * assertion reads the sandbox — HubSpot's state is what users and reports see.
 *
 * Expected values come from the seed data and the article's defaults (MQL at 70
 * points + inquiry, BANT ≥ 2, first touch within 24 h), never from the app's answers.
 */

const DAY = 24 * HOUR;
const REASON = '7月までに営業DXツールを選定予定。部長が決裁に関与 / Selecting a sales-DX tool by July; the department head decides';

let h: E2E;
beforeEach(async () => {
  h = await startE2E();
});
afterEach(async () => {
  await h.close();
});


const subjectOf = (t: StoredObject) => t.properties.hs_task_subject ?? '';
const tasksMatching = (contactId: string, marker: string) => h.associated(contactId, 'tasks').filter((t) => subjectOf(t).includes(marker));

/** A business card from the trade show, entered by Marketing (展示会で名刺交換). */
async function tradeShowCard(input: { email: string; jobtitle: string; companyIndex: number; lifecyclestage?: string }): Promise<string> {
  const companyId = h.seed.companyIds[input.companyIndex]!;
  const { contactId } = h.sandbox.scenario.createContact({
    properties: { email: input.email, firstname: '花子', lastname: '展示', jobtitle: input.jobtitle, lifecyclestage: input.lifecyclestage ?? 'lead' },
    companyId,
    userId: h.owner(h.seed.ownerIds.marketing[1]!).userId,
  });
  await h.settle();
  return contactId;
}

/** IS hears the lead out on the phone, then ticks BANT and (optionally) writes the reason. */
async function insideSalesHearing(contactId: string, opts: { isOwnerId: string; bant: Partial<Record<'budget' | 'authority' | 'need' | 'timeline', boolean>>; reason?: string }) {
  const is = h.owner(opts.isOwnerId);
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: is.id, subject: 'ヒアリング / Discovery call' });
  h.advance(10 * MINUTE);
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.bant)) properties[`tossup_bant_${k}`] = String(v);
  if (opts.reason !== undefined) properties.tossup_handoff_reason = opts.reason;
  h.sandbox.scenario.setProperties({ objectId: contactId, properties, userId: is.userId });
  await h.settle();
}

/** A lead handed off automatically (SQL rule + gate hold); returns the rep and the hand-off time. */
async function handedOffLead(email: string, companyIndex: number): Promise<{ contactId: string; rep: string; handoffAt: number }> {
  const contactId = await tradeShowCard({ email, jobtitle: '営業企画部 部長', companyIndex });
  h.advance(HOUR);
  await insideSalesHearing(contactId, { isOwnerId: h.seed.ownerIds.insideSales[1]!, bant: { budget: true, need: true, timeline: true }, reason: REASON });
  const c = h.contact(contactId);
  expect(c.tossup_stage).toBe('sql');
  return { contactId, rep: c.tossup_handoff_to!, handoffAt: timeOf(c.tossup_sql_at)! };
}

describe('MQL', () => {
  it('a lead at 70 points becomes MQL only once the inquiry form is in, with one IS follow-up task', async () => {
    // 部長 +10, 850 employees +5, eleven opens +55 = 70.
    const contactId = await tradeShowCard({ email: 'mql.lead@hokuriku-seimitsu.co.jp', jobtitle: '製造部 部長', companyIndex: 2 });
    h.advance(HOUR);
    h.sandbox.scenario.openMarketingEmail({ contactId, count: 11 });
    await h.settle();
    let c = h.contact(contactId);
    expect(c.tossup_score).toBe('70');
    expect(c.tossup_stage).toBe('new'); // 70 points alone are not enough: the rule is score AND inquiry
    expect(c.lifecyclestage).toBe('lead');
    expect(h.associated(contactId, 'tasks')).toHaveLength(0);

    h.advance(HOUR);
    h.sandbox.scenario.submitForm({ contactId, formId: h.seed.formIds.inquiry });
    const mqlAt = h.clock.now();
    await h.settle();
    c = h.contact(contactId);
    expect(c.lifecyclestage).toBe('marketingqualifiedlead');
    expect(c.tossup_stage).toBe('mql');
    expect(timeOf(c.tossup_mql_at)).toBe(mqlAt);

    const tasks = h.associated(contactId, 'tasks');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(h.seed.ownerIds.insideSales).toContain(task.properties.hubspot_owner_id);
    expect(task.properties.hs_task_priority).toBe('HIGH');
    expect(subjectOf(task)).toContain('【MQL】');
    expect(timeOf(task.properties.hs_timestamp)).toBe(mqlAt + 24 * HOUR);
    // The unowned lead now belongs to the IS rep who has the task.
    expect(c.hubspot_owner_id).toBe(task.properties.hubspot_owner_id);

    // Redelivery and further signals never make a second MQL task.
    h.advance(HOUR);
    h.sandbox.scenario.openMarketingEmail({ contactId });
    await h.settle();
    expect(h.associated(contactId, 'tasks')).toHaveLength(1);
    expect(h.contact(contactId).tossup_score).toBe('75');
  });
});

describe('toss-up to Sales', () => {
  it('seminar + IS confirms need and timeline with the gate met → SQL, a HIGH task for the company owner on contact, company and deal, a note, SLA clocks', async () => {
    // A seeded contact with an open deal; its company has an owner in the field sales team.
    const contactId = h.seed.contactIds[4]!;
    const dealId = h.seed.dealIds[2]!;
    expect(h.associationIds('contacts', contactId, 'deals')).toContain(dealId);
    const companyId = h.contact(contactId).associatedcompanyid!;
    const companyOwner = h.sandbox.portal().objects.companies[companyId]!.properties.hubspot_owner_id!;
    expect(h.seed.ownerIds.fieldSales).toContain(companyOwner);

    h.sandbox.scenario.attendEvent({ contactId });
    h.advance(DAY);
    await insideSalesHearing(contactId, { isOwnerId: h.seed.ownerIds.insideSales[2]!, bant: { budget: true, need: true, timeline: true }, reason: REASON });
    const c = h.contact(contactId);
    const handoffAt = timeOf(c.tossup_sql_at)!;
    expect(handoffAt).toBe(h.clock.now());

    expect(c.lifecyclestage).toBe('salesqualifiedlead');
    expect(c.tossup_stage).toBe('sql');
    expect(c.tossup_handoff_to).toBe(companyOwner);
    expect(c.hubspot_owner_id).toBe(companyOwner);
    expect(c.tossup_bant_count).toBe('3');
    expect(c.tossup_score_breakdown).toContain('セミナー参加');
    expect(timeOf(c.tossup_first_touch_due_at)).toBe(handoffAt + 24 * HOUR);
    expect(timeOf(c.tossup_status_update_due_at)).toBe(handoffAt + 48 * HOUR);
    expect(c.tossup_sla_first_touch).toBe('pending');
    expect(c.tossup_sla_status_update).toBe('pending');

    // Handed off in the same evaluation that made it MQL: only the rep's task, no IS task.
    const tasks = h.associated(contactId, 'tasks');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(subjectOf(task)).toContain('【トスアップ】');
    expect(task.properties.hubspot_owner_id).toBe(companyOwner);
    expect(task.properties.hs_task_priority).toBe('HIGH');
    expect(timeOf(task.properties.hs_timestamp)).toBe(handoffAt + 24 * HOUR);
    expect(h.associationIds('tasks', task.id, 'companies')).toEqual([companyId]);
    expect(h.associationIds('tasks', task.id, 'deals')).toEqual([dealId]);

    const notes = h.associated(contactId, 'notes');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toContain(REASON);
    expect(notes[0]!.properties.hs_note_body).toContain('✔ ニーズ（課題）');
    expect(notes[0]!.properties.hs_note_body).toContain('✖ 決裁者');
  });

  it('the SQL rule holds but no reason is written → no hand-off; writing the reason releases it', async () => {
    const contactId = await tradeShowCard({ email: 'gate.blocked@yamada-ss.co.jp', jobtitle: '課長', companyIndex: 0 });
    h.sandbox.scenario.attendEvent({ contactId });
    h.advance(DAY);
    await insideSalesHearing(contactId, { isOwnerId: h.seed.ownerIds.insideSales[1]!, bant: { budget: true, need: true, timeline: true } });
    let c = h.contact(contactId);
    // Seminar + need makes it MQL (the article's second MQL example), but the gate holds the hand-off.
    expect(c.tossup_stage).toBe('mql');
    expect(c.lifecyclestage).toBe('marketingqualifiedlead');
    expect(c.tossup_sql_at ?? '').toBe('');
    expect(c.tossup_first_touch_due_at ?? '').toBe('');
    expect(tasksMatching(contactId, '【トスアップ】')).toHaveLength(0);
    expect(h.associated(contactId, 'notes')).toHaveLength(0);

    h.advance(HOUR);
    h.sandbox.scenario.setProperties({ objectId: contactId, properties: { tossup_handoff_reason: REASON }, userId: h.owner(h.seed.ownerIds.insideSales[1]!).userId });
    await h.settle();
    c = h.contact(contactId);
    expect(c.tossup_stage).toBe('sql');
    expect(c.lifecyclestage).toBe('salesqualifiedlead');
    expect(tasksMatching(contactId, '【トスアップ】')).toHaveLength(1);
  });

  it('never moves a lifecycle stage backwards: a customer is neither made MQL nor demoted by a hand-off', async () => {
    const contactId = await tradeShowCard({ email: 'existing.customer@hokuriku-seimitsu.co.jp', jobtitle: '情報システム部長', companyIndex: 2, lifecyclestage: 'customer' });
    h.advance(HOUR);
    h.sandbox.scenario.openMarketingEmail({ contactId, count: 11 });
    h.advance(MINUTE);
    h.sandbox.scenario.submitForm({ contactId, formId: h.seed.formIds.inquiry });
    await h.settle();
    let c = h.contact(contactId);
    expect(c.tossup_score).toBe('70');
    expect(c.tossup_stage).toBe('new');
    expect(c.lifecyclestage).toBe('customer');
    expect(h.associated(contactId, 'tasks')).toHaveLength(0);

    h.advance(HOUR);
    await insideSalesHearing(contactId, { isOwnerId: h.seed.ownerIds.insideSales[0]!, bant: { need: true, timeline: true }, reason: REASON });
    c = h.contact(contactId);
    expect(c.tossup_stage).toBe('sql'); // HubSpot's state is trusted: the hand-off still happens
    expect(c.lifecyclestage).toBe('customer');
    const history = h.sandbox.portal().objects.contacts[contactId]!.history.lifecyclestage ?? [];
    expect(history.map((e) => e.value)).toEqual(['customer']);
  });
});

describe('SLA', () => {
  it('met: the rep calls within 24 h → first touch met with its hours; later sweeps change nothing', async () => {
    const { contactId, rep, handoffAt } = await handedOffLead('sla.met@minato-logi.co.jp', 4);
    h.advance(5 * HOUR);
    h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: rep, subject: '初回架電 / First call' });
    await h.settle();
    let c = h.contact(contactId);
    expect(c.tossup_sla_first_touch).toBe('met');
    expect(timeOf(c.tossup_first_touch_at)).toBe(handoffAt + 5 * HOUR);
    expect(c.tossup_first_touch_hours).toBe('5');

    h.advance(20 * HOUR); // past the deadline
    await h.tickSla();
    c = h.contact(contactId);
    expect(c.tossup_sla_first_touch).toBe('met');
    expect(tasksMatching(contactId, '【SLA超過】')).toHaveLength(0);
  });

  it('breached: nobody calls; a reminder before the deadline, then breached with exactly one escalation to the configured owner', async () => {
    const escalationOwner = h.seed.managerOwnerIds.fieldSales;
    await h.saveSettings((s) => {
      s.escalation.ownersByTeam[h.seed.teamIds.fieldSales] = escalationOwner;
    });
    const { contactId, rep, handoffAt } = await handedOffLead('sla.breach@toto-sys.co.jp', 1);

    h.advance(23 * HOUR); // the 2-hours-before reminder is due
    await h.tickSla();
    expect(h.contact(contactId).tossup_sla_first_touch).toBe('pending');
    expect(tasksMatching(contactId, '【リマインド】').map((t) => t.properties.hubspot_owner_id)).toEqual([rep]);
    expect(tasksMatching(contactId, '【SLA超過】')).toHaveLength(0);

    h.advance(2 * HOUR); // 25 h after the hand-off
    await h.tickSla();
    expect(h.contact(contactId).tossup_sla_first_touch).toBe('breached');
    const escalations = tasksMatching(contactId, '【SLA超過】');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.properties.hubspot_owner_id).toBe(escalationOwner);
    expect(escalations[0]!.properties.hs_task_priority).toBe('HIGH');

    // The sweep looks at the clock again (forced due now), and a webhook-driven evaluation folds the SLA in too: no second escalation.
    await h.ctx.db.query('update sla_clocks set next_check_at = $2 where portal_id = $1', [h.portalId, h.clock.now()]);
    const again = await h.tickSla();
    expect(again.claimed).toBeGreaterThan(0);
    h.advance(MINUTE);
    h.sandbox.scenario.openMarketingEmail({ contactId });
    await h.settle();
    expect(tasksMatching(contactId, '【SLA超過】')).toHaveLength(1);

    // A late call is still recorded for the KPI, and the breach stands.
    h.advance(HOUR);
    h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: rep });
    await h.settle();
    const c = h.contact(contactId);
    expect(c.tossup_sla_first_touch).toBe('breached');
    expect(timeOf(c.tossup_first_touch_at)).toBe(handoffAt + 26 * HOUR + MINUTE);
  });
});

describe('reject and recycle', () => {
  it('a rejected lead returns to IS and cannot become MQL again until the cool-off ends', async () => {
    const { contactId, rep } = await handedOffLead('recycle.me@hikari-tsushin.co.jp', 8);
    h.advance(2 * HOUR);
    await h.reject(contactId, rep, 'bad_timing', '来期予算で再検討 / Budget only next fiscal year');
    let c = h.contact(contactId);
    expect(c.tossup_stage).toBe('rejected');
    expect(c.tossup_reject_reason).toContain('検討時期が先');

    // The next evaluation recycles it to Inside Sales with a follow-up task.
    h.advance(DAY);
    h.sandbox.scenario.openMarketingEmail({ contactId, count: 11 });
    await h.settle();
    c = h.contact(contactId);
    expect(c.tossup_stage).toBe('recycled');
    expect(h.seed.ownerIds.insideSales).toContain(c.hubspot_owner_id);
    expect(tasksMatching(contactId, '【差戻し】')).toHaveLength(1);

    // During the 30-day cool-off the MQL rule holds (score ≥ 70 + inquiry) but nothing happens.
    h.advance(DAY);
    h.sandbox.scenario.submitForm({ contactId, formId: h.seed.formIds.inquiry });
    await h.settle();
    c = h.contact(contactId);
    expect(Number(c.tossup_score)).toBeGreaterThanOrEqual(70);
    expect(c.tossup_stage).toBe('recycled');
    expect(tasksMatching(contactId, '【MQL】')).toHaveLength(0);

    // After the cool-off, the next signal makes it MQL again (lifecycle stays at SQL: never backwards).
    h.advance(29 * DAY);
    h.sandbox.scenario.openMarketingEmail({ contactId });
    await h.settle();
    c = h.contact(contactId);
    expect(c.tossup_stage).toBe('mql');
    expect(c.lifecyclestage).toBe('salesqualifiedlead');
    expect(tasksMatching(contactId, '【MQL】')).toHaveLength(1);
  });
});
