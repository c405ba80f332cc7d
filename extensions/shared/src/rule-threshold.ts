/**
 * The threshold inside a rule expression: the value of its first "fact ≥ n" comparison,
 * e.g. the article's 「スコア合計70点以上」 in the MQL rule or 「BANT 2項目以上」 in the
 * hand-off gate. Shared by the card API (the gap to MQL on the sidebar card) and the
 * settings page (the threshold fields edit it).
 */
import type { RuleExpr } from './portal-settings-schema';
import type { NumericFact } from './rule-labels';

/** The first "fact ≥ n" (or "> n") comparison, or null when the rule does not compare that fact. */
export function factThreshold(rule: RuleExpr, fact: NumericFact): number | null {
  if (rule.type === 'compare') return rule.fact === fact && (rule.op === 'gte' || rule.op === 'gt') ? rule.value : null;
  if (rule.type === 'and' || rule.type === 'or') {
    for (const child of rule.of) {
      const v = factThreshold(child, fact);
      if (v !== null) return v;
    }
  }
  // Under a NOT the comparison means the opposite: it is not a threshold to reach.
  return null;
}

/** Sets every "fact ≥ n" comparison to the new value, leaving the rest of the rule as the admin wrote it. */
export function withFactThreshold(rule: RuleExpr, fact: NumericFact, value: number): RuleExpr {
  if (rule.type === 'compare') return rule.fact === fact && (rule.op === 'gte' || rule.op === 'gt') ? { ...rule, value } : rule;
  if (rule.type === 'and' || rule.type === 'or') return { ...rule, of: rule.of.map((c) => withFactThreshold(c, fact, value)) };
  return rule;
}

export const mqlScoreThreshold = (rule: RuleExpr): number | null => factThreshold(rule, 'score');
export const withMqlScoreThreshold = (rule: RuleExpr, value: number): RuleExpr => withFactThreshold(rule, 'score', value);
