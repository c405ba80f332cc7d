/**
 * The real engine (app/src/domain) behind the card API's CardEngine interface. A thin
 * mapping only: what blocks a hand-off, the score and every plan are the domain's
 * own answers, so a button press and an automatic hand-off can never disagree.
 */
import { scoreLineLabel } from '../domain/scoring';
import { addSlaHours } from '../domain/business-hours';
import { parseHubSpotTime } from '../domain/hubspot-values';
import { firedBy } from '../domain/rule-fired';
import { mqlScoreThreshold } from '@tossup/shared/rule-threshold';
import { analyzeContact } from '../domain/analyze';
import { planAccept, planReject } from '../domain/accept-reject';
import { departmentOfTeam } from '../domain/departments';
import { evaluateContact } from '../domain/evaluate';
import type { BlockingItem } from '../domain/gate';
import { handoffBlockers, planHandoff } from '../domain/handoff';
import type { CardEngine, GateMissingItem, PlanOutcome } from './card-api-deps';

/** Stages at or past MQL in tossup's own flow. */
const MQL_OR_LATER = new Set(['mql', 'sql', 'accepted']);
/** Blockers that mean "not now, whatever you fill in" rather than a missing gate item. */
const STATE_BLOCKERS = new Set<BlockingItem['code']>(['already_handed_off', 'not_handed_off']);

function missingOf(items: BlockingItem[]): GateMissingItem[] {
  return items.map((b) => ({ code: b.code, label: b.message }));
}

function refusal(items: BlockingItem[]): PlanOutcome {
  const state = items.find((b) => STATE_BLOCKERS.has(b.code));
  if (state) return { ok: false, code: 'invalid_state', message: state.message };
  return { ok: false, code: 'gate_blocked', missing: missingOf(items) };
}

export function createCardEngine(): CardEngine {
  return {
    assess(snapshot, settings, directory, now) {
      const a = analyzeContact(snapshot, settings, directory, now);
      const { soft, hard } = handoffBlockers(a, settings, directory, snapshot);
      const threshold = mqlScoreThreshold(settings.rules.mql) ?? 0;
      const { score } = a;
      const stage = a.builder.get('tossup_stage') ?? '';
      const facts = a.facts();
      const mqlAt = parseHubSpotTime(a.builder.get('tossup_mql_at'));
      const blocking = [...hard.filter((b) => !STATE_BLOCKERS.has(b.code)), ...soft];
      return {
        score: {
          total: score.total,
          behavior: score.behavior,
          attribute: score.attribute,
          lines: score.lines.map((l) => {
            const label = scoreLineLabel(l);
            return { rule: l.rule, label_ja: label.ja, label_en: label.en, count: l.count, points: l.points };
          }),
        },
        mql: { isMql: MQL_OR_LATER.has(stage), threshold, gap: Math.max(0, threshold - score.total), firedBy: firedBy(settings.rules.mql, facts) },
        reactions: { inquirySubmitted: facts.flags.inquiry_submitted, isFirstCallDone: facts.flags.is_first_call_done, surveyAnswered: facts.flags.survey_answered },
        followUpDueAt: stage === 'mql' && mqlAt !== undefined ? addSlaHours(mqlAt, settings.sla.mqlFollowUpHours, settings.sla.calendar) : null,
        gate: { passed: blocking.length === 0, missing: missingOf(blocking) },
      };
    },
    evaluateContact,
    planHandoff(snapshot, settings, directory, now, actor) {
      const r = planHandoff(snapshot, settings, directory, now, actor.ownerId ? { actorOwnerId: actor.ownerId } : {});
      return r.ok ? { ok: true, plan: r.plan } : refusal(r.blocking);
    },
    planAccept(snapshot, settings, directory, now, actor) {
      const r = planAccept(snapshot, settings, directory, now, { actorOwnerId: actor.ownerId });
      return r.ok ? { ok: true, plan: r.plan } : refusal(r.blocking);
    },
    planReject(snapshot, settings, directory, now, input) {
      const r = planReject(snapshot, settings, directory, now, {
        actorOwnerId: input.ownerId,
        reasonCode: input.reasonCode,
        reasonText: input.reasonText,
        ...(input.acceptedReasonCodes ? { acceptedReasonCodes: input.acceptedReasonCodes } : {}),
      });
      return r.ok ? { ok: true, plan: r.plan } : refusal(r.blocking);
    },
    departmentOfTeam: (team, settings) => departmentOfTeam(team, settings.departments),
  };
}
