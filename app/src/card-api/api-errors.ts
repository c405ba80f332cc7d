/**
 * Bilingual error envelopes of the card API. The card shows `message_ja` or
 * `message_en` by the viewer's locale, so every message says what happened and
 * what the person can do about it. Messages are `Bilingual` data up to here; this
 * module is where they become the DTO's two fields (extensions/shared/src/card-dto.ts).
 */
import type { ApiError, ApiErrorCode, FieldError, MissingItem } from '@tossup/shared/card-dto';
import { formatBilingual, type MessageParams } from '@tossup/shared/i18n';
import { REQUEST_FIELD_LABELS, REQUEST_MESSAGES, type RequestMessageKey } from '@tossup/shared/request-messages';
import type { Bilingual } from '@tossup/shared/i18n';
import type { PlanOutcome } from './card-api-deps';
import { labelMissing } from './build-views';

export function apiError(code: ApiErrorCode, message: Bilingual, missing?: MissingItem[]): ApiError {
  const base = { code, message_ja: message.ja, message_en: message.en };
  return missing && missing.length > 0 ? { ...base, missing } : base;
}

const m = (ja: string, en: string): Bilingual => ({ ja, en });

export const ERRORS = {
  unauthorized: (hint: string) => apiError('unauthorized', m(`署名を検証できませんでした（${hint}）`, `The request signature could not be verified (${hint})`)),
  notFound: (what: Bilingual) =>
    apiError('not_found', m(`${what.ja} が見つかりません。レコードが削除または統合された可能性があります。`, `${what.en} was not found; the record may have been deleted or merged.`)),
  unknownRoute: () => apiError('not_found', m('このAPIは存在しません。アプリを最新版に更新してください。', 'No such API route; update the app to the latest version.')),
  unknownUser: () =>
    apiError('forbidden', m('このポータルのユーザーとして確認できませんでした。管理者に権限を確認してください。', 'You could not be found as a user of this portal; ask your admin to check your access.')),
  notInsideSales: () =>
    apiError(
      'forbidden',
      m(
        'BANTの編集とトスアップはインサイドセールスのチームのメンバー（またはスーパー管理者）のみ行えます。チームの割り当てを管理者に確認してください。',
        'Only Inside Sales team members (or super admins) can edit BANT and toss up. Ask your admin to check your team.',
      ),
    ),
  notAssignedRep: () =>
    apiError(
      'forbidden',
      m('受入・差戻しはこのリードを担当する営業（トスアップ先またはコンタクト所有者）のみ行えます。', 'Only the sales rep this lead was handed to (or the contact owner) can accept or reject it.'),
    ),
  notSuperAdmin: () => apiError('forbidden', m('設定の変更とプレビューはスーパー管理者のみ行えます。', 'Only super admins can change or preview settings.')),
  routingChanged: () =>
    apiError(
      'in_progress',
      m(
        '割り当て先の担当者が、直前に対応件数の上限に達しました。何も変更していません。もう一度トスアップすると、空いている担当者に割り当てます。',
        'The rep this lead was going to reached their cap a moment ago; nothing was changed. Toss it up again to route it to a rep with room.',
      ),
    ),
  invalidRequest: (details: string) => apiError('invalid_request', m(`リクエストの形式が不正です: ${details}`, `The request is malformed: ${details}`)),
  /** Body fields at fault, each named and explained in both languages (request-messages.ts). */
  invalidFields: (fields: FieldError[]) => ({
    ...apiError(
      'invalid_request',
      m(`入力内容を確認してください。${fields.map((f) => f.message_ja).join(' ')}`, `Check the input. ${fields.map((f) => f.message_en).join(' ')}`),
    ),
    fields,
  }),
  keyReused: () =>
    apiError(
      'idempotency_key_reused',
      m('同じ idempotencyKey が別の内容のリクエストに使われました。操作ごとに新しいキーを生成してください。', 'This idempotencyKey was already used for a different request; generate a new key per action.'),
    ),
  inProgress: () => apiError('in_progress', m('同じ操作を処理中です。数秒後に再読み込みしてください。', 'The same action is still being processed; reload in a few seconds.')),
  timeout: () =>
    apiError('timeout', m('HubSpotの応答待ちで時間内に完了できませんでした。少し待ってから再読み込みしてください。', 'Waiting for HubSpot took too long; wait a moment and reload.')),
  notInstalled: () =>
    apiError(
      'not_installed',
      m(
        'tossup とこのポータルの接続が切れています。管理者がマーケットプレイスから tossup を再インストールしてください。',
        'tossup is not connected to this portal (uninstalled or access revoked); an admin must reinstall tossup from the marketplace.',
      ),
    ),
  internal: () => apiError('internal_error', m('内部エラーが発生しました。時間をおいて再試行してください。', 'An internal error occurred; try again in a moment.')),
  settingsConflict: () =>
    apiError('settings_conflict', m('他の管理者が先に設定を保存しました。再読み込みしてからやり直してください。', 'Another admin saved the settings first; reload and try again.')),
  invalidSettings: (missing: MissingItem[]) =>
    apiError('invalid_settings', m('設定に誤りがあります。各項目のメッセージを確認してください。', 'The settings have errors; see the message on each field.'), missing),
} as const;

/** The engine refused a toss-up, accept or reject: what is missing, or why not at this stage. */
export function refusalError(outcome: Extract<PlanOutcome, { ok: false }>): ApiError {
  const missing = labelMissing(outcome.missing ?? []);
  if (outcome.code === 'gate_blocked') {
    const fallback = m(`トスアップ条件を満たしていません: ${missing.map((i) => i.label_ja).join('、')}`, `The hand-off conditions are not met: ${missing.map((i) => i.label_en).join(', ')}`);
    return apiError('gate_blocked', outcome.message ?? fallback, missing);
  }
  return apiError('invalid_state', outcome.message ?? m('このリードの現在の段階ではこの操作はできません。再読み込みしてください。', 'This action is not possible at the lead’s current stage; reload the card.'));
}

/** One body field's message, led by the field's name: 「終了日: 終了日は開始日と…」. */
export function fieldError(path: string, key: RequestMessageKey, params?: MessageParams): FieldError {
  const text = formatBilingual(REQUEST_MESSAGES[key], params);
  const label = REQUEST_FIELD_LABELS[path] ?? { ja: path, en: path };
  return { path, message_ja: `${label.ja}: ${text.ja}`, message_en: `${label.en}: ${text.en}` };
}
