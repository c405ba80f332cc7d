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

const number = (name: string, label: string, description: string): ContractProperty => ({ name, label, description, type: 'number', fieldType: 'number' });
const text = (name: string, label: string, description: string): ContractProperty => ({ name, label, description, type: 'string', fieldType: 'textarea' });
const datetime = (name: string, label: string, description: string): ContractProperty => ({ name, label, description, type: 'datetime', fieldType: 'date' });
const bool = (name: string, label: string, description: string): ContractProperty => ({
  name,
  label,
  description,
  type: 'bool',
  fieldType: 'booleancheckbox',
  options: [
    { label: 'はい / Yes', value: 'true' },
    { label: 'いいえ / No', value: 'false' },
  ],
});
const enumeration = (name: string, label: string, description: string, options: [string, string][]): ContractProperty => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'select',
  options: options.map(([value, l]) => ({ value, label: l })),
});
const owner = (name: string, label: string, description: string): ContractProperty => ({
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
const HANDOFF_SOURCE_LABELS: Record<HandoffSource, string> = {
  card: 'カードのボタン / Card button',
  crm: 'CRMでの変更 / CRM edit',
  workflow: 'ワークフロー / Workflow',
  import: 'インポート / Import',
  integration: '連携アプリ / Integration',
  automatic: '自動 / Automatic',
};
/** `tossup_mql_rule` when the app's own MQL rule (settings.rules.mql) fired. */
export const MQL_RULE_SETTINGS = 'settings_rule';

export const CONTRACT_PROPERTIES: readonly ContractProperty[] = [
  number('tossup_score', 'スコア合計 / Score', 'Behaviour + attribute score'),
  number('tossup_score_behavior', '行動スコア / Behaviour score', 'Points from email opens, downloads, seminars'),
  number('tossup_score_attribute', '属性スコア / Attribute score', 'Points from job title, company size, industry'),
  text('tossup_score_breakdown', 'スコア内訳 / Score breakdown', 'One line per rule that scored'),
  enumeration('tossup_stage', 'トスアップ段階 / Hand-off stage', 'Where the lead is in the hand-off', [
    ['new', '新規 / New'],
    ['mql', 'MQL'],
    ['sql', 'SQL（トスアップ済） / SQL (handed off)'],
    ['accepted', '営業受入 / Accepted'],
    ['rejected', '営業差戻し / Rejected'],
    ['recycled', 'リサイクル / Recycled'],
  ]),
  datetime('tossup_mql_at', 'MQL認定日時 / Became MQL at', 'When the lead became MQL'),
  datetime('tossup_sql_at', 'トスアップ日時 / Handed off at', 'When the lead was handed off to Sales'),
  bool('tossup_bant_budget', 'BANT: 予算 / Budget', 'Budget confirmed'),
  bool('tossup_bant_authority', 'BANT: 決裁者 / Authority', 'Decision maker identified'),
  bool('tossup_bant_need', 'BANT: ニーズ / Need', 'Need confirmed'),
  bool('tossup_bant_timeline', 'BANT: 検討時期 / Timeline', 'Timeline confirmed'),
  number('tossup_bant_count', 'BANT確認数 / BANT count', '0-4'),
  text('tossup_bant_notes', 'BANTメモ / BANT notes', 'What IS heard, per item'),
  text('tossup_handoff_reason', 'トスアップ理由 / Hand-off reason', 'Why this lead should become a deal'),
  owner('tossup_handoff_by', 'トスアップ担当(IS) / Handed off by', 'IS rep who tossed (empty when automatic)'),
  owner('tossup_handoff_to', '受け手(営業) / Handed off to', 'Sales rep who received'),
  datetime('tossup_first_touch_due_at', '初回接触期限 / First touch due', 'SLA deadline for the first touch'),
  datetime('tossup_first_touch_at', '初回接触日時 / First touch at', 'Actual first touch'),
  number('tossup_first_touch_hours', '初回接触までの時間(h) / Hours to first touch', 'Hours from hand-off to first touch'),
  enumeration('tossup_sla_first_touch', 'SLA: 初回接触 / SLA first touch', 'First-touch SLA result', [
    ['pending', '対応待ち / Pending'],
    ['met', '達成 / Met'],
    ['breached', '超過 / Breached'],
  ]),
  enumeration('tossup_sla_status_update', 'SLA: ステータス更新 / SLA status update', 'Status-update SLA result', [
    ['pending', '対応待ち / Pending'],
    ['met', '達成 / Met'],
    ['breached', '超過 / Breached'],
  ]),
  datetime('tossup_status_update_due_at', 'ステータス更新期限 / Status update due', 'Status-update deadline'),
  text('tossup_reject_reason', '差戻し理由 / Reject reason', 'Why Sales rejected'),
  enumeration('tossup_handoff_source', 'トスアップ経路 / Hand-off source', 'How the hand-off was triggered', HANDOFF_SOURCES.map((v) => [v, HANDOFF_SOURCE_LABELS[v]])),
  number('tossup_handoff_count', 'トスアップ回数 / Hand-off count', 'Hand-offs of this contact so far (recycled leads can come back)'),
  enumeration('tossup_mql_rule', 'MQL認定ルール / MQL rule', 'Which rule made it MQL (handoff = recorded at the hand-off)', [
    ['handoff', 'トスアップ時に記録 / Recorded at hand-off'],
    [MQL_RULE_SETTINGS, 'MQL条件（設定） / MQL rule (settings)'],
  ]),
  // The options are the default reason list (settings-defaults.ts): HubSpot rejects a value that is not an option.
  enumeration('tossup_reject_reason_code', '差戻し理由コード / Reject reason code', 'The reject reason as a groupable value', DEFAULT_REJECT_REASONS.map((r) => [r.code, `${r.ja} / ${r.en}`])),
  datetime('tossup_accepted_at', '営業受入日時 / Accepted at', 'When Sales accepted the hand-off'),
  datetime('tossup_rejected_at', '営業差戻し日時 / Rejected at', 'When Sales rejected the hand-off'),
  datetime('tossup_status_updated_at', 'ステータス更新日時 / Status updated at', 'First status update after the hand-off'),
  number('tossup_status_update_hours', 'ステータス更新までの時間(h) / Hours to status update', 'Hours from hand-off to the first status update'),
  datetime('tossup_escalated_at', 'エスカレーション日時 / Escalated at', 'First escalation of the current hand-off'),
  owner('tossup_escalated_to', 'エスカレーション先 / Escalated to', 'Who received the first escalation'),
  bool('tossup_deal_created', '商談化 / Deal created', 'A deal associated with the contact was created after the hand-off'),
  datetime('tossup_deal_created_at', '商談作成日時 / Deal created at', 'When the first such deal was created'),
];

/**
 * Deal properties (group `tossup` on deals), copied from the contact whose hand-off
 * led to the deal so deal and revenue reports attribute to the hand-off.
 */
export const DEAL_CONTRACT_PROPERTIES: readonly ContractProperty[] = [
  datetime('tossup_handoff_at', 'トスアップ日時 / Handed off at', 'Hand-off time of the contact that led to this deal'),
  owner('tossup_handoff_by', 'トスアップ担当(IS) / Handed off by', 'Who handed the contact off'),
  owner('tossup_handoff_to', '受け手(営業) / Handed off to', 'Sales rep who received the contact'),
  datetime('tossup_mql_at', 'MQL認定日時 / Became MQL at', 'When the contact became MQL'),
];

export const DEAL_CONTRACT_PROPERTY_NAMES: readonly string[] = DEAL_CONTRACT_PROPERTIES.map((p) => p.name);

export const CONTRACT_PROPERTY_NAMES: readonly string[] = CONTRACT_PROPERTIES.map((p) => p.name);
