/**
 * The options of `tossup_reject_reason_code` for the admin's reasons
 * (app/src/domain/reject-reason-options.ts): the published list, removed codes kept
 * hidden as 「…（削除済み）」, `other` always writable, and no write when unchanged.
 */
import { describe, expect, it } from 'vitest';
import { CONTRACT_PROPERTIES } from '@tossup/shared/contract-properties';
import { DEFAULT_REJECT_REASONS } from '@tossup/shared/reject-reasons';
import { reasonCodeToWrite, rejectReasonOptions, sameOptions, type PropertyOption } from '../../src/domain/reject-reason-options';

/** What the property is created with at install (contract-properties.ts), as HubSpot answers it. */
const created: PropertyOption[] = CONTRACT_PROPERTIES.find((p) => p.name === 'tossup_reject_reason_code')!.options!.map((o, i) => ({ ...o, displayOrder: i, hidden: false }));

describe('rejectReasonOptions', () => {
  it('the default reasons are exactly the options the property is created with: nothing to write', () => {
    expect(sameOptions(created, rejectReasonOptions(DEFAULT_REJECT_REASONS, created))).toBe(true);
  });

  it("adds the admin's code, follows a relabel and a reorder, keeps a removed code hidden as 「…（削除済み）」", () => {
    const reasons = [
      { code: 'price', ja: '価格が合わない', en: 'Price does not fit' },
      { code: 'no_need', ja: 'ニーズなし', en: 'No need' },
      { code: 'no_budget', ja: '予算なし', en: 'No budget' },
      { code: 'other', ja: 'その他', en: 'Other' },
    ];
    const wanted = rejectReasonOptions(reasons, created);
    expect(wanted.slice(0, 4)).toEqual([
      { value: 'price', label: '価格が合わない / Price does not fit', displayOrder: 0, hidden: false },
      { value: 'no_need', label: 'ニーズなし / No need', displayOrder: 1, hidden: false },
      { value: 'no_budget', label: '予算なし / No budget', displayOrder: 2, hidden: false },
      { value: 'other', label: 'その他 / Other', displayOrder: 3, hidden: false },
    ]);
    expect(wanted.slice(4)).toEqual([
      { value: 'no_authority', label: '決裁者に接点なし / No access to the decision maker（削除済み）', displayOrder: 4, hidden: true },
      { value: 'bad_timing', label: '検討時期が先 / Timing too far out（削除済み）', displayOrder: 5, hidden: true },
      { value: 'unreachable', label: '連絡がつかない / Could not reach（削除済み）', displayOrder: 6, hidden: true },
      { value: 'duplicate', label: '重複・既存商談あり / Duplicate or existing deal（削除済み）', displayOrder: 7, hidden: true },
    ]);
    expect(sameOptions(created, wanted)).toBe(false);
    // Synced once, the same list again is a no-op, and the suffix is never doubled.
    expect(sameOptions(wanted, rejectReasonOptions(reasons, wanted))).toBe(true);
  });

  it('a removed code that comes back is visible again with its new label', () => {
    const removed = rejectReasonOptions([{ code: 'other', ja: 'その他', en: 'Other' }], created);
    const back = rejectReasonOptions([{ code: 'duplicate', ja: '既存商談あり', en: 'Existing deal' }, { code: 'other', ja: 'その他', en: 'Other' }], removed);
    expect(back[0]).toEqual({ value: 'duplicate', label: '既存商談あり / Existing deal', displayOrder: 0, hidden: false });
    expect(back.filter((o) => o.value === 'duplicate')).toHaveLength(1);
  });

  it('keeps `other` writable when the admin removed it from the list', () => {
    const wanted = rejectReasonOptions([{ code: 'price', ja: '価格', en: 'Price' }], created);
    expect(wanted.find((o) => o.value === 'other')).toEqual({ value: 'other', label: 'その他 / Other', displayOrder: 1, hidden: false });
  });
});

describe('reasonCodeToWrite', () => {
  it('writes the code HubSpot accepts, else other', () => {
    expect(reasonCodeToWrite('price', ['price', 'other'])).toBe('price');
    expect(reasonCodeToWrite('price', DEFAULT_REJECT_REASONS.map((r) => r.code))).toBe('other');
  });
});
