/**
 * Interpreter of the declarative MQL / SQL rules (settings-schema.ts RuleExpr). No
 * eval: a fixed set of node types over named facts. Besides the verdict it returns
 * the conditions that do not hold, in the admin's words, so the card can say why a
 * lead is not MQL / SQL yet.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { RuleExpr } from '@tossup/shared/settings-schema';
import { COMPARATOR_LABELS, FACT_LABELS, type BooleanFact, type NumericFact } from '@tossup/shared/rule-labels';

export interface Facts {
  flags: Record<BooleanFact, boolean>;
  numbers: Record<NumericFact, number>;
}

export interface RuleVerdict {
  holds: boolean;
  /** Leaf conditions that fail, e.g. { ja: 'スコア合計 ≥ 70（現在 45）', en: 'Total score ≥ 70 (now 45)' }. */
  unmet: Bilingual[];
}

export function compare(op: keyof typeof COMPARATOR_LABELS, a: number, b: number): boolean {
  switch (op) {
    case 'gte':
      return a >= b;
    case 'gt':
      return a > b;
    case 'lte':
      return a <= b;
    case 'lt':
      return a < b;
    case 'eq':
      return a === b;
  }
}

export function describeRule(expr: RuleExpr, lang: 'ja' | 'en'): string {
  const and = lang === 'ja' ? '、かつ' : ' AND ';
  const or = lang === 'ja' ? '、または' : ' OR ';
  switch (expr.type) {
    case 'and':
      return expr.of.map((e) => wrap(e, lang)).join(and);
    case 'or':
      return expr.of.map((e) => wrap(e, lang)).join(or);
    case 'not':
      return `${lang === 'ja' ? 'NOT ' : 'NOT '}${wrap(expr.of, lang)}`;
    case 'flag':
      return FACT_LABELS[expr.fact][lang];
    case 'compare':
      return `${FACT_LABELS[expr.fact][lang]} ${COMPARATOR_LABELS[expr.op]} ${expr.value}`;
  }
}

function wrap(expr: RuleExpr, lang: 'ja' | 'en'): string {
  const s = describeRule(expr, lang);
  return expr.type === 'and' || expr.type === 'or' ? `(${s})` : s;
}

function leafLabel(expr: RuleExpr, facts: Facts, negated: boolean): Bilingual {
  const ja = describeRule(expr, 'ja');
  const en = describeRule(expr, 'en');
  const now = expr.type === 'compare' ? facts.numbers[expr.fact] : undefined;
  const neg = negated ? 'NOT ' : '';
  return now === undefined ? { ja: `${neg}${ja}`, en: `${neg}${en}` } : { ja: `${neg}${ja}（現在 ${now}）`, en: `${neg}${en} (now ${now})` };
}

/** A leaf condition (flag or compare) that does not hold, and whether a NOT above it inverted it. */
export interface UnmetLeaf {
  leaf: Extract<RuleExpr, { type: 'flag' | 'compare' }>;
  negated: boolean;
}

/** The verdict with the unmet conditions as nodes, for callers that word some of them their own way (gate.ts). */
export function evaluateRuleLeaves(expr: RuleExpr, facts: Facts, negated = false): { holds: boolean; unmet: UnmetLeaf[] } {
  switch (expr.type) {
    case 'flag': {
      const v = facts.flags[expr.fact] !== negated;
      return { holds: v, unmet: v ? [] : [{ leaf: expr, negated }] };
    }
    case 'compare': {
      const v = compare(expr.op, facts.numbers[expr.fact], expr.value) !== negated;
      return { holds: v, unmet: v ? [] : [{ leaf: expr, negated }] };
    }
    case 'not':
      return evaluateRuleLeaves(expr.of, facts, !negated);
    case 'and':
    case 'or': {
      // De Morgan: under NOT, AND behaves as OR and vice versa.
      const conjunctive = (expr.type === 'and') !== negated;
      const parts = expr.of.map((e) => evaluateRuleLeaves(e, facts, negated));
      const holds = conjunctive ? parts.every((p) => p.holds) : parts.some((p) => p.holds);
      if (holds) return { holds, unmet: [] };
      if (conjunctive) return { holds, unmet: parts.flatMap((p) => p.unmet) };
      // For OR, the branch closest to holding tells the user the least they still need.
      const closest = parts.reduce((best, p) => (p.unmet.length < best.unmet.length ? p : best));
      return { holds, unmet: closest.unmet };
    }
  }
}

/** An unmet condition in the admin's words, with the value the contact has for a comparison. */
export function unmetLabel(u: UnmetLeaf, facts: Facts): Bilingual {
  return leafLabel(u.leaf, facts, u.negated);
}

export function evaluateRule(expr: RuleExpr, facts: Facts, negated = false): RuleVerdict {
  const v = evaluateRuleLeaves(expr, facts, negated);
  return { holds: v.holds, unmet: v.unmet.map((u) => unmetLabel(u, facts)) };
}
