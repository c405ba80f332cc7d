/**
 * Field messages of card API request bodies, as `Bilingual` data: a zod check names a
 * key of this catalogue as its message, and the card API's request pipeline answers
 * with the field's name and the message in both languages (`ApiError.fields`), so a
 * form can show it next to the input. Messages say what to enter, not what went wrong
 * inside. Browser-safe: no imports beyond i18n.
 */
import { bilingual as m, type Bilingual } from './i18n';

export const REQUEST_MESSAGES = {
  required: m('入力してください', 'This field is required'),
  date_iso: m('日付は YYYY-MM-DD（例 2026-04-06）で入力してください', 'Enter the date as YYYY-MM-DD (e.g. 2026-04-06)'),
  date_real: m('存在しない日付です（例 2026-02-30）。カレンダーの日付を入力してください', 'That date does not exist (e.g. 2026-02-30); enter a calendar date'),
  date_order: m('終了日は開始日と同じ日か、それより後にしてください', 'The end date must be on or after the start date'),
  date_range_too_long: m('不在期間は{days}日までです。期間を分けて登録してください', 'A range is at most {days} days; enter it in parts'),
  owner_id: m('担当者はHubSpotのオーナーID（数字）で指定してください', 'Name the rep by their HubSpot owner id (digits)'),
  owner_unknown: m('担当者 {id} はこのポータルにいません', 'Owner {id} is not in this portal'),
  note_too_long: m('メモは200文字までです', 'The note is at most 200 characters'),
} as const satisfies Record<string, Bilingual>;

export type RequestMessageKey = keyof typeof REQUEST_MESSAGES;

/** What a person calls each body field, for messages that name it. */
export const REQUEST_FIELD_LABELS: Record<string, Bilingual> = {
  from: m('開始日', 'From'),
  to: m('終了日', 'To'),
  ownerId: m('担当者', 'Rep'),
  note: m('メモ', 'Note'),
};

export function isRequestMessageKey(v: unknown): v is RequestMessageKey {
  return typeof v === 'string' && Object.hasOwn(REQUEST_MESSAGES, v);
}
