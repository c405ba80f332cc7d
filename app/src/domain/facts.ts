/**
 * The named conditions the MQL / SQL rules and the gate read, from the score and
 * the contact's (planned) properties. BANT answers come from the tossup_bant_*
 * properties, whoever ticked them (card or HubSpot UI, docs/product.md §4).
 */
import type { Facts } from './rule-expression';
import type { ScoreResult } from './scoring';
import { isBlank, parseHubSpotBool } from './hubspot-values';

export const BANT_ITEMS = [
  { key: 'budget', property: 'tossup_bant_budget', ja: '予算', en: 'Budget' },
  { key: 'authority', property: 'tossup_bant_authority', ja: '決裁者', en: 'Authority' },
  { key: 'need', property: 'tossup_bant_need', ja: 'ニーズ（課題）', en: 'Need' },
  { key: 'timeline', property: 'tossup_bant_timeline', ja: '検討時期', en: 'Timeline' },
] as const;

export function bantCount(get: (name: string) => string | undefined): number {
  return BANT_ITEMS.filter((b) => parseHubSpotBool(get(b.property))).length;
}

export function buildFacts(score: ScoreResult, get: (name: string) => string | undefined): Facts {
  const bant = (p: string) => parseHubSpotBool(get(p));
  return {
    flags: {
      inquiry_submitted: score.flags.inquirySubmitted,
      survey_answered: score.flags.surveyAnswered,
      is_first_call_done: score.flags.isFirstCallDone,
      seminar_attended: score.counts.seminarsAttended > 0,
      seminar_registered: score.counts.seminarRegistrations > 0,
      bant_budget: bant('tossup_bant_budget'),
      bant_authority: bant('tossup_bant_authority'),
      bant_need: bant('tossup_bant_need'),
      bant_timeline: bant('tossup_bant_timeline'),
      handoff_reason_present: !isBlank(get('tossup_handoff_reason')),
      last_contacted_recorded: !isBlank(get('notes_last_contacted')),
    },
    numbers: {
      score: score.total,
      score_behavior: score.behavior,
      score_attribute: score.attribute,
      bant_count: bantCount(get),
      email_opens: score.counts.emailOpens,
      downloads: score.counts.downloads,
      seminars_attended: score.counts.seminarsAttended,
    },
  };
}
