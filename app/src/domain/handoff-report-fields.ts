/**
 * The report fields a hand-off writes besides the hand-off itself (docs/product.md,
 * "HubSpot properties"): how it was triggered, the count, the MQL it implies, and a
 * clean slate for the per-hand-off results (a recycled lead may carry the last cycle's).
 *
 * MQL before SQL, always: a lead that reaches SQL without an MQL decision of this
 * cycle records one at the same time (`tossup_mql_at` = hand-off time,
 * `tossup_mql_rule` = `handoff`), so funnels stay monotone. HubSpot sets a stage's
 * "date entered" properties (hs_lifecyclestage_<stage>_date, hs_v2_date_entered_<stage>)
 * only for a stage the record actually held; a jump lead → SQL leaves MQL's empty.
 * So the lifecycle stage is written to MQL in a request of its own before the SQL
 * write (Plan.propertySteps). UNVERIFIED: whether HubSpot back-fills skipped stages'
 * dates for some portals; writing both stages in order is correct either way.
 * https://knowledge.hubspot.com/records/use-lifecycle-stages
 */
import { recordDecision, type ContactAnalysis } from './analyze';
import { hasDecision } from './cycle';
import type { HandoffCredit } from './handoff-credit';
import { formatHubSpotTime } from './hubspot-values';
import { forwardLifecycle } from './lifecycle';
import type { ContactSnapshot, PortalDirectory } from './types';

/** Per-hand-off results, cleared when a new hand-off starts. */
const PER_HANDOFF_RESULTS = [
  'tossup_reject_reason_code',
  'tossup_accepted_at',
  'tossup_rejected_at',
  'tossup_status_updated_at',
  'tossup_status_update_hours',
  'tossup_escalated_at',
  'tossup_escalated_to',
  'tossup_deal_created_at',
] as const;

/** Returns whether the hand-off recorded the MQL too (the hand-off log says so: `details.mqlRule`). */
export function recordHandoffReportFields(a: ContactAnalysis, snapshot: ContactSnapshot, directory: PortalDirectory, now: number, credit: HandoffCredit): boolean {
  const { builder } = a;
  builder.set('tossup_handoff_source', credit.source);
  const count = Number(snapshot.contact.properties.tossup_handoff_count ?? '');
  builder.set('tossup_handoff_count', String((Number.isFinite(count) && count > 0 ? Math.floor(count) : 0) + 1));
  for (const name of PER_HANDOFF_RESULTS) builder.set(name, '');
  builder.set('tossup_deal_created', 'false');

  const mqlAtHandoff = !hasDecision(a.signals, 'mql', a.cycle);
  if (mqlAtHandoff) {
    builder.set('tossup_mql_at', formatHubSpotTime(now));
    builder.set('tossup_mql_rule', 'handoff');
    recordDecision(a, { signalKey: `mql:c${a.cycle}`, kind: 'mql', occurredAt: now, details: { rule: 'handoff' } });
  }
  // Through MQL first when the stage in HubSpot is before it (also when the app's own
  // MQL fired in this same evaluation: its MQL value was superseded by SQL in the plan).
  const before = snapshot.contact.properties.lifecyclestage;
  const viaMql = forwardLifecycle(before, 'marketingqualifiedlead', directory);
  if (viaMql && forwardLifecycle(before, 'salesqualifiedlead', directory)) builder.plan.propertySteps = [{ lifecyclestage: viaMql }];
  return mqlAtHandoff;
}
