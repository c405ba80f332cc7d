/**
 * Behaviour + attribute score with a breakdown a salesperson can read (docs/product.md §2).
 * Input is the merged signal set (ledger ∪ observations, sorted by key), the contact,
 * its primary company and `now` (for decay only). Each rule contributes once; a rule
 * that scored gets one line: `メール開封 ×4 +20 / Email opens`.
 */
import type { BehaviorRuleSettings, PortalSettings } from '@tossup/shared/settings-schema';
import { SCORING_RULE_LABELS, type ScoringRuleId } from '@tossup/shared/rule-labels';
import { classifyForm } from './forms';
import { parseHubSpotNumber } from './hubspot-values';
import { firstMatchingWord } from './text-match';
import type { ContactSnapshot, LedgerEntry } from './types';

const DAY = 86_400_000;

export interface ScoreLine {
  rule: ScoringRuleId;
  part: 'behavior' | 'attribute';
  count: number;
  points: number;
  /** What matched, e.g. the seniority word or the employee count. */
  detail?: string;
  capped?: boolean;
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

export function formatScoreLine(line: ScoreLine): string {
  const label = SCORING_RULE_LABELS[line.rule];
  const sign = line.points >= 0 ? '+' : '−';
  const pts = `${sign}${Math.abs(line.points)}`;
  const count = line.part === 'behavior' ? ` ×${line.count}` : '';
  const detail = line.detail ? `（${line.detail}）` : '';
  const cap = line.capped ? '（上限）' : '';
  const capEn = line.capped ? ' (capped)' : '';
  return `${label.ja}${detail}${count} ${pts}${cap} / ${label.en}${capEn}`;
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
  const seniorityWord = a.seniority.enabled ? firstMatchingWord(jobTitle, a.seniority.words) : undefined;
  if (seniorityWord) push({ rule: 'seniority', part: 'attribute', count: 1, points: a.seniority.points, detail: seniorityWord });

  const employees = parseHubSpotNumber(snapshot.company?.properties.numberofemployees);
  if (a.companySize.enabled && employees !== undefined && employees >= a.companySize.minEmployees) {
    push({ rule: 'companySize', part: 'attribute', count: 1, points: a.companySize.points, detail: `${employees}名 ≥ ${a.companySize.minEmployees}` });
  }

  const industry = snapshot.company?.properties.industry?.trim() ?? '';
  if (a.targetIndustry.enabled && industry !== '' && a.targetIndustry.industries.some((i) => i.trim().toLowerCase() === industry.toLowerCase())) {
    push({ rule: 'targetIndustry', part: 'attribute', count: 1, points: a.targetIndustry.points, detail: industry });
  }

  const behavior = lines.filter((l) => l.part === 'behavior').reduce((s, l) => s + l.points, 0);
  const attribute = lines.filter((l) => l.part === 'attribute').reduce((s, l) => s + l.points, 0);
  return {
    total: behavior + attribute,
    behavior,
    attribute,
    lines,
    breakdown: lines.map(formatScoreLine).join('\n'),
    counts: { emailOpens: opens.length, downloads: byCategory.download.length, seminarsAttended: attended.length, seminarRegistrations: byCategory.seminar.length },
    flags: { inquirySubmitted: byCategory.inquiry > 0, surveyAnswered: byCategory.survey > 0, isFirstCallDone: isCall },
  };
}
