/**
 * 受注 attributed to the hand-off (docs/product.md, `tossup_deal_created` and the deal
 * properties): a deal associated with a handed-off contact that was open at the
 * hand-off or created after it carries the hand-off's time, people and MQL time, so
 * deal and revenue reports can filter and group by them without a cross-object join.
 * On the contact, `tossup_deal_created` is a boolean because HubSpot's report
 * builder cannot group by "date is known" (README "Report recipes").
 * A deal keeps the first hand-off that reached it: a later hand-off of a recycled
 * lead does not rewrite an attribution already there.
 */
import type { ContactAnalysis } from './analyze';
import { formatHubSpotTime, isBlank, parseHubSpotBool, parseHubSpotTime } from './hubspot-values';
import type { AssociatedDeal, ContactSnapshot } from './types';

const HANDED_OFF = new Set(['sql', 'accepted']);

function attributed(deal: AssociatedDeal, handoffAt: number, openDealId: string | undefined): boolean {
  return deal.createdAt >= handoffAt || (!deal.closed && deal.id === openDealId);
}

export function attributeDeals(a: ContactAnalysis, snapshot: ContactSnapshot): void {
  const { builder } = a;
  if (!HANDED_OFF.has(builder.get('tossup_stage') ?? '')) return;
  const handoffAt = parseHubSpotTime(builder.get('tossup_sql_at'));
  if (handoffAt === undefined) return;
  const deals: AssociatedDeal[] = [...(snapshot.deals ?? [])];
  // At the hand-off itself the open deal is known by id only (engine/open-deals.ts).
  if (snapshot.openDealId && !deals.some((d) => d.id === snapshot.openDealId)) deals.push({ id: snapshot.openDealId, createdAt: 0, closed: false, properties: {} });

  const created = deals.filter((d) => d.createdAt >= handoffAt).sort((x, y) => x.createdAt - y.createdAt)[0];
  if (created && !parseHubSpotBool(builder.get('tossup_deal_created'))) {
    builder.set('tossup_deal_created', 'true');
    builder.set('tossup_deal_created_at', formatHubSpotTime(created.createdAt));
  }
  const values: Record<string, string> = {
    tossup_handoff_at: formatHubSpotTime(handoffAt),
    tossup_handoff_by: builder.get('tossup_handoff_by') ?? '',
    tossup_handoff_to: builder.get('tossup_handoff_to') ?? '',
    tossup_mql_at: builder.get('tossup_mql_at') ?? '',
  };
  for (const deal of deals) {
    if (!attributed(deal, handoffAt, snapshot.openDealId)) continue;
    if (!isBlank(deal.properties.tossup_handoff_at) && parseHubSpotTime(deal.properties.tossup_handoff_at) !== handoffAt) continue;
    const diff = Object.fromEntries(Object.entries(values).filter(([k, v]) => (deal.properties[k] ?? '') !== v));
    if (Object.keys(diff).length > 0) (builder.plan.dealProperties ??= []).push({ id: deal.id, properties: diff });
  }
}
