/**
 * Editing helpers for the settings page. Validation is the shared zod schema
 * (extensions/shared/src/settings-schema.ts `parseSettings`), the very one the backend
 * saves with, so the page shows the backend's messages before the admin presses save.
 */
import { parseSettings, type PortalSettings, type RuleExpr } from '@tossup/shared/settings-schema';
export { factThreshold, mqlScoreThreshold, withFactThreshold, withMqlScoreThreshold } from '@tossup/shared/rule-threshold';
import type { Locale } from '@tossup/shared/i18n';

/** Immutable update of a nested field: setIn(s, ['sla', 'firstTouchHours'], 12). */
export function setIn<T>(obj: T, path: readonly string[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string, ...string[]];
  const source = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = Array.isArray(source) ? ([...source] as unknown as Record<string, unknown>) : { ...source };
  copy[head] = setIn(source[head], rest, value);
  return copy as T;
}

/** Field path → message in the viewer's language; '' holds problems of the whole document. */
export function validationMessages(draft: unknown, locale: Locale): Record<string, string> {
  const r = parseSettings(draft);
  if (r.ok) return {};
  const out: Record<string, string> = {};
  for (const e of r.errors) {
    const text = e.message[locale];
    out[e.path] = out[e.path] ? `${out[e.path]} ${text}` : text;
  }
  return out;
}

/** The message for a field or anything below it (e.g. a word list's items). */
export function messageFor(messages: Record<string, string>, path: string): string | undefined {
  if (messages[path]) return messages[path];
  const below = Object.entries(messages).find(([p]) => p.startsWith(`${path}.`));
  return below?.[1];
}

export function listToText(list: readonly (string | number)[]): string {
  return list.join(', ');
}

/** "a, b、c\nd" → ['a','b','c','d']: Japanese commas and new lines count as separators too. */
export function textToList(text: string): string[] {
  return text
    .split(/[,、\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Numbers from a comma list; anything unparsable stays as NaN so the schema names the field. */
export function textToNumbers(text: string): number[] {
  return textToList(text).map((s) => Number(s));
}

export function hasEscalationOwner(settings: PortalSettings): boolean {
  return Object.keys(settings.escalation.ownersByTeam).length > 0;
}

/** The rules the page edits: the MQL and SQL rules and the hand-off gate. */
export type RuleKind = 'mql' | 'sql' | 'gate';
export const RULE_KINDS: readonly RuleKind[] = ['mql', 'sql', 'gate'];

/** Where each rule sits in the settings document. */
export function rulePath(kind: RuleKind): readonly string[] {
  return kind === 'gate' ? ['gate', 'rule'] : ['rules', kind];
}

export function ruleOf(settings: PortalSettings, kind: RuleKind): RuleExpr {
  return kind === 'gate' ? settings.gate.rule : settings.rules[kind];
}
