/**
 * The words of the reject-reason section of the settings page (issue 14), as Bilingual
 * data; `sayReason` picks the viewer's language. Validation messages come from the
 * shared schema (extensions/shared/src/settings-messages.ts), like every other field.
 */
import { bilingual as m, format, type MessageParams } from '@tossup/shared/i18n';
import type { I18n } from '../card-context';

export const REJECT_REASON_MESSAGES = {
  reasons_title: m('差戻し理由', 'Reject reasons'),
  reasons_help: m(
    '営業が差し戻すときに選ぶ理由です。コードはHubSpotのプロパティ「差戻し理由コード」の値になり、レポートはコードでグループ化します。公開後はコードを変更できません（表示名は変更できます）。削除した理由は過去のコンタクトに残り、レポートでは「（削除済み）」と表示されます。',
    'The reasons Sales chooses from when rejecting. A code becomes a value of the HubSpot property "Reject reason code" and reports group by it. Once published a code cannot change (its labels can). A removed reason stays on past contacts and shows as "(削除済み)" in reports.',
  ),
  reason_code: m('コード', 'Code'),
  reason_code_published: m('公開済みのコード（変更不可）', 'Published code (cannot change)'),
  reason_ja: m('表示名（日本語）', 'Label (Japanese)'),
  reason_en: m('表示名（英語）', 'Label (English)'),
  reason_up: m('上へ', 'Up'),
  reason_down: m('下へ', 'Down'),
  reason_remove: m('削除', 'Remove'),
  reason_add: m('理由を追加', 'Add a reason'),
  reason_other_note: m('「その他（other）」は、HubSpotに反映できないコードの記録先としていつでも使われます。', '"other" is always kept: it records any code HubSpot cannot accept yet.'),
} as const;

export type RejectReasonMessageKey = keyof typeof REJECT_REASON_MESSAGES;

export function sayReason(i18n: Pick<I18n, 'locale'>, key: RejectReasonMessageKey, params?: MessageParams): string {
  return format(REJECT_REASON_MESSAGES[key][i18n.locale], params);
}
