/**
 * What changed between two settings documents, in words an admin can read: the
 * summary of a saved version, and the diff shown before an import (issue 16). Pure:
 * plain objects are walked field by field; a list or a rule tree is one value (a rule
 * is shown as the sentence the card uses, describeRule in ./rule-expression.ts).
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings, RuleExpr } from '@tossup/shared/settings-schema';
import { describeRule } from './rule-expression';

export interface SettingsChange {
  /** Dotted field path, e.g. `sla.firstTouchHours`, `rules.mql`. */
  path: string;
  before: Bilingual;
  after: Bilingual;
}

/** Longest value shown in a summary line; the JSON view of a version has the rest. */
const MAX_VALUE_CHARS = 120;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isRule = (v: unknown): v is RuleExpr =>
  isPlainObject(v) && typeof v.type === 'string' && ['and', 'or', 'not', 'flag', 'compare'].includes(v.type);

const clip = (s: string) => (s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s);

function render(v: unknown): Bilingual {
  if (v === undefined) return { ja: '（なし）', en: '(none)' };
  if (isRule(v)) return { ja: clip(describeRule(v, 'ja')), en: clip(describeRule(v, 'en')) };
  const s = clip(typeof v === 'string' ? v : JSON.stringify(v));
  return { ja: s, en: s };
}

function walk(before: unknown, after: unknown, path: string, out: SettingsChange[]): void {
  if (isPlainObject(before) && isPlainObject(after) && !isRule(before) && !isRule(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(before[k], after[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  out.push({ path, before: render(before), after: render(after) });
}

/** Every changed field, in path order; empty when the documents are equal. */
export function diffSettings(before: PortalSettings, after: PortalSettings): SettingsChange[] {
  const out: SettingsChange[] = [];
  walk(before, after, '', out);
  return out;
}

/** One line per change, e.g. 「sla.firstTouchHours: 24 → 8」. */
export function summarizeChanges(changes: readonly SettingsChange[]): Bilingual[] {
  if (changes.length === 0) return [{ ja: '変更なし', en: 'No change' }];
  return changes.map((c) => ({ ja: `${c.path}: ${c.before.ja} → ${c.after.ja}`, en: `${c.path}: ${c.before.en} → ${c.after.en}` }));
}
