/**
 * Behaviour + attribute score with a breakdown a salesperson can read (docs/product.md §2).
 * Input is the merged signal set (ledger ∪ observations, sorted by key), the contact,
 * its primary company and `now` (for decay only). Each rule contributes once; a rule
 * that scored gets one line in the portal's language: `メール開封 ×4 +20`.
 */
import type { BehaviorRuleSettings, PortalSettings } from '@tossup/shared/settings-schema';
import { SCORING_RULE_LABELS, type ScoringRuleId } from '@tossup/shared/rule-labels';
import { classifyForm } from './forms';
import { parseHubSpotNumber } from './hubspot-values';
import { longestMatchingWord } from './text-match';
import type { Bilingual } from '@tossup/shared/i18n';
import type { ContactSnapshot, LedgerEntry, UnavailableSource } from './types';
import { heldPart, unavailableFor, unavailableText } from './unavailable-sources';

const DAY = 86_400_000;

export interface ScoreLine {
  rule: ScoringRuleId;
  part: 'behavior' | 'attribute';
  count: number;
  points: number;
  /** What matched, e.g. the seniority word or the employee count. */
  detail?: string;
  capped?: boolean;
  /** The source this rule needs could not be read: the line says so and scores nothing new. */
  unavailable?: UnavailableSource;
}

export interface ScoreResult {
  total: number;
  behavior: number;
  attribute: number;
  lines: ScoreLine[];
  /** `tossup_score_breakdown`: one line per rule that scored. */
  breakdown: string;
  counts: { emailOpens: number; downloads: number; seminarsAttended: number; seminarRegistrations: number };
  flags: { inquirySubmitted: boolean; surveyAnswered: boolean; isFirstCallDone: boolean };
}

function behaviorLine(rule: ScoringRuleId, cfg: BehaviorRuleSettings, entries: LedgerEntry[], now: number): ScoreLine | undefined {
  if (!cfg.enabled || entries.length === 0 || cfg.points === 0) return undefined;
  let raw = 0;
  for (const e of entries) {
    const ageDays = Math.max(0, now - e.occurredAt) / DAY;
    raw += cfg.decayHalfLifeDays === null ? cfg.points : cfg.points * 0.5 ** (ageDays / cfg.decayHalfLifeDays);
  }
  let points = Math.round(raw);
  const capped = cfg.cap !== null && points > cfg.cap;
  if (capped && cfg.cap !== null) points = cfg.cap;
  return { rule, part: 'behavior', count: entries.length, points, ...(capped ? { capped } : {}) };
}

/** The rule's label with what matched, e.g. 従業員規模（250名 ≥ 100） / Company size (250名 ≥ 100); the card shows it as is. */
export function scoreLineLabel(line: ScoreLine): Bilingual {
  const label = SCORING_RULE_LABELS[line.rule];
  if (line.unavailable) {
    const text = unavailableText(line.unavailable);
    return { ja: `${label.ja}: ${text.ja}`, en: `${label.en}: ${text.en}` };
  }
  return line.detail ? { ja: `${label.ja}（${line.detail}）`, en: `${label.en} (${line.detail})` } : { ja: label.ja, en: label.en };
}

/** One line of tossup_score_breakdown in the portal's language: `メール開封 ×4 +20` / `Email opens ×4 +20`. */
export function formatScoreLine(line: ScoreLine, language: PortalSettings['portalLanguage']): string {
  const label = SCORING_RULE_LABELS[line.rule];
  if (line.unavailable) return scoreLineLabel(line)[language];
  const sign = line.points >= 0 ? '+' : '−';
  const pts = `${sign}${Math.abs(line.points)}`;
  const count = line.part === 'behavior' ? ` ×${line.count}` : '';
  if (language === 'en') return `${label.en}${line.detail ? ` (${line.detail})` : ''}${count} ${pts}${line.capped ? ' (capped)' : ''}`;
  return `${label.ja}${line.detail ? `（${line.detail}）` : ''}${count} ${pts}${line.capped ? '（上限）' : ''}`;
}

export function computeScore(signals: LedgerEntry[], snapshot: ContactSnapshot, settings: PortalSettings, now: number): ScoreResult {
  const { behavior: b, attribute: a } = settings.scoring;
  const byCategory = { inquiry: 0, survey: 0, download: [] as LedgerEntry[], seminar: [] as LedgerEntry[] };
  const opens: LedgerEntry[] = [];
  const attended: LedgerEntry[] = [];
  let isCall = false;
  for (const s of signals) {
    if (s.kind === 'email_open') opens.push(s);
    else if (s.kind === 'seminar_attended') attended.push(s);
    else if (s.kind === 'is_first_call') isCall = true;
    else if (s.kind === 'form_submission') {
      const title = typeof s.details.title === 'string' ? s.details.title : '';
      const category = classifyForm(title, settings.forms);
      if (category === 'inquiry') byCategory.inquiry++;
      else if (category === 'survey') byCategory.survey++;
      else if (category === 'download') byCategory.download.push(s);
      else if (category === 'seminar') byCategory.seminar.push(s);
    }
  }

  const lines: ScoreLine[] = [];
  const push = (l: ScoreLine | undefined) => l && l.points !== 0 && lines.push(l);
  push(behaviorLine('emailOpen', b.emailOpen, opens, now));
  push(behaviorLine('download', b.download, byCategory.download, now));
  push(behaviorLine('seminarAttended', b.seminarAttended, attended, now));
  push(behaviorLine('seminarRegistered', b.seminarRegistered, byCategory.seminar, now));

  const jobTitle = snapshot.contact.properties.jobtitle ?? '';
  const seniorityWord = a.seniority.enabled ? longestMatchingWord(jobTitle, a.seniority.words) : undefined;
  if (seniorityWord) push({ rule: 'seniority', part: 'attribute', count: 1, points: a.seniority.points, detail: seniorityWord });

  const employees = parseHubSpotNumber(snapshot.company?.properties.numberofemployees);
  if (a.companySize.enabled && employees !== undefined && employees >= a.companySize.minEmployees) {
    push({ rule: 'companySize', part: 'attribute', count: 1, points: a.companySize.points, detail: `${employees}名 ≥ ${a.companySize.minEmployees}` });
  }

  const industry = snapshot.company?.properties.industry?.trim() ?? '';
  if (a.targetIndustry.enabled && industry !== '' && a.targetIndustry.industries.some((i) => i.trim().toLowerCase() === industry.toLowerCase())) {
    push({ rule: 'targetIndustry', part: 'attribute', count: 1, points: a.targetIndustry.points, detail: industry });
  }

  // Rules whose source could not be read say so (one line each, no points) …
  const enabled = { seminarAttended: b.seminarAttended.enabled, companySize: a.companySize.enabled, targetIndustry: a.targetIndustry.enabled };
  for (const [rule, on] of Object.entries(enabled) as [ScoringRuleId, boolean][]) {
    const unavailable = on ? unavailableFor(snapshot, rule) : undefined;
    if (unavailable) lines.push({ rule, part: rule === 'seminarAttended' ? 'behavior' : 'attribute', count: 0, points: 0, unavailable });
  }
  // … and the parts they feed never drop below the stored value for want of them.
  const behavior = heldPart(snapshot, 'behavior', lines.filter((l) => l.part === 'behavior').reduce((s, l) => s + l.points, 0), ['marketing_events']);
  const attribute = heldPart(snapshot, 'attribute', lines.filter((l) => l.part === 'attribute').reduce((s, l) => s + l.points, 0), ['companies']);
  return {
    total: behavior + attribute,
    behavior,
    attribute,
    lines,
    breakdown: lines.map((l) => formatScoreLine(l, settings.portalLanguage)).join('\n'),
    counts: { emailOpens: opens.length, downloads: byCategory.download.length, seminarsAttended: attended.length, seminarRegistrations: byCategory.seminar.length },
    flags: { inquirySubmitted: byCategory.inquiry > 0, surveyAnswered: byCategory.survey > 0, isFirstCallDone: isCall },
  };
}
