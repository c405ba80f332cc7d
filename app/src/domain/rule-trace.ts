/**
 * The trace of a rule on one contact (issue 16, "test on a contact"): the rule tree
 * with every node's verdict and, for each condition, the value it saw. Next to
 * ./rule-expression.ts and agreeing with it: `traceRule(e, f).holds` is always
 * `evaluateRule(e, f).holds` (app/test/domain/rule-trace.test.ts checks it).
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { RuleExpr } from '@tossup/shared/settings-schema';
import { compare, describeRule, type Facts } from './rule-expression';

export type RuleTrace =
  | { kind: 'and' | 'or'; holds: boolean; of: RuleTrace[] }
  | { kind: 'not'; holds: boolean; of: RuleTrace }
  | { kind: 'flag' | 'compare'; holds: boolean; condition: Bilingual; /** What the contact has: true/false for a flag, the number for a comparison. */ value: boolean | number };

export function traceRule(expr: RuleExpr, facts: Facts): RuleTrace {
  const condition = (): Bilingual => ({ ja: describeRule(expr, 'ja'), en: describeRule(expr, 'en') });
  switch (expr.type) {
    case 'flag': {
      const value = facts.flags[expr.fact];
      return { kind: 'flag', holds: value, condition: condition(), value };
    }
    case 'compare': {
      const value = facts.numbers[expr.fact];
      return { kind: 'compare', holds: compare(expr.op, value, expr.value), condition: condition(), value };
    }
    case 'not': {
      const of = traceRule(expr.of, facts);
      return { kind: 'not', holds: !of.holds, of };
    }
    case 'and':
    case 'or': {
      const of = expr.of.map((e) => traceRule(e, facts));
      return { kind: expr.type, holds: expr.type === 'and' ? of.every((t) => t.holds) : of.some((t) => t.holds), of };
    }
  }
}
