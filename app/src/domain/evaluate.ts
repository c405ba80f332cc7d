/**
 * The toss-up engine's entry point for the pipeline: one contact, the portal's
 * settings and directory, `now` → a plan of writes (docs/product.md "The flow" §2–§7).
 *
 *   score → recycle a rejected lead → MQL → automatic hand-off → SLA
 *
 * Pure: the same inputs give the same plan, and applying a plan then evaluating
 * again gives an empty plan (no external writes), so replays are harmless.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { applyRecycle } from './accept-reject';
import { analyzeContact } from './analyze';
import { coolOffUntil } from './cycle';
import { attributeDeals } from './deal-attribution';
import { applyHandoff, handoffBlockers, routeThisHandoff } from './handoff';
import { creditAutomaticHandoff, type HandoffCredit } from './handoff-credit';
import { applyMql, checkMql } from './mql';
import { mergeInto } from './plan-builder';
import { routingSeatClosed } from './routing-seat';
import { evaluateSla } from './sla';
import type { ContactSnapshot, Plan, PortalDirectory } from './types';
import { isUnavailable } from './unavailable-sources';

/** Stages from which the automatic hand-off may start. */
const AUTO_HANDOFF_STAGES = new Set(['new', 'mql', '']);

export interface EvaluateOptions {
  /**
   * Who completed the gate when the caller knows it better than HubSpot's property
   * history: the card's BANT form writes with the app's token, so the history names the
   * app, not the IS rep who saved (bant-edit.ts).
   */
  credit?: HandoffCredit;
}

export function evaluateContact(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number, options: EvaluateOptions = {}): Plan {
  const a = analyzeContact(snapshot, settings, directory, now);
  const { builder } = a;

  if (builder.get('tossup_stage') === 'rejected') applyRecycle(a, snapshot, settings, directory, now);

  const mql = checkMql(a, settings, directory, now);
  if (!mql.eligible && mql.why === 'cool_off') {
    builder.explain(`MQL条件を満たしていますがクールオフ中です（${new Date(coolOffUntil(a.signals) ?? now).toISOString().slice(0, 10)} まで）`, 'MQL rule holds but the lead is cooling off after a rejection');
  }

  // Would the lead also be handed off in this same evaluation? Decide before the MQL
  // task so a lead that qualifies for both does not get a pointless IS task.
  const stageBefore = builder.get('tossup_stage') ?? '';
  // Only the first cycle is handed off automatically: after Sales rejected a lead, its
  // BANT ticks are the ones Sales did not accept, so the next hand-off is IS's explicit
  // decision (the card's button) after re-qualifying it, never a silent repeat.
  const wantsAuto = settings.automaticHandoff && a.cycle === 0 && AUTO_HANDOFF_STAGES.has(mql.eligible ? 'mql' : stageBefore);
  const coolingOff = (coolOffUntil(a.signals) ?? 0) > now;
  let handoffNow = false;
  // Routing prefers the company's owner: without the company it would pick another
  // rep, so the automatic hand-off waits until the company can be read again.
  const companyRouted = settings.routing.preferCompanyOwner || settings.routing.rules.some((r) => r.conditions.some((c) => c.object === 'company'));
  const companyUnknown = companyRouted && isUnavailable(snapshot, 'companies') && !!snapshot.contact.properties.associatedcompanyid;
  if (wantsAuto && !coolingOff && companyUnknown) {
    builder.explain('トスアップ待ち: 会社を取得できません（担当者を決められません）', 'Hand-off waiting: the company could not be read (its owner decides the routing)');
  } else if (wantsAuto && !coolingOff) {
    const { soft, hard } = handoffBlockers(a, settings, directory, snapshot);
    handoffNow = soft.length === 0 && hard.length === 0;
    if (!handoffNow && soft.length > 0 && hard.length === 0 && (mql.eligible || stageBefore === 'mql')) {
      builder.explain(`トスアップ待ち: ${soft.map((s) => s.message.ja).join('、')}`, `Hand-off waiting for: ${soft.map((s) => s.message.en).join('; ')}`);
    }
  }

  if (mql.eligible) applyMql(a, snapshot, settings, directory, now, !handoffNow);

  if (handoffNow) {
    const routing = routeThisHandoff(a, snapshot, settings, directory, now);
    if (routing) applyHandoff(a, snapshot, settings, directory, now, routing, { missing: [], credit: options.credit ?? creditAutomaticHandoff(snapshot, directory) });
  } else if (snapshot.slaClock && builder.plan.slaClock === undefined) {
    mergeInto(builder, evaluateSla(snapshot.slaClock, snapshot, settings, directory, now));
  }
  attributeDeals(a, snapshot);
  if (routingSeatClosed(snapshot, builder.get('tossup_stage'))) builder.plan.routingRelease = true;
  return builder.plan;
}
