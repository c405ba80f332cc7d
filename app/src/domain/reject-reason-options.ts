/**
 * The options of the contact property `tossup_reject_reason_code` for the admin's list
 * of reject reasons (settings `recycle.reasons`, docs/product.md §7). HubSpot refuses an
 * enumeration value that is not one of the property's options (400 INVALID_OPTION), and
 * an options update replaces the whole list (there is no "add one option"), so the app
 * computes the full list and writes it in one request:
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/patch-crm-v3-properties-objectType-propertyName
 *
 *  - the published reasons, visible, in the admin's order, labelled 「予算なし / No budget」;
 *  - every code HubSpot already has that is no longer published, kept as a hidden option
 *    labelled 「…（削除済み）」, so contacts that carry it keep their value and reports
 *    keep grouping them;
 *  - `other`, visible, even when the admin removed it: it is the bucket the app writes
 *    when a code cannot be written (docs/decisions.md, issue 14).
 *
 * Pure: (published reasons, the options HubSpot has) → the options to write, and whether
 * anything differs (an unchanged list is not written again).
 */
import type { RejectReason } from '@tossup/shared/reject-reasons';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

/** The code written when a reason's code is not (yet) an option in HubSpot. */
export const FALLBACK_REASON_CODE = 'other';
const FALLBACK_LABEL = 'その他 / Other';
const REMOVED_SUFFIX = '（削除済み）';

export const reasonOptionLabel = (r: Pick<RejectReason, 'ja' | 'en'>): string => `${r.ja} / ${r.en}`;

function removedLabel(label: string): string {
  return label.endsWith(REMOVED_SUFFIX) ? label : `${label}${REMOVED_SUFFIX}`;
}

/** The full options list for the published reasons, given what HubSpot has now. */
export function rejectReasonOptions(reasons: readonly RejectReason[], current: readonly PropertyOption[]): PropertyOption[] {
  const out: PropertyOption[] = reasons.map((r, i) => ({ label: reasonOptionLabel(r), value: r.code, displayOrder: i, hidden: false }));
  const published = new Set(reasons.map((r) => r.code));
  if (!published.has(FALLBACK_REASON_CODE)) {
    const had = current.find((o) => o.value === FALLBACK_REASON_CODE);
    out.push({ label: had && !had.label.endsWith(REMOVED_SUFFIX) ? had.label : FALLBACK_LABEL, value: FALLBACK_REASON_CODE, displayOrder: out.length, hidden: false });
  }
  const listed = new Set(out.map((o) => o.value));
  for (const o of [...current].sort((a, b) => a.displayOrder - b.displayOrder)) {
    if (listed.has(o.value)) continue;
    listed.add(o.value);
    out.push({ label: removedLabel(o.label), value: o.value, displayOrder: out.length, hidden: true });
  }
  return out;
}

/** Whether HubSpot's options already are `wanted` (same values, labels, order and visibility). */
export function sameOptions(current: readonly PropertyOption[], wanted: readonly PropertyOption[]): boolean {
  if (current.length !== wanted.length) return false;
  const byOrder = [...current].sort((a, b) => a.displayOrder - b.displayOrder);
  return wanted.every((w, i) => {
    const c = byOrder[i]!;
    return c.value === w.value && c.label === w.label && c.hidden === w.hidden;
  });
}

/**
 * The code to write for a reason: its own code when HubSpot accepts it (an option of
 * the property), else `other`. A portal never synced still has the options the property
 * was created with: the caller passes the default codes then.
 */
export function reasonCodeToWrite(code: string, accepted: readonly string[]): string {
  return accepted.includes(code) ? code : FALLBACK_REASON_CODE;
}
