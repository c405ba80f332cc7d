/**
 * Every message the settings document can produce, as `Bilingual` data: the checks
 * we wrote into the schema (portal-settings-schema.ts names them by id), zod's own
 * checks, problems of the document as a whole, and the warnings of
 * settings-warnings.ts. `{name}` placeholders are filled by `settingsMessage`.
 */
import type { z } from 'zod';
import { bilingual as m, formatBilingual, type Bilingual, type MessageParams } from './i18n';

export const SETTINGS_MESSAGES = {
  // Our own checks in the schema
  rule_too_large: m(
    '条件式が大きすぎます（入れ子は{depth}段、条件は{nodes}個まで）。条件をまとめてください',
    'The rule is too large (at most {depth} levels and {nodes} conditions); simplify it',
  ),
  owner_id_number: m('オーナーIDは数字です', 'An owner id is a number'),
  team_id_number: m('チームIDは数字です', 'A team id is a number'),
  time_hhmm: m('時刻は HH:MM（例 09:00）で入力してください', 'Enter a time as HH:MM (e.g. 09:00)'),
  date_iso: m('日付は YYYY-MM-DD で入力してください', 'Enter a date as YYYY-MM-DD'),
  time_zone_unknown: m('タイムゾーンが不正です（例 Asia/Tokyo）', 'Unknown time zone (e.g. Asia/Tokyo)'),
  work_days_none: m('営業日を1日以上選んでください', 'Choose at least one working day'),
  work_end_before_start: m('終業時刻は始業時刻より後にしてください', 'The end of the working day must be after its start'),
  reject_reasons_none: m('差戻し理由を1つ以上設定してください', 'Configure at least one reject reason'),
  property_name: m('プロパティは内部名（半角英小文字・数字・_、例 state）で入力してください', 'Enter the internal property name (a-z, 0-9, _; e.g. state)'),
  routing_id: m('IDは半角英小文字・数字・_・-（40文字まで、例 kansai）で入力してください', 'Use a-z, 0-9, _ and - for the id (up to 40; e.g. kansai)'),
  routing_duplicate_id: m('ID「{id}」が重複しています。別のIDにしてください', 'The id "{id}" is used twice; choose another'),
  routing_value_needed: m('値を入力してください（「値あり」「値なし」以外の条件には値が必要です）', 'Enter a value (every operator but "is known" / "is unknown" needs one)'),
  routing_value_number: m('「以上」「以下」の値は数値で入力してください（「{value}」は数値ではありません）', '"At least" / "at most" need a number ("{value}" is not one)'),
  routing_unknown_pool: m('担当プール「{id}」がありません。先にプールを作成してください', 'There is no pool "{id}"; create the pool first'),
  reason_code_format: m(
    '理由コードは半角英小文字・数字・_ で1〜40文字にしてください（例 no_budget）',
    'A reason code is 1–40 lowercase letters, digits or _ (e.g. no_budget)',
  ),
  reason_code_duplicate: m('理由コード「{code}」は他の理由と重複しています', 'The reason code "{code}" is used by another reason'),

  // zod's own checks
  required: m('必須項目です', 'This field is required'),
  expected_type: m('{typeJa}を入力してください', 'Expected {type}'),
  too_few_items: m('{minimum}件以上必要です', 'At least {minimum} item(s) required'),
  empty: m('空にできません', 'Must not be empty'),
  at_least: m('{minimum}以上にしてください', 'Must be at least {minimum}'),
  greater_than: m('{minimum}より大きい値にしてください', 'Must be greater than {minimum}'),
  too_many_items: m('{maximum}件までです', 'At most {maximum} item(s)'),
  too_long: m('{maximum}文字までです', 'At most {maximum} characters'),
  at_most: m('{maximum}以下にしてください', 'Must be at most {maximum}'),
  less_than: m('{maximum}未満にしてください', 'Must be less than {maximum}'),
  choose_one: m('次のいずれかを選んでください: {values}', 'Choose one of: {values}'),
  invalid_condition: m('条件の形式が不正です（type は and / or / not / flag / compare）', 'Invalid condition (type must be and, or, not, flag or compare)'),
  unknown_fields: m('不明な項目です: {keys}', 'Unknown field(s): {keys}'),
  invalid_format: m('形式が不正です', 'Invalid format'),
  multiple_of: m('{divisor}の倍数にしてください', 'Must be a multiple of {divisor}'),
  invalid_value: m('値が不正です', 'Invalid value'),

  // The document as a whole
  not_an_object: m('設定はオブジェクトで送ってください', 'Settings must be a JSON object'),
  unsupported_version: m(
    '設定のバージョン {version} には対応していません（対応: {expected}）。画面を再読み込みしてください',
    'Settings version {version} is not supported (expected {expected}); reload the page',
  ),

  // Warnings (valid settings that leave the flow without a safety net)
  no_escalation_owner: m(
    'チーム「{team}」のエスカレーション先が未設定です。SLA超過はその担当者本人に通知されます',
    'Team "{team}" has no escalation owner; SLA breaches go to the rep themself',
  ),
  routing_pool_empty: m('担当プール「{pool}」にメンバーがいません。このプールを使うルールは代替の担当者に回ります', 'Pool "{pool}" has no members; rules that use it go to the fallback owner'),
  routing_no_fallback: m(
    '代替の担当者が未設定です。全員が不在・上限到達のときは営業チームで担当件数の最も少ない人に割り当て、カードに警告を表示します',
    'No fallback owner is set; when nobody is available the lead goes to the least-loaded Sales owner and the card shows a warning',
  ),
  no_sales_team: m('営業（フィールドセールス）に対応するチームがありません。トスアップ先を決められません', 'No team maps to Sales; hand-offs cannot be routed'),
  no_inside_sales_team: m(
    'インサイドセールスに対応するチームがありません。MQLのフォロータスクを割り当てられません',
    'No team maps to Inside Sales; MQL follow-up tasks cannot be assigned',
  ),
} as const satisfies Record<string, Bilingual>;

export type SettingsMessageKey = keyof typeof SETTINGS_MESSAGES;

export function settingsMessage(key: SettingsMessageKey, params?: MessageParams): Bilingual {
  return formatBilingual(SETTINGS_MESSAGES[key], params);
}

/** A zod check option naming our message: `.regex(re, says('time_hhmm'))`; `issueMessage` translates it. */
export function says(key: SettingsMessageKey): { message: SettingsMessageKey } {
  return { message: key };
}

function isSettingsMessageKey(message: string): message is SettingsMessageKey {
  return Object.hasOwn(SETTINGS_MESSAGES, message);
}

const TYPE_JA: Record<string, string> = { number: '数値', int: '整数', string: '文字列', boolean: 'オン/オフ', array: '一覧', object: '設定のまとまり' };

/** The message of one zod issue: ours by id (see `says`), zod's own by issue code. */
export function issueMessage(issue: z.core.$ZodIssue): Bilingual {
  if (isSettingsMessageKey(issue.message)) return settingsMessage(issue.message, issue.code === 'custom' ? issue.params : undefined);
  switch (issue.code) {
    case 'invalid_type':
      // zod v4 omits the input from issues unless asked; its message says what it received.
      return issue.message.endsWith('received undefined')
        ? settingsMessage('required')
        : settingsMessage('expected_type', { type: issue.expected, typeJa: TYPE_JA[issue.expected] ?? issue.expected });
    case 'too_small': {
      const minimum = String(issue.minimum);
      if (issue.origin === 'array') return settingsMessage('too_few_items', { minimum });
      if (issue.origin === 'string') return settingsMessage('empty');
      return settingsMessage(issue.inclusive ? 'at_least' : 'greater_than', { minimum });
    }
    case 'too_big': {
      const maximum = String(issue.maximum);
      if (issue.origin === 'array') return settingsMessage('too_many_items', { maximum });
      if (issue.origin === 'string') return settingsMessage('too_long', { maximum });
      return settingsMessage(issue.inclusive ? 'at_most' : 'less_than', { maximum });
    }
    case 'invalid_value':
      return settingsMessage('choose_one', { values: issue.values.map(String).join(', ') });
    case 'invalid_union':
      return settingsMessage('invalid_condition');
    case 'unrecognized_keys':
      return settingsMessage('unknown_fields', { keys: issue.keys.join(', ') });
    case 'invalid_format':
      return settingsMessage('invalid_format');
    case 'not_multiple_of':
      return settingsMessage('multiple_of', { divisor: String(issue.divisor) });
    default:
      return settingsMessage('invalid_value');
  }
}
