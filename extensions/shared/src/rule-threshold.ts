/**
 * The score threshold inside an MQL rule expression: the value of its "total score ≥ n"
 * comparison (the article's 「スコア合計70点以上」). Shared by the card API (the gap to
 * MQL on the sidebar card) and the settings page (the threshold field edits it).
 */
import type { RuleExpr } from './portal-settings-schema';

/** The first "score ≥ n" (or "> n") comparison, or null when the rule does not compare the total score. */
export function mqlScoreThreshold(rule: RuleExpr): number | null {
  if (rule.type === 'compare') return rule.fact === 'score' && (rule.op === 'gte' || rule.op === 'gt') ? rule.value : null;
  if (rule.type === 'and' || rule.type === 'or') {
    for (const child of rule.of) {
      const v = mqlScoreThreshold(child);
      if (v !== null) return v;
    }
  }
  // Under a NOT the comparison means the opposite: it is not a threshold to reach.
  return null;
}

/** Sets every "score ≥ n" comparison to the new value, leaving the rest of the rule as the admin wrote it. */
export function withMqlScoreThreshold(rule: RuleExpr, value: number): RuleExpr {
  if (rule.type === 'compare') return rule.fact === 'score' && (rule.op === 'gte' || rule.op === 'gt') ? { ...rule, value } : rule;
  if (rule.type === 'and' || rule.type === 'or') return { ...rule, of: rule.of.map((c) => withMqlScoreThreshold(c, value)) };
  return rule;
}
