import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { HOUR, MINUTE, startE2E, timeOf, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * The report oracle (issue 14): every KPI recipe of the README ("Report recipes") is
 * computed from the sandbox's records using only that recipe's filters, grouping and
 * measure — what HubSpot's report builder can do — over a scripted quarter of leads,
 * and compared with figures worked out by hand below. If a recipe needed something the
 * builder cannot do (group by "is known", subtract dates), it could not be written here.
 *
 * The quarter (one company, so one Sales rep receives every hand-off):
 *   L1 credited: IS completes the gate in HubSpot; rep calls after 2 h, accepts after 3 h; a deal after 1 day.
 *   L2 unattributed: the gate is completed by an import (no user made it); rep calls after 5 h, sets the lead status after 6 h.
 *   L3 recycled: IS hands off; rep rejects after 2 h (no_budget); recycled.
 *   L4 breached: IS hands off; nobody calls; breached and escalated after 24 h.
 *   L5 MQL only: the MQL rule fires (score 70 + inquiry); not handed off.
 */

type Row = Record<string, string | undefined>;
type Filter = (r: Row) => boolean;

const inPeriod = (p: string, from: number, to: number): Filter => (r) => {
  const t = timeOf(r[p]);
  return t !== undefined && t >= from && t < to;
};
const isKnown = (p: string): Filter => (r) => (r[p] ?? '') !== '';
const isUnknown = (p: string): Filter => (r) => (r[p] ?? '') === '';
const equals = (p: string, v: string): Filter => (r) => r[p] === v;
const anyOf = (p: string, vs: string[]): Filter => (r) => vs.includes(r[p] ?? '');

/** A single-object report: filters, one grouping ("(no value)" for empty, as HubSpot shows it), count or average. */
function report(rows: Row[], filters: Filter[], groupBy: string, measure: { avg: string } | 'count' = 'count'): Record<string, number> {
  const groups = new Map<string, number[]>();
  for (const r of rows.filter((x) => filters.every((f) => f(x)))) {
    const key = r[groupBy] ? r[groupBy]! : '(no value)';
    groups.set(key, [...(groups.get(key) ?? []), measure === 'count' ? 1 : Number(r[measure.avg])]);
  }
  return Object.fromEntries([...groups].map(([k, v]) => [k, measure === 'count' ? v.length : Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100]));
}

const REASON = '年度内に導入予定。部長が決裁 / Rolling out this fiscal year; the department head decides';
let h: E2E;
let quarterStart: number;
let quarterEnd: number;
const ids: Record<'L1' | 'L2' | 'L3' | 'L4' | 'L5', string> = { L1: '', L2: '', L3: '', L4: '', L5: '' };
let isOwnerId: string;
let rep: string;
let dealId: string;

const owner = (id: string) => h.sandbox.portal().owners.find((o) => o.id === id)!;

let salesCompany: number;

async function newLead(email: string, jobtitle = '情報システム部 課長', companyIndex = salesCompany): Promise<string> {
  const { contactId } = h.sandbox.scenario.createContact({
    properties: { email, firstname: '四半期', lastname: '検証', jobtitle, lifecyclestage: 'lead' },
    companyId: h.seed.companyIds[companyIndex]!,
    userId: owner(h.seed.ownerIds.marketing[1]!).userId,
  });
  await h.settle();
  h.advance(HOUR);
  return contactId;
}

/** IS calls, then the gate's inputs are set — by the IS user, or by a change no user made. */
async function qualify(contactId: string, byUser: boolean): Promise<void> {
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: isOwnerId, subject: 'ヒアリング / Discovery call' });
  h.advance(10 * MINUTE);
  h.sandbox.scenario.setProperties({
    objectId: contactId,
    properties: { tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_bant_budget: 'true', tossup_handoff_reason: REASON },
    ...(byUser ? { userId: owner(isOwnerId).userId } : { via: 'IMPORT' as const }),
  });
  await h.settle();
  expect(h.contact(contactId).tossup_stage).toBe('sql');
}

async function cardPost(contactId: string, action: 'accept', asOwner: string): Promise<void> {
  const res = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/${action}`, method: 'POST', userId: owner(asOwner).userId, body: { idempotencyKey: `oracle-${action}-${contactId}` } });
  expect(readProxyAnswer(res.status, res.json).appStatus).toBe(200);
}

beforeAll(async () => {
  h = await startE2E();
  isOwnerId = h.seed.ownerIds.insideSales[1]!;
  // A company whose owner is in a Sales team: routing gives every hand-off to that owner (docs/product.md §5).
  salesCompany = h.seed.companyIds.findIndex((id) => h.seed.ownerIds.fieldSales.includes(h.sandbox.portal().objects.companies[id]!.properties.hubspot_owner_id ?? ''));
  expect(salesCompany).toBeGreaterThanOrEqual(0);
  quarterStart = h.clock.now();
  quarterEnd = quarterStart + 90 * 24 * HOUR;

  // L5: 部長 +10, 850 employees +5, eleven opens +55 = 70, then the inquiry form → MQL by the rule.
  ids.L5 = await newLead('l5.mql-only@hokuriku-seimitsu.co.jp', '製造部 部長', 2);
  h.sandbox.scenario.openMarketingEmail({ contactId: ids.L5, count: 11 });
  await h.settle();
  h.sandbox.scenario.submitForm({ contactId: ids.L5, formId: h.seed.formIds.inquiry });
  await h.settle();

  ids.L1 = await newLead('l1.credited@kansai-denki.co.jp');
  await qualify(ids.L1, true);
  rep = h.contact(ids.L1).tossup_handoff_to!;
  const t1 = timeOf(h.contact(ids.L1).tossup_sql_at)!;
  h.sandbox.scenario.logActivity({ type: 'call', contactId: ids.L1, ownerId: rep, timestamp: t1 + 2 * HOUR });
  h.advance(3 * HOUR);
  await h.settle();
  await cardPost(ids.L1, 'accept', rep);
  h.advance(21 * HOUR);
  dealId = h.sandbox.scenario.createDeal({ contactId: ids.L1, ownerId: rep, userId: owner(rep).userId, properties: { amount: '1200000' } }).dealId;
  await h.settle();

  ids.L2 = await newLead('l2.unattributed@kansai-denki.co.jp');
  await qualify(ids.L2, false);
  const t2 = timeOf(h.contact(ids.L2).tossup_sql_at)!;
  h.advance(6 * HOUR);
  h.sandbox.scenario.logActivity({ type: 'call', contactId: ids.L2, ownerId: rep, timestamp: t2 + 5 * HOUR });
  await h.settle();
  h.sandbox.scenario.setLeadStatus({ contactId: ids.L2, status: 'CONNECTED', userId: owner(rep).userId });
  await h.settle();

  ids.L3 = await newLead('l3.recycled@kansai-denki.co.jp');
  await qualify(ids.L3, true);
  h.advance(2 * HOUR);
  await h.reject(ids.L3, rep, 'no_budget', '今期は予算なし / No budget this year');
  h.advance(HOUR);
  h.sandbox.scenario.openMarketingEmail({ contactId: ids.L3 });
  await h.settle();

  ids.L4 = await newLead('l4.breached@kansai-denki.co.jp');
  await qualify(ids.L4, true);
  h.advance(25 * HOUR);
  await h.tickSla();
  await h.settle();
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const contacts = (): Row[] => Object.values(ids).map((id) => h.contact(id));
const q = () => inPeriod('tossup_mql_at', quarterStart, quarterEnd);
const handedOffInQuarter = () => inPeriod('tossup_sql_at', quarterStart, quarterEnd);

describe('the scripted quarter is what the recipes assume', () => {
  it('one rep received every hand-off; the stages are the script', () => {
    expect(new Set([ids.L1, ids.L2, ids.L3, ids.L4].map((id) => h.contact(id).tossup_handoff_to))).toEqual(new Set([rep]));
    expect(Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, h.contact(id).tossup_stage]))).toEqual({ L1: 'accepted', L2: 'sql', L3: 'recycled', L4: 'sql', L5: 'mql' });
  });
});

describe('README recipes, computed with the report builder\'s means only', () => {
  it('1. MQLの商談化率: Contacts, tossup_mql_at in the quarter, grouped by tossup_deal_created', () => {
    // Five MQLs (L1–L4 recorded at their hand-off, L5 by the rule); one deal (L1); L5 not handed off has no value.
    expect(report(contacts(), [q()], 'tossup_deal_created')).toEqual({ true: 1, false: 3, '(no value)': 1 });
    expect(report(contacts(), [q()], 'tossup_mql_rule')).toEqual({ handoff: 4, settings_rule: 1 });
  });

  it('2. トスアップ率: Contacts, tossup_mql_at in the quarter, grouped by tossup_stage; by tossup_handoff_by; reject reasons', () => {
    const byStage = report(contacts(), [q()], 'tossup_stage');
    expect(byStage).toEqual({ accepted: 1, sql: 2, recycled: 1, mql: 1 });
    const handedOff = (byStage.sql ?? 0) + (byStage.accepted ?? 0) + (byStage.rejected ?? 0) + (byStage.recycled ?? 0);
    expect(handedOff / 5).toBe(0.8);
    expect(report(contacts(), [q(), anyOf('tossup_stage', ['sql', 'accepted', 'rejected', 'recycled'])], 'tossup_handoff_by')).toEqual({ [isOwnerId]: 3, '(no value)': 1 });
    expect(report(contacts(), [q(), isKnown('tossup_sql_at')], 'tossup_handoff_source')).toEqual({ crm: 3, import: 1 });
    expect(report(contacts(), [handedOffInQuarter()], 'tossup_reject_reason_code')).toEqual({ no_budget: 1, '(no value)': 3 });
  });

  it('3. 初動時間: Contacts, tossup_sql_at in the quarter and tossup_first_touch_at known, average tossup_first_touch_hours by tossup_handoff_to', () => {
    // L1 2 h, L2 5 h → 3.5 h.
    expect(report(contacts(), [handedOffInQuarter(), isKnown('tossup_first_touch_at')], 'tossup_handoff_to', { avg: 'tossup_first_touch_hours' })).toEqual({ [rep]: 3.5 });
  });

  it('4. SLA達成: Contacts, tossup_sql_at in the quarter, grouped by tossup_sla_first_touch / tossup_sla_status_update', () => {
    // First touch: L1, L2 met; L4 breached; L3 rejected before any touch (its clock ended) stays pending.
    expect(report(contacts(), [handedOffInQuarter()], 'tossup_sla_first_touch')).toEqual({ met: 2, breached: 1, pending: 1 });
    // Status update: L1 accept 3 h, L2 lead status 6 h, L3 reject 2 h: met; L4 still inside its 48 h.
    expect(report(contacts(), [handedOffInQuarter()], 'tossup_sla_status_update')).toEqual({ met: 3, pending: 1 });
    expect(report(contacts(), [handedOffInQuarter(), isKnown('tossup_status_updated_at')], 'tossup_handoff_to', { avg: 'tossup_status_update_hours' })).toEqual({ [rep]: 3.67 });
  });

  it('5. MQL → SQL → 受注: Deals with tossup_handoff_at known, grouped by deal stage and by tossup_handoff_by', () => {
    const deals: Row[] = Object.values(h.sandbox.portal().objects.deals).filter((d) => !d.archived).map((d) => d.properties);
    expect(report(deals, [isKnown('tossup_handoff_at')], 'dealstage')).toEqual({ appointmentscheduled: 1 });
    expect(report(deals, [isKnown('tossup_handoff_at')], 'tossup_handoff_by')).toEqual({ [isOwnerId]: 1 });
    const deal = h.sandbox.portal().objects.deals[dealId]!.properties;
    // MQL ≤ SQL ≤ deal: the lead time is readable per stage from the deal alone.
    expect(timeOf(deal.tossup_mql_at)!).toBeLessThanOrEqual(timeOf(deal.tossup_handoff_at)!);
    expect(timeOf(deal.tossup_handoff_at)!).toBeLessThanOrEqual(timeOf(deal.createdate)!);
    // Contacts side: the lifecycle passed through MQL, so HubSpot's stage dates exist in order for every hand-off.
    for (const id of [ids.L1, ids.L2, ids.L3, ids.L4]) {
      const c = h.contact(id);
      expect(timeOf(c.hs_lifecyclestage_marketingqualifiedlead_date)!).toBeLessThanOrEqual(timeOf(c.hs_lifecyclestage_salesqualifiedlead_date)!);
    }
  });

  it('6. 担当者ごとの対応状況・放置: workload, neglected leads and escalations by owner', () => {
    expect(report(contacts(), [anyOf('tossup_stage', ['sql', 'accepted'])], 'tossup_handoff_to')).toEqual({ [rep]: 3 });
    expect(report(contacts(), [equals('tossup_stage', 'sql'), equals('tossup_sla_first_touch', 'breached'), isUnknown('tossup_first_touch_at')], 'tossup_handoff_to')).toEqual({ [rep]: 1 });
    // No escalation owner is configured: the rep receives it (docs/product.md §6).
    expect(report(contacts(), [inPeriod('tossup_escalated_at', quarterStart, quarterEnd)], 'tossup_escalated_to')).toEqual({ [rep]: 1 });
  });
});
