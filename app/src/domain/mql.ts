/**
 * MQL (docs/product.md §3): when the MQL rule holds and the contact is not cooling off
 * after a rejection, move lifecycle forward to MQL, mark tossup_stage=mql and give
 * the IS owner an SLA-bound follow-up task. Once per cycle (`mql:c<cycle>`).
 */
import { MQL_RULE_SETTINGS } from '@tossup/shared/contract-properties';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { recordDecision, setLifecycle, setStage, type ContactAnalysis } from './analyze';
import { addSlaHours } from './business-hours';
import { coolOffUntil, hasDecision } from './cycle';
import { activeOwner } from './departments';
import { formatHubSpotTime } from './hubspot-values';
import { forwardLifecycle, isAtOrBeyond } from './lifecycle';
import { contactDisplayName } from './plan-builder';
import { evaluateRule, type RuleVerdict } from './rule-expression';
import { routeInsideSales } from './routing';
import { formatDeadline, inPortalLanguage } from './portal-text';
import type { ContactSnapshot, PortalDirectory } from './types';

/** Stages from which the app's MQL step still applies (later stages are past MQL already). */
const MQL_ELIGIBLE_STAGES = new Set(['', 'new', 'recycled']);

export type MqlCheck = { eligible: true; verdict: RuleVerdict } | { eligible: false; why: string; verdict?: RuleVerdict };

export function checkMql(a: ContactAnalysis, settings: PortalSettings, directory: PortalDirectory, now: number): MqlCheck {
  const stage = a.builder.get('tossup_stage') ?? '';
  if (!MQL_ELIGIBLE_STAGES.has(stage) || hasDecision(a.signals, 'mql', a.cycle)) return { eligible: false, why: 'already' };
  // A contact HubSpot already has at SQL or beyond is past the MQL step, unless it is
  // one we recycled: its lifecycle stays where it was (never backwards), yet it may qualify again.
  if (stage !== 'recycled' && isAtOrBeyond(a.builder.get('lifecyclestage'), 'salesqualifiedlead', directory)) return { eligible: false, why: 'beyond' };
  const verdict = evaluateRule(settings.rules.mql, a.facts());
  if (!verdict.holds) return { eligible: false, why: 'rule', verdict };
  const until = coolOffUntil(a.signals);
  if (until !== undefined && now < until) return { eligible: false, why: 'cool_off', verdict };
  return { eligible: true, verdict };
}

/**
 * Adds the MQL to the plan. `withTask` is false when the same evaluation also hands
 * the lead to Sales: an IS follow-up task for a lead IS no longer owns would be noise.
 */
export function applyMql(a: ContactAnalysis, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number, withTask: boolean): void {
  const { builder } = a;
  const contactId = snapshot.contact.id;
  const key = `c${a.cycle}`;
  setLifecycle(a, forwardLifecycle(builder.get('lifecyclestage'), 'marketingqualifiedlead', directory));
  setStage(a, 'mql');
  builder.set('tossup_mql_at', formatHubSpotTime(now));
  builder.set('tossup_mql_rule', MQL_RULE_SETTINGS);
  recordDecision(a, { signalKey: `mql:${key}`, kind: 'mql', occurredAt: now, details: { score: a.score.total } });

  const routing = withTask ? routeInsideSales(snapshot, settings, directory) : undefined;
  if (routing) {
    const dueAt = addSlaHours(now, settings.sla.mqlFollowUpHours, settings.sla.calendar);
    const name = contactDisplayName(snapshot, settings.portalLanguage);
    // Give an unowned lead (or one whose owner left) to the IS rep; never take a lead from a working owner.
    if (!activeOwner(directory, builder.get('hubspot_owner_id'))) builder.set('hubspot_owner_id', routing.ownerId);
    if (routing.roundRobin) builder.plan.roundRobinAssignment = routing.roundRobin;
    builder.plan.tasks.push({
      key: `task:mql:${contactId}:${key}`,
      ownerId: routing.ownerId,
      subject: inPortalLanguage(settings, { ja: `【MQL】${name} 様をフォローしてください（${formatDeadline(dueAt, settings)}）`, en: `New MQL: follow up with ${name} ${formatDeadline(dueAt, settings)}` }),
      body: [
        inPortalLanguage(settings, {
          ja: 'MQLになりました。ヒアリングしてBANT（予算・決裁者・ニーズ・検討時期）を確認してください。',
          en: 'This lead became an MQL. Call, then confirm BANT (budget, authority, need, timeline) in the tossup card.',
        }),
        inPortalLanguage(settings, { ja: `スコア: ${a.score.total}点`, en: `Score: ${a.score.total}` }),
        a.score.breakdown,
      ].join('\n'),
      dueAt,
      priority: 'HIGH',
      type: 'CALL',
      associations: { contactId, ...(snapshot.company ? { companyId: snapshot.company.id } : {}) },
    });
  } else if (withTask) {
    builder.explain('インサイドセールスに有効な担当者がいないためフォロータスクを作成できません', 'No active Inside Sales owner: follow-up task not created');
  }
  builder.plan.handoffLog.push({
    dedupeKey: `mql:${contactId}:${key}`,
    action: 'mql',
    ...(routing ? { toOwnerId: routing.ownerId, routingPath: routing.path } : {}),
    details: { score: a.score.total, breakdown: a.score.breakdown, followUpTask: Boolean(routing) },
    at: now,
  });
  builder.explain(`MQL認定（スコア ${a.score.total}）`, `Became MQL (score ${a.score.total})`);
}
