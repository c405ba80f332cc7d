/**
 * What made a rule hold, for people: the article's MQL rule is "score ≥ 70, or
 * seminar attended and a need stated" and the IS rep wants to know which of the two
 * fired. Pure; agrees with ./rule-expression.ts (`firedBy(e, f).length > 0` exactly
 * when `evaluateRule(e, f).holds`).
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { RuleExpr } from '@tossup/shared/settings-schema';
import { describeRule, evaluateRule, type Facts } from './rule-expression';

/**
 * The parts of `expr` that hold: for an OR, each branch that holds (nested ORs
 * flattened); for anything else, the whole rule. Empty when the rule does not hold.
 */
export function firedBy(expr: RuleExpr, facts: Facts): Bilingual[] {
  if (!evaluateRule(expr, facts).holds) return [];
  if (expr.type === 'or') return expr.of.flatMap((branch) => firedBy(branch, facts));
  return [{ ja: describeRule(expr, 'ja'), en: describeRule(expr, 'en') }];
}
