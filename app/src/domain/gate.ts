/**
 * The hand-off quality gate (article: トスアップの品質基準; docs/product.md §4). Since issue 16
 * it is a rule over the same facts as the MQL / SQL rules (settings.gate.rule; the default is
 * the article's: BANT 2項目以上 AND 直近の接触日 AND トスアップ理由). Each unmet condition is
 * named so the card can show exactly what is missing: the three conditions of the article keep
 * their own sentences (which BANT items are missing, what to log), any other condition is
 * shown in the rule builder's words with the value the contact has.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { evaluateRuleLeaves, unmetLabel, type Facts, type UnmetLeaf } from './rule-expression';
import { BANT_ITEMS } from './facts';

export interface BlockingItem {
  code:
    | 'bant_count'
    | 'last_contacted'
    | 'handoff_reason'
    | 'gate_rule'
    | 'sql_rule'
    | 'no_sales_owner'
    | 'already_handed_off'
    | 'cool_off'
    | 'not_handed_off'
    | 'unknown_reason';
  /** Shown as is by the card (app/src/card-api) and quoted in the hand-off task and note. */
  message: Bilingual;
}

/** The smallest BANT count a `bant_count` comparison asks for, when it asks for "at least". */
function bantAtLeast(u: UnmetLeaf): number | null {
  if (u.leaf.type !== 'compare' || u.leaf.fact !== 'bant_count' || u.negated) return null;
  if (u.leaf.op === 'gte') return Math.ceil(u.leaf.value);
  if (u.leaf.op === 'gt') return Math.floor(u.leaf.value) + 1;
  return null;
}

function blockingItem(u: UnmetLeaf, facts: Facts): BlockingItem {
  const need = bantAtLeast(u);
  if (need !== null) {
    const count = facts.numbers.bant_count;
    const missing = BANT_ITEMS.filter((b) => !facts.flags[`bant_${b.key}`]);
    return {
      code: 'bant_count',
      message: {
        ja: `BANTが${need}項目以上必要です（確認済 ${count}項目、未確認: ${missing.map((b) => b.ja).join('・')}）`,
        en: `At least ${need} BANT items required (${count} confirmed; missing: ${missing.map((b) => b.en).join(', ')})`,
      },
    };
  }
  if (u.leaf.type === 'flag' && !u.negated && u.leaf.fact === 'last_contacted_recorded') {
    return {
      code: 'last_contacted',
      message: { ja: '直近の接触日が記録されていません。通話・メール・ミーティングを記録してください', en: 'No last-contact date recorded; log a call, email or meeting' },
    };
  }
  if (u.leaf.type === 'flag' && !u.negated && u.leaf.fact === 'handoff_reason_present') {
    return { code: 'handoff_reason', message: { ja: 'トスアップ理由（商談化の可能性・理由）が未記入です', en: 'The hand-off reason is empty' } };
  }
  const label = unmetLabel(u, facts);
  return { code: 'gate_rule', message: { ja: `トスアップ条件「${label.ja}」を満たしていません`, en: `Hand-off condition not met: ${label.en}` } };
}

export function evaluateGate(facts: Facts, gate: PortalSettings['gate']): BlockingItem[] {
  const verdict = evaluateRuleLeaves(gate.rule, facts);
  return verdict.holds ? [] : verdict.unmet.map((u) => blockingItem(u, facts));
}
