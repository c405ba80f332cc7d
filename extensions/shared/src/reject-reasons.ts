/**
 * Sales' default reasons for rejecting a hand-off (docs/product.md §7): stable codes
 * with ja/en labels. The settings start from this list, and the contract property
 * `tossup_reject_reason_code` offers these codes as its options so reports can group
 * by them (HubSpot refuses an enumeration value that is not one of its options).
 */
export interface RejectReason {
  code: string;
  ja: string;
  en: string;
}

export const DEFAULT_REJECT_REASONS: readonly RejectReason[] = [
  { code: 'no_budget', ja: '予算なし', en: 'No budget' },
  { code: 'no_authority', ja: '決裁者に接点なし', en: 'No access to the decision maker' },
  { code: 'no_need', ja: '課題・ニーズなし', en: 'No need' },
  { code: 'bad_timing', ja: '検討時期が先', en: 'Timing too far out' },
  { code: 'unreachable', ja: '連絡がつかない', en: 'Could not reach' },
  { code: 'duplicate', ja: '重複・既存商談あり', en: 'Duplicate or existing deal' },
  { code: 'other', ja: 'その他', en: 'Other' },
];
