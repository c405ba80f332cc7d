/**
 * What the core does when an optional source could not be read (see
 * docs/decisions.md "A missing source never lowers a score"): the rules that need
 * it are skipped and say so, the score parts it feeds are held at their stored
 * value when the new one would be lower, and decisions it would change (routing to
 * the company owner, an SLA breach for want of touches) wait for the next read.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { ScoringRuleId } from '@tossup/shared/rule-labels';
import type { ContactSnapshot, OptionalSource, UnavailableSource } from './types';

/** The scoring rules each source feeds. */
const RULES_OF: Partial<Record<OptionalSource, readonly ScoringRuleId[]>> = {
  marketing_events: ['seminarAttended'],
  companies: ['companySize', 'targetIndustry'],
};

/** Engagements the SLA's first touch and the IS first-call flag are read from. */
const ENGAGEMENT_SOURCES: ReadonlySet<OptionalSource> = new Set(['calls', 'emails', 'meetings', 'notes', 'tasks']);

export const SOURCE_LABELS: Record<OptionalSource, Bilingual> = {
  marketing_events: { ja: 'マーケティングイベント', en: 'Marketing events' },
  companies: { ja: '会社', en: 'Companies' },
  deals: { ja: '取引', en: 'Deals' },
  calls: { ja: '通話', en: 'Calls' },
  emails: { ja: 'Eメール', en: 'E-mails' },
  meetings: { ja: 'ミーティング', en: 'Meetings' },
  notes: { ja: 'メモ', en: 'Notes' },
  tasks: { ja: 'タスク', en: 'Tasks' },
  forms: { ja: 'フォーム一覧', en: 'Form list' },
};

/** '取得できません（権限なし）' / 'unavailable (missing permission)'. */
export function unavailableText(u: Pick<UnavailableSource, 'reason'>): Bilingual {
  return u.reason === 'missing_scope'
    ? { ja: '取得できません（権限なし）', en: 'unavailable (missing permission)' }
    : { ja: '取得できません（エラー）', en: 'unavailable (read failed)' };
}

/** 'Eメール: 取得できません（権限なし）' / 'E-mails: unavailable (missing permission)'. */
export function describeUnavailable(u: UnavailableSource): Bilingual {
  const label = SOURCE_LABELS[u.source];
  const text = unavailableText(u);
  return { ja: `${label.ja}: ${text.ja}`, en: `${label.en}: ${text.en}` };
}

/** The unavailable source a scoring rule needs, if any. */
export function unavailableFor(snapshot: ContactSnapshot, rule: ScoringRuleId): UnavailableSource | undefined {
  return (snapshot.unavailable ?? []).find((u) => RULES_OF[u.source]?.includes(rule));
}

export function isUnavailable(snapshot: ContactSnapshot, source: OptionalSource): boolean {
  return (snapshot.unavailable ?? []).some((u) => u.source === source);
}

/** Some engagement type could not be read: "no touch found" is not known to be true. */
export function engagementsIncomplete(snapshot: ContactSnapshot): boolean {
  return (snapshot.unavailable ?? []).some((u) => ENGAGEMENT_SOURCES.has(u.source));
}

/** The stored value of a score part, when the contact has one. */
function storedNumber(snapshot: ContactSnapshot, property: string): number | undefined {
  const raw = snapshot.contact.properties[property];
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A score part fed by an unavailable source keeps its stored value when the new
 * one is lower: the points are unknown, not lost. Answers the part to use.
 */
export function heldPart(snapshot: ContactSnapshot, part: 'behavior' | 'attribute', computed: number, sources: readonly OptionalSource[]): number {
  if (!sources.some((s) => isUnavailable(snapshot, s))) return computed;
  const stored = storedNumber(snapshot, part === 'behavior' ? 'tossup_score_behavior' : 'tossup_score_attribute');
  return stored !== undefined && stored > computed ? stored : computed;
}
