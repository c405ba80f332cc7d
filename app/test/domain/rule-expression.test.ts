/**
 * The rule interpreter names the conditions that do not hold as data (`Bilingual`),
 * so the card and the hand-off task quote them without splitting strings.
 */
import { describe, expect, it } from 'vitest';
import { FACT_LABELS } from '@tossup/shared/rule-labels';
import { evaluateRule } from '../../src/domain/rule-expression';
import { evaluateGate } from '../../src/domain/gate';
import { ruleFacts, settings } from './fixtures';

describe('evaluateRule', () => {
  it('names an unmet comparison with the current value in each language', () => {
    const v = evaluateRule({ type: 'compare', fact: 'score', op: 'gte', value: 70 }, ruleFacts({ numbers: { score: 45 } }));
    expect(v).toEqual({ holds: false, unmet: [{ ja: 'スコア合計 ≥ 70（現在 45）', en: 'Total score ≥ 70 (now 45)' }] });
  });

  it('names a negated flag with NOT in both languages', () => {
    const v = evaluateRule({ type: 'not', of: { type: 'flag', fact: 'bant_timeline' } }, ruleFacts({ flags: { bant_timeline: true } }));
    expect(v).toEqual({ holds: false, unmet: [{ ja: 'NOT BANT: 検討時期確認済', en: 'NOT BANT: timeline confirmed' }] });
  });

  it('lists every failing leaf of an AND, and the closest branch of an OR', () => {
    const and = evaluateRule({ type: 'and', of: [{ type: 'flag', fact: 'bant_need' }, { type: 'flag', fact: 'bant_timeline' }] }, ruleFacts());
    expect(and.unmet).toEqual([FACT_LABELS.bant_need, FACT_LABELS.bant_timeline]);
    const or = evaluateRule(
      { type: 'or', of: [{ type: 'and', of: [{ type: 'flag', fact: 'bant_need' }, { type: 'flag', fact: 'bant_budget' }] }, { type: 'flag', fact: 'bant_timeline' }] },
      ruleFacts(),
    );
    expect(or.unmet).toEqual([{ ja: 'BANT: 検討時期確認済', en: 'BANT: timeline confirmed' }]);
  });
});

describe('evaluateGate', () => {
  it('gives every blocking item a Japanese and an English message', () => {
    const items = evaluateGate(ruleFacts({ numbers: { bant_count: 1 }, flags: { bant_need: true } }), settings().gate);
    expect(items.map((i) => i.code)).toEqual(['bant_count', 'last_contacted', 'handoff_reason']);
    for (const i of items) {
      expect(i.message.ja).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(i.message.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('evaluates a gate the admin built like any rule, keeping the article\'s sentences for its own conditions', () => {
    const gate = {
      rule: {
        type: 'and' as const,
        of: [
          { type: 'compare' as const, fact: 'bant_count' as const, op: 'gt' as const, value: 2 },
          { type: 'flag' as const, fact: 'bant_budget' as const },
          { type: 'or' as const, of: [{ type: 'flag' as const, fact: 'is_first_call_done' as const }, { type: 'not' as const, of: { type: 'compare' as const, fact: 'score' as const, op: 'lt' as const, value: 50 } }] },
        ],
      },
    };
    const items = evaluateGate(ruleFacts({ numbers: { bant_count: 1, score: 30 }, flags: { bant_need: true } }), gate);
    expect(items).toEqual([
      { code: 'bant_count', message: { ja: 'BANTが3項目以上必要です（確認済 1項目、未確認: 予算・決裁者・検討時期）', en: 'At least 3 BANT items required (1 confirmed; missing: Budget, Authority, Timeline)' } },
      { code: 'gate_rule', message: { ja: 'トスアップ条件「BANT: 予算確認済」を満たしていません', en: 'Hand-off condition not met: BANT: budget confirmed' } },
      { code: 'gate_rule', message: { ja: 'トスアップ条件「ISによる初回架電完了」を満たしていません', en: 'Hand-off condition not met: IS first call completed' } },
    ]);
    const ready = ruleFacts({ numbers: { bant_count: 3, score: 60 }, flags: { bant_budget: true } });
    expect(evaluateGate(ready, gate)).toEqual([]);
  });
});
