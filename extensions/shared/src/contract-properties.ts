/**
 * The HubSpot contact properties of the external contract (docs/product.md, "HubSpot
 * properties"), in property group `tossup`. Created at install (OAuth callback);
 * read by native reports, lists and workflows. Shared by backend and UI.
 *
 * Property create API: https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
import { DEFAULT_REJECT_REASONS } from './reject-reasons';

export const PROPERTY_GROUP = { name: 'tossup', label: 'tossup（トスアップ）', displayOrder: -1 } as const;

export type ContractPropertyType = 'number' | 'string' | 'datetime' | 'bool' | 'enumeration';

/** The language property labels are created in: the portal's (settings `portalLanguage`). */
export type PropertyLanguage = 'ja' | 'en';

/** One contract property as HubSpot receives it: labels in one language. */
export interface ContractProperty {
  name: string;
  label: string;
  description: string;
  type: ContractPropertyType;
  fieldType: 'number' | 'textarea' | 'text' | 'date' | 'booleancheckbox' | 'select';
  options?: { label: string; value: string }[];
  /** Owner properties: enumeration referencing OWNER with external options. */
  referencedObjectType?: 'OWNER';
  externalOptions?: boolean;
}

/** [ja, en]: every label and description exists in both languages; a portal gets one. */
type Words = readonly [ja: string, en: string];

interface PropertyDefinition extends Omit<ContractProperty, 'label' | 'description' | 'options'> {
  label: Words;
  description: Words;
  options?: { label: Words; value: string }[];
}

const number = (name: string, label: Words, description: Words): PropertyDefinition => ({ name, label, description, type: 'number', fieldType: 'number' });
const text = (name: string, label: Words, description: Words): PropertyDefinition => ({ name, label, description, type: 'string', fieldType: 'textarea' });
const datetime = (name: string, label: Words, description: Words): PropertyDefinition => ({ name, label, description, type: 'datetime', fieldType: 'date' });
const bool = (name: string, label: Words, description: Words): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'bool',
  fieldType: 'booleancheckbox',
  options: [
    { label: ['はい', 'Yes'], value: 'true' },
    { label: ['いいえ', 'No'], value: 'false' },
  ],
});
const enumeration = (name: string, label: Words, description: Words, options: [string, Words][]): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'select',
  options: options.map(([value, l]) => ({ value, label: l })),
});
const owner = (name: string, label: Words, description: Words): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'select',
  referencedObjectType: 'OWNER',
  externalOptions: true,
});

export const TOSSUP_STAGES = ['new', 'mql', 'sql', 'accepted', 'rejected', 'recycled'] as const;
export const SLA_STATUSES = ['pending', 'met', 'breached'] as const;
export const HANDOFF_SOURCES = ['card', 'crm', 'workflow', 'import', 'integration', 'automatic'] as const;
export type HandoffSource = (typeof HANDOFF_SOURCES)[number];
const HANDOFF_SOURCE_LABELS: Record<HandoffSource, Words> = {
  card: ['カードのボタン', 'Card button'],
  crm: ['CRMでの変更', 'CRM edit'],
  workflow: ['ワークフロー', 'Workflow'],
  import: ['インポート', 'Import'],
  integration: ['連携アプリ', 'Integration'],
  automatic: ['自動', 'Automatic'],
};
/** `tossup_mql_rule` when the app's own MQL rule (settings.rules.mql) fired. */
export const MQL_RULE_SETTINGS = 'settings_rule';

const SLA_OPTIONS: [string, Words][] = [
  ['pending', ['対応待ち', 'Pending']],
  ['met', ['達成', 'Met']],
  ['breached', ['超過', 'Breached']],
];

const CONTACT_DEFINITIONS: readonly PropertyDefinition[] = [
  number('tossup_score', ['スコア合計', 'Score'], ['行動スコアと属性スコアの合計', 'Behaviour + attribute score']),
  number('tossup_score_behavior', ['行動スコア', 'Behaviour score'], ['メール開封・資料ダウンロード・セミナー参加による点数', 'Points from email opens, downloads, seminars']),
  number('tossup_score_attribute', ['属性スコア', 'Attribute score'], ['役職・企業規模・業界による点数', 'Points from job title, company size, industry']),
  text('tossup_score_breakdown', ['スコア内訳', 'Score breakdown'], ['加点したルールごとに1行', 'One line per rule that scored']),
  enumeration('tossup_stage', ['トスアップ段階', 'Hand-off stage'], ['リードが引き渡しのどの段階にいるか', 'Where the lead is in the hand-off'], [
    ['new', ['新規', 'New']],
    ['mql', ['MQL', 'MQL']],
    ['sql', ['SQL（トスアップ済）', 'SQL (handed off)']],
    ['accepted', ['営業受入', 'Accepted']],
    ['rejected', ['営業差戻し', 'Rejected']],
    ['recycled', ['リサイクル', 'Recycled']],
  ]),
  datetime('tossup_mql_at', ['MQL認定日時', 'Became MQL at'], ['MQLになった日時', 'When the lead became MQL']),
  datetime('tossup_sql_at', ['トスアップ日時', 'Handed off at'], ['営業に引き渡した日時', 'When the lead was handed off to Sales']),
  bool('tossup_bant_budget', ['BANT: 予算', 'BANT: Budget'], ['予算を確認済み', 'Budget confirmed']),
  bool('tossup_bant_authority', ['BANT: 決裁者', 'BANT: Authority'], ['決裁者を確認済み', 'Decision maker identified']),
  bool('tossup_bant_need', ['BANT: ニーズ', 'BANT: Need'], ['課題・ニーズを確認済み', 'Need confirmed']),
  bool('tossup_bant_timeline', ['BANT: 検討時期', 'BANT: Timeline'], ['検討時期を確認済み', 'Timeline confirmed']),
  number('tossup_bant_count', ['BANT確認数', 'BANT count'], ['確認済みのBANT項目数（0〜4）', 'BANT items confirmed (0-4)']),
  text('tossup_bant_notes', ['BANTメモ', 'BANT notes'], ['インサイドセールスが項目ごとに聞いた内容', 'What IS heard, per item']),
  text('tossup_handoff_reason', ['トスアップ理由', 'Hand-off reason'], ['商談化の可能性・理由', 'Why this lead should become a deal']),
  owner('tossup_handoff_by', ['トスアップ担当(IS)', 'Handed off by'], ['トスアップしたインサイドセールス（自動の場合は空欄）', 'IS rep who tossed (empty when automatic)']),
  owner('tossup_handoff_to', ['受け手(営業)', 'Handed off to'], ['引き継いだ営業担当者', 'Sales rep who received']),
  datetime('tossup_first_touch_due_at', ['初回接触期限', 'First touch due'], ['初回接触のSLA期限', 'SLA deadline for the first touch']),
  datetime('tossup_first_touch_at', ['初回接触日時', 'First touch at'], ['実際に初回接触した日時', 'Actual first touch']),
  number('tossup_first_touch_hours', ['初回接触までの時間(h)', 'Hours to first touch'], ['トスアップから初回接触までの時間', 'Hours from hand-off to first touch']),
  enumeration('tossup_sla_first_touch', ['SLA: 初回接触', 'SLA: first touch'], ['初回接触SLAの結果', 'First-touch SLA result'], SLA_OPTIONS),
  enumeration('tossup_sla_status_update', ['SLA: ステータス更新', 'SLA: status update'], ['ステータス更新SLAの結果', 'Status-update SLA result'], SLA_OPTIONS),
  datetime('tossup_status_update_due_at', ['ステータス更新期限', 'Status update due'], ['ステータス更新のSLA期限', 'Status-update deadline']),
  text('tossup_reject_reason', ['差戻し理由', 'Reject reason'], ['営業が差し戻した理由', 'Why Sales rejected']),
  enumeration(
    'tossup_handoff_source',
    ['トスアップ経路', 'Hand-off source'],
    ['トスアップのきっかけ', 'How the hand-off was triggered'],
    HANDOFF_SOURCES.map((v) => [v, HANDOFF_SOURCE_LABELS[v]]),
  ),
  number('tossup_handoff_count', ['トスアップ回数', 'Hand-off count'], ['このコンタクトのこれまでのトスアップ回数（リサイクル後に戻ることがあります）', 'Hand-offs of this contact so far (recycled leads can come back)']),
  enumeration('tossup_mql_rule', ['MQL認定ルール', 'MQL rule'], ['どのルールでMQLになったか（トスアップ時に記録＝トスアップの時点で記録したもの）', 'Which rule made it MQL (handoff = recorded at the hand-off)'], [
    ['handoff', ['トスアップ時に記録', 'Recorded at hand-off']],
    [MQL_RULE_SETTINGS, ['MQL条件（設定）', 'MQL rule (settings)']],
  ]),
  // The options are the default reason list (settings-defaults.ts): HubSpot rejects a value that is not an option.
  enumeration(
    'tossup_reject_reason_code',
    ['差戻し理由コード', 'Reject reason code'],
    ['集計用の差戻し理由', 'The reject reason as a groupable value'],
    DEFAULT_REJECT_REASONS.map((r) => [r.code, [r.ja, r.en]]),
  ),
  datetime('tossup_accepted_at', ['営業受入日時', 'Accepted at'], ['営業が受け入れた日時', 'When Sales accepted the hand-off']),
  datetime('tossup_rejected_at', ['営業差戻し日時', 'Rejected at'], ['営業が差し戻した日時', 'When Sales rejected the hand-off']),
  datetime('tossup_status_updated_at', ['ステータス更新日時', 'Status updated at'], ['トスアップ後、最初にステータスを更新した日時', 'First status update after the hand-off']),
  number('tossup_status_update_hours', ['ステータス更新までの時間(h)', 'Hours to status update'], ['トスアップから最初のステータス更新までの時間', 'Hours from hand-off to the first status update']),
  datetime('tossup_escalated_at', ['エスカレーション日時', 'Escalated at'], ['今回のトスアップで最初にエスカレーションした日時', 'First escalation of the current hand-off']),
  owner('tossup_escalated_to', ['エスカレーション先', 'Escalated to'], ['最初のエスカレーションを受けた人', 'Who received the first escalation']),
  bool('tossup_deal_created', ['商談化', 'Deal created'], ['トスアップ後にこのコンタクトの取引が作成された', 'A deal associated with the contact was created after the hand-off']),
  datetime('tossup_deal_created_at', ['商談作成日時', 'Deal created at'], ['最初の取引が作成された日時', 'When the first such deal was created']),
];

/**
 * Deal properties (group `tossup` on deals), copied from the contact whose hand-off
 * led to the deal so deal and revenue reports attribute to the hand-off.
 */
const DEAL_DEFINITIONS: readonly PropertyDefinition[] = [
  datetime('tossup_handoff_at', ['トスアップ日時', 'Handed off at'], ['この取引につながったコンタクトのトスアップ日時', 'Hand-off time of the contact that led to this deal']),
  owner('tossup_handoff_by', ['トスアップ担当(IS)', 'Handed off by'], ['そのコンタクトをトスアップした人', 'Who handed the contact off']),
  owner('tossup_handoff_to', ['受け手(営業)', 'Handed off to'], ['そのコンタクトを引き継いだ営業担当者', 'Sales rep who received the contact']),
  datetime('tossup_mql_at', ['MQL認定日時', 'Became MQL at'], ['そのコンタクトがMQLになった日時', 'When the contact became MQL']),
];

function inLanguage(definitions: readonly PropertyDefinition[], language: PropertyLanguage): ContractProperty[] {
  const i = language === 'en' ? 1 : 0;
  return definitions.map(({ label, description, options, ...rest }) => ({
    ...rest,
    label: label[i],
    description: description[i],
    ...(options ? { options: options.map((o) => ({ value: o.value, label: o.label[i] })) } : {}),
  }));
}

/**
 * The contact properties, labelled in one language: HubSpot shows a property's label
 * and option labels to everyone in the portal, so they follow the portal's language
 * (settings `portalLanguage`, default 日本語) like every other text tossup writes.
 */
export function contractProperties(language: PropertyLanguage): ContractProperty[] {
  return inLanguage(CONTACT_DEFINITIONS, language);
}

export function dealContractProperties(language: PropertyLanguage): ContractProperty[] {
  return inLanguage(DEAL_DEFINITIONS, language);
}

/** The contact properties in the default portal language (日本語). */
export const CONTRACT_PROPERTIES: readonly ContractProperty[] = contractProperties('ja');

export const DEAL_CONTRACT_PROPERTIES: readonly ContractProperty[] = dealContractProperties('ja');

export const DEAL_CONTRACT_PROPERTY_NAMES: readonly string[] = DEAL_CONTRACT_PROPERTIES.map((p) => p.name);

export const CONTRACT_PROPERTY_NAMES: readonly string[] = CONTRACT_PROPERTIES.map((p) => p.name);
