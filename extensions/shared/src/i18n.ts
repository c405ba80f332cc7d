/**
 * Close to 300 lines on purpose: most of it is one data table (MESSAGES), kept next to its translator so MessageKey is typed from it.
 *
 * The Japanese/English vocabulary of the cards, the settings page and the card API.
 *
 * Japanese first: the words are the ones of the seed article (トスアップ, MQL/SQL,
 * BANT, SLA, 初回接触, 商談化の理由 …) so the UI speaks the language the customers'
 * teams already use. The HubSpot user's locale decides (context.user.locale);
 * anything that is not English falls back to Japanese, the primary market.
 *
 * Pure module: used inside HubSpot's extension worker and by the backend alike.
 */

export type Locale = 'ja' | 'en';

/** HubSpot gives locales such as `ja-jp`, `ja`, `en-us`, `en-gb`; anything else → Japanese. */
export function pickLocale(locale: string | undefined | null): Locale {
  return typeof locale === 'string' && /^en\b/i.test(locale.trim()) ? 'en' : 'ja';
}

export interface Bilingual {
  ja: string;
  en: string;
}

/** A message in both languages; `{name}` placeholders are filled by `format` / `formatBilingual`. */
export function bilingual(ja: string, en: string): Bilingual {
  return { ja, en };
}

const m = bilingual;

export const MESSAGES = {
  // common
  loading: m('読み込み中…', 'Loading…'),
  retry: m('再読み込み', 'Reload'),
  save: m('保存', 'Save'),
  saving: m('保存中…', 'Saving…'),
  cancel: m('キャンセル', 'Cancel'),
  errorTitle: m('データを読み込めませんでした', 'Could not load the data'),
  errorGeneric: m('時間をおいて再読み込みしてください。解決しない場合は管理者に連絡してください。', 'Reload in a moment. If it keeps failing, contact your admin.'),
  notAuthorisedTitle: m('この操作の権限がありません', 'You are not allowed to do this'),
  unknownPerson: m('（不明）', '(unknown)'),
  automatic: m('自動', 'automatic'),
  none: m('なし', 'none'),
  yes: m('はい', 'Yes'),
  no: m('いいえ', 'No'),
  hours: m('{n}時間', '{n} h'),
  minutes: m('{n}分', '{n} min'),

  // departments
  dept_marketing: m('マーケティング', 'Marketing'),
  dept_inside_sales: m('インサイドセールス', 'Inside Sales'),
  dept_sales: m('営業', 'Sales'),
  dept_system: m('tossup', 'tossup'),
  dept_unknown: m('部門未設定', 'No department'),
  dept_all: m('すべての部門', 'All departments'),

  // stages
  stage_new: m('新規', 'New'),
  stage_mql: m('MQL', 'MQL'),
  stage_sql: m('SQL（トスアップ済）', 'SQL (handed off)'),
  stage_accepted: m('営業受入済', 'Accepted by Sales'),
  stage_rejected: m('営業差戻し', 'Rejected by Sales'),
  stage_recycled: m('リサイクル', 'Recycled'),

  // BANT
  bant_title: m('BANTチェックリスト', 'BANT checklist'),
  bant_budget: m('B（予算）', 'B (Budget)'),
  bant_authority: m('A（決裁者との接点）', 'A (Authority)'),
  bant_need: m('N（ニーズ）', 'N (Need)'),
  bant_timeline: m('T（検討時期）', 'T (Timeline)'),
  bant_budget_hint: m('導入を前提とした社内検討段階である', 'Evaluating internally with a view to buying'),
  bant_authority_hint: m('上位職の存在が確認できている、または接点予定あり', 'A decision maker is known, or a meeting is planned'),
  bant_need_hint: m('現状の課題・関心領域が明確である', 'The current problem or interest is clear'),
  bant_timeline_hint: m('3ヶ月以内に情報収集または比較検討を開始予定', 'Starts researching or comparing within 3 months'),
  bant_note_label: m('{item}のメモ', 'Note on {item}'),
  bant_count: m('BANT確認数 {n}/4', 'BANT confirmed {n}/4'),

  // sidebar card
  score_title: m('スコア', 'Score'),
  score_total: m('スコア合計', 'Total score'),
  score_behavior: m('行動スコア', 'Behaviour'),
  score_attribute: m('属性スコア', 'Attributes'),
  score_breakdown: m('スコア内訳', 'Score breakdown'),
  score_no_points: m('まだ加点はありません', 'No points yet'),
  mql_gap: m('MQLまであと{n}点（基準{threshold}点）', '{n} points to MQL (threshold {threshold})'),
  mql_reached: m('スコアはMQL基準（{threshold}点）に到達しています', 'The score reached the MQL threshold ({threshold})'),
  mql_is: m('MQL認定済', 'Marketing qualified (MQL)'),
  reason_label: m('商談化の可能性・理由', 'Why this lead should become a deal'),
  reason_placeholder: m('例：来期のSFA刷新を検討中。部長同席の打合せを調整中。', 'e.g. Replacing their SFA next quarter; a meeting with the director is being arranged.'),
  save_bant: m('BANTと理由を保存', 'Save BANT and reason'),
  saved: m('保存しました', 'Saved'),
  save_before_tossup: m('トスアップの前に変更を保存してください', 'Save your changes before tossing up'),
  gate_title: m('トスアップ条件', 'Hand-off conditions'),
  gate_passed: m('トスアップ条件を満たしています', 'All hand-off conditions are met'),
  gate_blocked: m('トスアップするには次の項目が不足しています', 'To hand off, these items are still missing'),
  tossup_button: m('トスアップ', 'Toss up'),
  tossup_done_title: m('営業にトスアップしました', 'Handed off to Sales'),
  tossup_done_body: m('{to}さんに初回接触のタスクを割り当てました（期限 {due}）。', 'A first-touch task went to {to} (due {due}).'),
  tossup_starts_sla: m('トスアップすると営業の初回接触SLAが始まります。', 'Tossing up starts the first-touch SLA for Sales.'),
  mql_fired: m('MQL認定の理由', 'Why it is an MQL'),
  reactions_label: m('反応', 'Reactions'),
  reaction_inquiry_yes: m('問い合わせあり', 'inquiry sent'),
  reaction_inquiry_no: m('問い合わせなし', 'no inquiry'),
  reaction_call_yes: m('ISの初回架電済', 'IS first call done'),
  reaction_call_no: m('ISの初回架電前', 'IS has not called yet'),
  reaction_survey_yes: m('アンケート回答あり', 'survey answered'),
  reaction_survey_no: m('アンケート回答なし', 'no survey answer'),
  followup_due: m('ISフォロー期限 {due}（{left}）', 'IS follow-up due {due} ({left})'),
  digest_route: m('{by} → {to}', '{by} → {to}'),
  digest_at: m('{at}にトスアップ', 'Handed off {at}'),
  breach_title: m('{sla}の期限を{left}超過', '{sla} overdue by {left}'),
  escalated_to: m('{to}さんにエスカレーションしました（{at}）。', 'Escalated to {to} ({at}).'),
  escalation_pending: m('エスカレーション先への通知を準備しています。', 'The escalation owner is about to be notified.'),
  viewer_before_handoff: m('インサイドセールスが対応中です（BANT確認数 {n}/4）。', 'Inside Sales is working this lead (BANT {n}/4 confirmed).'),
  no_contact_title: m('このコンタクトはまだ評価されていません', 'This contact has not been evaluated yet'),
  no_contact_body: m('tossupがこのコンタクトのデータを受け取ると、ここにスコアとBANTが表示されます。', 'Once tossup receives data for this contact, its score and BANT appear here.'),

  // SLA
  sla_title: m('SLA', 'SLA'),
  sla_first_touch: m('初回接触', 'First touch'),
  sla_status_update: m('ステータス更新', 'Status update'),
  sla_pending: m('対応待ち', 'Pending'),
  sla_met: m('達成', 'Met'),
  sla_breached: m('超過', 'Breached'),
  sla_due: m('期限 {due}', 'Due {due}'),
  sla_remaining: m('残り{left}', '{left} left'),
  sla_overdue: m('{left}超過', '{left} overdue'),
  sla_breached_title: m('SLA超過', 'SLA breached'),
  sla_breached_body: m('期限までに対応が記録されていません。エスカレーション先に通知されます。', 'No response was logged before the deadline. The escalation owner is notified.'),
  sla_none: m('SLAはトスアップ時に開始します', 'The SLA starts at hand-off'),

  // timeline card
  timeline_title: m('部門横断タイムライン', 'Cross-department timeline'),
  timeline_filter: m('部門で絞り込み', 'Filter by department'),
  timeline_empty_title: m('まだ接点がありません', 'No touches yet'),
  timeline_empty_body: m('マーケティング・IS・営業の活動が記録されるとここに表示されます。', 'Marketing, IS and Sales activity appears here once it is logged.'),
  col_when: m('日時', 'When'),
  col_department: m('部門', 'Department'),
  col_person: m('担当者', 'Person'),
  col_activity: m('内容', 'Activity'),
  kind_email_open: m('メール開封', 'Email opened'),
  kind_form_submission: m('フォーム送信', 'Form submitted'),
  kind_event: m('イベント参加', 'Event attended'),
  kind_call: m('電話', 'Call'),
  kind_note: m('メモ', 'Note'),
  kind_meeting: m('ミーティング', 'Meeting'),
  kind_email: m('メール', 'Email'),
  kind_task: m('タスク', 'Task'),
  kind_handoff: m('トスアップ', 'Hand-off'),
  kind_mql: m('MQL認定', 'Became MQL'),
  kind_accept: m('営業受入', 'Accepted'),
  kind_reject: m('営業差戻し', 'Rejected'),
  kind_recycle: m('リサイクル', 'Recycled'),
  kind_sla_met: m('SLA達成', 'SLA met'),
  kind_sla_breached: m('SLA超過', 'SLA breached'),
  kind_escalation: m('エスカレーション', 'Escalation'),
  kind_reminder: m('リマインダー', 'Reminder'),
  overlap_title: m('対応の重複に注意', 'Watch for overlapping contact'),
  // {late}: the department that reached the lead last; {early}: the one before it.
  overlap_against_flow: m('流れと逆の接触：{early}の後、{hours}時間以内に{late}が接触しました（{when}）。', 'Against the flow: {late} contacted the lead within {hours} hours after {early} ({when}).'),
  overlap_after_handoff: m('トスアップ後の接触：営業に引き渡してから{hours}時間以内に{late}が接触しました（{when}）。', 'After the hand-off: {late} contacted the lead within {hours} hours of handing it to Sales ({when}).'),
  overlap_other_rep: m('担当外の営業：トスアップ先以外の営業担当者が{hours}時間以内に接触しました（{when}）。', 'Another rep: a Sales person other than the assigned rep contacted the lead within {hours} hours of the hand-off ({when}).'),
  overlap_same_department: m('同じ部門の重複：{late}の複数の担当者が{hours}時間以内に接触しました（{when}）。', 'Same department: two people of {late} contacted the lead within {hours} hours ({when}).'),
  email_open_group: m('×{n}（最終 {last}）', '×{n} (last {last})'),
  with_detail: m('{a}（{b}）', '{a} ({b})'),
  label_value: m('{label}：{value}', '{label}: {value}'),
  row_contact: m('コンタクト：{name}', 'Contact: {name}'),
  task_due: m('期限 {due}', 'due {due}'),
  responded_next: m('次はステータス更新です（期限 {due}）。', 'Next: the status update (due {due}).'),
  summary_title: m('トスアップサマリー', 'Hand-off summary'),
  summary_none: m('まだトスアップされていません', 'Not handed off yet'),
  summary_by: m('トスアップした人', 'Handed off by'),
  summary_to: m('受け手（営業）', 'Handed off to'),
  summary_at: m('トスアップ日時', 'Handed off at'),
  summary_reason: m('商談化の理由', 'Reason'),
  summary_stage: m('段階', 'Stage'),
  summary_reject_reason: m('差戻し理由', 'Reject reason'),
  accept_button: m('受け入れる', 'Accept'),
  reject_button: m('差し戻す', 'Reject'),
  reject_reason_label: m('差戻し理由（必須）', 'Reason for rejecting (required)'),
  reject_reason_required: m('差戻し理由を選んでください', 'Choose a reason for rejecting'),
  reject_detail_label: m('補足（「その他」の場合は必須）', 'Details (required for “Other”)'),
  reject_detail_required: m('「その他」の場合は補足を入力してください', 'Describe the reason when choosing “Other”'),
  reject_return_is: m('インサイドセールスに戻す', 'Back to Inside Sales'),
  reject_return_nurture: m('ナーチャリングに戻す（リサイクル）', 'Back to nurture (recycle)'),
  reject_confirm: m('差戻しを確定', 'Confirm reject'),
  accepted_title: m('受け入れました', 'Accepted'),
  rejected_title: m('差し戻しました', 'Rejected'),
  respond_only_rep: m('受入・差戻しは担当の営業（{to}）のみ行えます。', 'Only the assigned sales rep ({to}) can accept or reject.'),
  deal_no_contact: m('この取引に関連するコンタクトがありません', 'No contact is associated with this deal'),

  // settings page
  settings_title: m('tossup 設定', 'tossup settings'),
  settings_departments: m('部門マッピング', 'Department mapping'),
  settings_departments_help: m('HubSpotのチームをマーケティング・インサイドセールス・営業に割り当てます。未設定のチームはチーム名で判定します。', 'Map each HubSpot team to Marketing, Inside Sales or Sales. Unmapped teams are classified by their name.'),
  settings_scoring: m('スコアリングルール', 'Scoring rules'),
  settings_thresholds: m('MQL・SQL・トスアップ条件', 'MQL, SQL and hand-off conditions'),
  settings_sla: m('SLA時間とカレンダー', 'SLA hours and calendar'),
  settings_routing: m('ルーティング', 'Routing'),
  settings_preview: m('変更の影響をプレビュー', 'Preview the effect'),
  settings_preview_result: m('現在の {evaluated} 件のコンタクトのうち {changed} 件の段階が変わります。', '{changed} of {evaluated} current contacts would change stage.'),
  settings_preview_truncated: m('（先頭 {evaluated} 件で試算）', '(estimated from the first {evaluated})'),
  settings_preview_needed: m('保存の前に変更の影響をプレビューしてください。', 'Preview the effect before saving.'),
  settings_saved: m('設定を保存しました', 'Settings saved'),
  settings_invalid: m('入力内容を確認してください', 'Check the highlighted fields'),
  settings_no_escalation_title: m('エスカレーション先が未設定です', 'No escalation owner is set'),
  settings_no_escalation_body: m('SLA超過時のエスカレーションタスクは担当営業自身に割り当てられます。チームごとのエスカレーション先を設定してください。', 'Until you set one, SLA breach escalations go to the rep themself. Set an escalation owner per team.'),
  settings_read_only: m('設定の変更はスーパー管理者のみ行えます。', 'Only super admins can change settings.'),
  settings_transition: m('{from} → {to}: {n} 件', '{from} → {to}: {n}'),
  set_dept_auto: m('チーム名で判定', 'Decide by team name'),
  set_dept_none: m('対象外', 'Not part of the flow'),
  set_enabled: m('有効', 'Enabled'),
  set_points: m('{rule}（点）', '{rule} (points)'),
  set_cap: m('上限（点、空欄で上限なし）', 'Cap (points, empty = none)'),
  set_words: m('役職キーワード（カンマ区切り）', 'Job-title keywords (comma separated)'),
  set_min_employees: m('従業員数（以上）', 'Employees (at least)'),
  set_industries: m('対象業界（カンマ区切り）', 'Target industries (comma separated)'),
  set_mql_threshold: m('MQLのスコア基準（点）', 'MQL score threshold (points)'),
  set_min_bant: m('BANT確認数の下限', 'Minimum BANT items confirmed'),
  set_require_last_contacted: m('直近の接触日の記録を必須にする', 'Require a recorded last-contact date'),
  set_require_reason: m('商談化の理由の記入を必須にする', 'Require a hand-off reason'),
  set_auto_handoff: m('条件を満たしたら自動でトスアップする', 'Hand off automatically when the conditions hold'),
  set_portal_language: m('HubSpotに書き込む言語（タスク・メモ・スコア内訳）', 'Language of what tossup writes into HubSpot (tasks, notes, score breakdown)'),
  set_language_ja: m('日本語', 'Japanese'),
  set_language_en: m('英語', 'English'),
  set_overlap_window: m('対応の重複とみなす期間（時間）', 'Duplicate-outreach window (hours)'),
  set_mql_rule: m('MQL条件（JSON・上級者向け）', 'MQL rule (JSON, advanced)'),
  set_sql_rule: m('SQL条件（JSON・上級者向け）', 'SQL rule (JSON, advanced)'),
  set_json_invalid: m('JSONの形式が正しくありません', 'This is not valid JSON'),
  set_first_touch_hours: m('初回接触の期限（時間）', 'First touch within (hours)'),
  set_status_update_hours: m('ステータス更新の期限（時間）', 'Status update within (hours)'),
  set_mql_followup_hours: m('MQLフォロータスクの期限（時間）', 'MQL follow-up task due in (hours)'),
  set_reminders: m('期限前リマインダー（何時間前、カンマ区切り）', 'Reminders before the deadline (hours, comma separated)'),
  set_calendar_mode: m('時間の数え方', 'How SLA hours are counted'),
  set_wall_clock: m('暦どおり（24時間）', 'Wall clock (24 h)'),
  set_business_hours: m('営業時間のみ', 'Business hours only'),
  set_timezone: m('タイムゾーン', 'Time zone'),
  set_work_start: m('始業時刻（HH:MM）', 'Working day starts (HH:MM)'),
  set_work_end: m('終業時刻（HH:MM）', 'Working day ends (HH:MM)'),
  set_work_days: m('営業日', 'Working days'),
  set_holidays: m('日本の祝日を休業日にする', 'Closed on Japanese national holidays'),
  set_closed_dates: m('休業日（YYYY-MM-DD、カンマ区切り）', 'Closed dates (YYYY-MM-DD, comma separated)'),
  wd_1: m('月', 'Mon'),
  wd_2: m('火', 'Tue'),
  wd_3: m('水', 'Wed'),
  wd_4: m('木', 'Thu'),
  wd_5: m('金', 'Fri'),
  wd_6: m('土', 'Sat'),
  wd_7: m('日', 'Sun'),
  set_prefer_company_owner: m('会社の所有者が営業チームならその人に割り当てる', 'Assign to the company owner when they are in a Sales team'),
  set_escalation_owner: m('エスカレーション先（{team}）', 'Escalation owner ({team})'),
  set_escalation_unset: m('未設定', 'Not set'),
  set_cool_off: m('差戻し後にMQLへ戻れるまでの日数', 'Days before a rejected lead can become MQL again'),
  set_recycle_destination: m('差戻し後の戻し先', 'Rejected leads go back to'),
  set_previewing: m('試算中…', 'Estimating…'),
  settings_conflict: m('他の管理者が先に設定を保存しました。再読み込みしてからやり直してください。', 'Another admin saved the settings first. Reload and try again.'),
} as const satisfies Record<string, Bilingual>;

export type MessageKey = keyof typeof MESSAGES;

export type MessageParams = Record<string, string | number>;

export function format(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Both languages of a message with its placeholders filled. */
export function formatBilingual(message: Bilingual, params?: MessageParams): Bilingual {
  return { ja: format(message.ja, params), en: format(message.en, params) };
}

/** A translator bound to one locale: t('mql_gap', { n: 12, threshold: 70 }). */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function createTranslator(locale: Locale): Translate {
  return (key, params) => format(MESSAGES[key][locale], params);
}

/** Picks the language of a bilingual server payload such as `{ message_ja, message_en }`. */
export function pick(locale: Locale, ja: string, en: string): string {
  return locale === 'en' ? en : ja;
}

/**
 * Date and time in the portal's time zone (context.portal.timezone), so everyone in the
 * portal reads the same wall-clock time whatever their browser says.
 */
export function formatDateTime(epochMs: number, locale: Locale, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: safeTimeZone(timeZone),
  };
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', options).format(new Date(epochMs));
}

/** An unknown zone would make Intl throw and blank the whole card; UTC is readable and labelled. */
export function safeTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** "26時間" / "1 d 2 h": an SLA countdown granular enough for a 24 h clock. */
export function formatDuration(ms: number, locale: Locale): string {
  const totalMinutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (locale === 'en') return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return hours > 0 ? `${hours}時間${minutes}分` : `${minutes}分`;
}

/** "12/2" / "Dec 2": a day in a row that already shows the full date elsewhere. */
export function formatShortDate(epochMs: number, locale: Locale, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { month: locale === 'en' ? 'short' : 'numeric', day: 'numeric', timeZone: safeTimeZone(timeZone) };
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', options).format(new Date(epochMs));
}
