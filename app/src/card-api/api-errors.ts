/**
 * Bilingual error envelopes of the card API. The card shows `message_ja` or
 * `message_en` by the viewer's locale, so every message says what happened and
 * what the person can do about it.
 */
import type { ApiError, ApiErrorCode, MissingItem } from '@tossup/shared/card-dto';

export function apiError(code: ApiErrorCode, message_ja: string, message_en: string, missing?: MissingItem[]): ApiError {
  return missing && missing.length > 0 ? { code, message_ja, message_en, missing } : { code, message_ja, message_en };
}

export const ERRORS = {
  unauthorized: (hint: string) =>
    apiError('unauthorized', `署名を検証できませんでした（${hint}）`, `The request signature could not be verified (${hint})`),
  notFound: (what: string) =>
    apiError('not_found', `${what} が見つかりません。レコードが削除または統合された可能性があります。`, `${what} was not found; the record may have been deleted or merged.`),
  unknownRoute: () =>
    apiError('not_found', 'このAPIは存在しません。アプリを最新版に更新してください。', 'No such API route; update the app to the latest version.'),
  unknownUser: () =>
    apiError('forbidden', 'このポータルのユーザーとして確認できませんでした。管理者に権限を確認してください。', 'You could not be found as a user of this portal; ask your admin to check your access.'),
  notInsideSales: () =>
    apiError(
      'forbidden',
      'BANTの編集とトスアップはインサイドセールスのチームのメンバー（またはスーパー管理者）のみ行えます。チームの割り当てを管理者に確認してください。',
      'Only Inside Sales team members (or super admins) can edit BANT and toss up. Ask your admin to check your team.',
    ),
  notAssignedRep: () =>
    apiError(
      'forbidden',
      '受入・差戻しはこのリードを担当する営業（トスアップ先またはコンタクト所有者）のみ行えます。',
      'Only the sales rep this lead was handed to (or the contact owner) can accept or reject it.',
    ),
  notSuperAdmin: () =>
    apiError('forbidden', '設定の変更とプレビューはスーパー管理者のみ行えます。', 'Only super admins can change or preview settings.'),
  invalidRequest: (details: string) =>
    apiError('invalid_request', `リクエストの形式が不正です: ${details}`, `The request is malformed: ${details}`),
  keyReused: () =>
    apiError(
      'idempotency_key_reused',
      '同じ idempotencyKey が別の内容のリクエストに使われました。操作ごとに新しいキーを生成してください。',
      'This idempotencyKey was already used for a different request; generate a new key per action.',
    ),
  inProgress: () =>
    apiError('in_progress', '同じ操作を処理中です。数秒後に再読み込みしてください。', 'The same action is still being processed; reload in a few seconds.'),
  timeout: () =>
    apiError(
      'timeout',
      'HubSpotの応答待ちで時間内に完了できませんでした。少し待ってから再読み込みしてください。',
      'Waiting for HubSpot took too long; wait a moment and reload.',
    ),
  notInstalled: () =>
    apiError(
      'not_installed',
      'tossup とこのポータルの接続が切れています。管理者がマーケットプレイスから tossup を再インストールしてください。',
      'tossup is not connected to this portal (uninstalled or access revoked); an admin must reinstall tossup from the marketplace.',
    ),
  internal: () =>
    apiError('internal_error', '内部エラーが発生しました。時間をおいて再試行してください。', 'An internal error occurred; try again in a moment.'),
  settingsConflict: () =>
    apiError(
      'settings_conflict',
      '他の管理者が先に設定を保存しました。再読み込みしてからやり直してください。',
      'Another admin saved the settings first; reload and try again.',
    ),
  invalidSettings: (missing: MissingItem[]) =>
    apiError('invalid_settings', '設定に誤りがあります。各項目のメッセージを確認してください。', 'The settings have errors; see the message on each field.', missing),
} as const;

/** The settings schema writes its messages as "日本語 / English"; shared with the settings page. */
export { splitBilingual } from '@tossup/shared/i18n';
