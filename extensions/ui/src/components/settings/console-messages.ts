/**
 * The words of the settings page's admin console (issue 16: versions, import,
 * contact test, rule builder), as Bilingual data; `say` picks the viewer's language
 * and fills `{name}` placeholders.
 */
import { format, type Bilingual, type MessageParams } from '@tossup/shared/i18n';
import type { I18n } from '../card-context';

const m = (ja: string, en: string): Bilingual => ({ ja, en });

export const CONSOLE_MESSAGES = {
  versions_title: m('設定の履歴', 'Settings history'),
  versions_show: m('履歴を表示', 'Show history'),
  versions_empty: m('まだ保存された版はありません。', 'No version has been saved yet.'),
  version_line: m('版 {n} · {when} · {who}', 'Version {n} · {when} · {who}'),
  version_live: m('公開中', 'Live'),
  version_draft: m('下書き（未公開）', 'Draft (not published)'),
  version_restored: m('版 {n} から復元', 'Restored from version {n}'),
  version_unknown_user: m('不明なユーザー', 'unknown user'),
  version_publish: m('公開する', 'Publish'),
  version_restore: m('この版に戻す', 'Restore this version'),
  version_export: m('JSONを表示', 'Show JSON'),
  version_published: m('版 {n} を公開しました。パイプラインは今からこの設定で評価します。', 'Version {n} is live: the pipeline evaluates with it from now on.'),
  version_restored_done: m('版 {from} を版 {n} として復元し、公開しました。', 'Version {from} restored as version {n} and published.'),
  draft_save: m('下書きとして保存', 'Save as draft'),
  draft_saved: m('版 {n} を下書きとして保存しました。公開するまで評価には使われません。', 'Saved as draft version {n}; it is not used for evaluations until published.'),
  export_label: m('版 {n} のJSON（読み取り専用）', 'JSON of version {n} (read-only)'),
  import_title: m('JSONから読み込む', 'Import from JSON'),
  import_label: m('設定のJSONを貼り付けてください', 'Paste a settings JSON'),
  import_check: m('差分を確認', 'Show the diff'),
  import_bad_json: m('JSONの形式が正しくありません', 'This is not valid JSON'),
  import_diff_title: m('公開中の設定との差分: {n} 項目', 'Changes against the live settings: {n} fields'),
  import_no_change: m('公開中の設定と同じです。', 'Same as the live settings.'),
  import_as_draft: m('この内容を下書きとして保存', 'Save this as a draft'),
  test_title: m('コンタクトで試す', 'Test on a contact'),
  test_contact_label: m('コンタクトのレコードIDまたはメールアドレス', 'Contact record ID or e-mail'),
  test_contact_hint: m('公開中の設定と編集中の設定で、このコンタクトの判定を並べて表示します。HubSpotには何も書き込みません。', 'Shows the decision for this contact under the live settings and the settings as edited, side by side. Nothing is written to HubSpot.'),
  test_contact_bad_id: m('数字のレコードIDか、メールアドレス（例: taro@example.co.jp）を入力してください', 'Enter the numeric record ID or an e-mail address (e.g. taro@example.co.jp)'),
  test_found_by_email: m('{email} のコンタクト（レコードID {id}）', 'Contact with {email} (record ID {id})'),
  test_run: m('試す', 'Test'),
  test_published: m('公開中の設定', 'Live settings'),
  test_draft: m('編集中の設定', 'Settings as edited'),
  test_score: m('スコア {total}（行動 {behavior} ＋ 属性 {attribute}）', 'Score {total} (behaviour {behavior} + attributes {attribute})'),
  test_mql: m('MQL条件', 'MQL rule'),
  test_sql: m('SQL条件', 'SQL rule'),
  test_gate_passed: m('トスアップの関門: 通過', 'Hand-off gate: passed'),
  test_gate_blocked: m('トスアップの関門: 止まる理由 {n} 件', 'Hand-off gate: {n} blocking items'),
  test_routing: m('振り分け', 'Routing'),
  test_sla: m('今トスアップした場合の期限: 初回接触 {first}、状況更新 {status}', 'Deadlines of a hand-off now: first touch {first}, status update {status}'),
  test_stage_after: m('評価後の段階: {stage}', 'Stage after evaluation: {stage}'),
  trace_and: m('すべて満たす', 'All of'),
  trace_or: m('いずれかを満たす', 'Any of'),
  trace_not: m('次を満たさない', 'Not'),
  trace_value: m('{condition}（値: {value}）', '{condition} (value: {value})'),
  trace_yes: m('はい', 'yes'),
  trace_no: m('いいえ', 'no'),
  builder_mql: m('MQL条件', 'MQL rule'),
  builder_sql: m('SQL条件', 'SQL rule'),
  builder_gate: m('トスアップの品質基準（関門）', 'Hand-off quality gate'),
  builder_gate_hint: m('SQL条件に加えて、トスアップ前に満たすべき条件です。満たしていない条件は、カードに不足項目として表示されます。', 'Conditions a lead must meet, besides the SQL rule, before it is handed off. Each unmet condition is listed as missing on the card.'),
  builder_group: m('条件のまとめ方', 'Combine conditions'),
  builder_and: m('すべて満たす（AND）', 'All of them (AND)'),
  builder_or: m('いずれかを満たす（OR）', 'Any of them (OR)'),
  builder_not: m('次を満たさない（NOT）', 'None of this (NOT)'),
  builder_add_condition: m('条件を追加', 'Add a condition'),
  builder_add_group: m('グループを追加', 'Add a group'),
  builder_negate: m('否定する（NOT）', 'Negate (NOT)'),
  builder_unnegate: m('否定をやめる', 'Remove NOT'),
  builder_remove: m('削除', 'Remove'),
  builder_fact: m('条件', 'Condition'),
  builder_operator: m('比較', 'Comparison'),
  builder_value: m('値', 'Value'),
  builder_json: m('JSON（サポート用）', 'JSON (for support)'),
  impact_sample: m('試算の対象: 最近更新されたコンタクトから {size} 件（ポータル全体 {total} 件）。', 'Sample: the {size} most recently modified contacts (of {total} in the portal).'),
  impact_title: m('公開すると起きること（試算対象の範囲で）', 'What publishing would do (within the sample)'),
  impact_handoffs: m('自動トスアップ {n} 件 → 営業担当に優先度「高」のタスク {n} 件', '{n} automatic hand-offs → {n} HIGH-priority tasks for sales reps'),
  impact_rep: m('{name}: タスク {n} 件', '{name}: {n} tasks'),
  impact_mql: m('MQLのフォロータスク {n} 件（インサイドセールスへ）', '{n} MQL follow-up tasks for inside sales'),
  impact_stages: m('段階の変わるコンタクト {n} 件', '{n} contacts change stage'),
  forms_title: m('フォームの分類', 'Form classification'),
  forms_help: m('フォーム名に含まれる語で分類します（カンマ区切り）。上から順に最初に一致した分類になります。', 'Forms are classified by words in their title (comma-separated); the first category that matches, top to bottom, wins.'),
  form_category_inquiry: m('問い合わせ', 'Inquiry'),
  form_category_survey: m('アンケート', 'Survey'),
  form_category_download: m('資料ダウンロード', 'Download'),
  form_category_seminar: m('セミナー', 'Seminar'),
  form_category_ignore: m('シグナルにしない', 'Not a signal'),
  forms_overrides: m('フォームごとの分類（フォーム名の完全一致）', 'Per-form categories (exact form title)'),
  forms_override_title: m('フォーム名', 'Form title'),
  forms_override_category: m('分類', 'Category'),
  forms_override_add: m('フォームを追加', 'Add a form'),
  team_patterns: m('チーム名による部門の判定（カンマ区切り）', 'Department by team name (comma-separated words)'),
} as const satisfies Record<string, Bilingual>;

export type ConsoleMessageKey = keyof typeof CONSOLE_MESSAGES;

export function say(i18n: Pick<I18n, 'locale'>, key: ConsoleMessageKey, params?: MessageParams): string {
  return format(CONSOLE_MESSAGES[key][i18n.locale], params);
}

/** A Bilingual line from the API, in the viewer's language. */
export const inLocale = (i18n: Pick<I18n, 'locale'>, line: Bilingual): string => line[i18n.locale];
