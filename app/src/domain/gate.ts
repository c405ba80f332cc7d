/**
 * The hand-off quality gate (article: トスアップの品質基準; docs/product.md §4): at least N
 * BANT items, a last-contact date recorded, a non-empty reason. Each failing item is
 * named so the card can show exactly what is missing.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { Facts } from './rule-expression';
import { BANT_ITEMS } from './facts';

export interface BlockingItem {
  code: 'bant_count' | 'last_contacted' | 'handoff_reason' | 'sql_rule' | 'no_sales_owner' | 'already_handed_off' | 'cool_off' | 'not_handed_off' | 'unknown_reason';
  /** Shown as is by the card (app/src/card-api) and quoted in the hand-off task and note. */
  message: Bilingual;
}

export function evaluateGate(facts: Facts, gate: PortalSettings['gate']): BlockingItem[] {
  const blocking: BlockingItem[] = [];
  const count = facts.numbers.bant_count;
  if (count < gate.minBantItems) {
    const missing = BANT_ITEMS.filter((b) => !facts.flags[`bant_${b.key}`]);
    blocking.push({
      code: 'bant_count',
      message: {
        ja: `BANTが${gate.minBantItems}項目以上必要です（確認済 ${count}項目、未確認: ${missing.map((b) => b.ja).join('・')}）`,
        en: `At least ${gate.minBantItems} BANT items required (${count} confirmed; missing: ${missing.map((b) => b.en).join(', ')})`,
      },
    });
  }
  if (gate.requireLastContacted && !facts.flags.last_contacted_recorded) {
    blocking.push({
      code: 'last_contacted',
      message: { ja: '直近の接触日が記録されていません。通話・メール・ミーティングを記録してください', en: 'No last-contact date recorded; log a call, email or meeting' },
    });
  }
  if (gate.requireReason && !facts.flags.handoff_reason_present) {
    blocking.push({ code: 'handoff_reason', message: { ja: 'トスアップ理由（商談化の可能性・理由）が未記入です', en: 'The hand-off reason is empty' } });
  }
  return blocking;
}
