/**
 * Card API answers for every state of every card: the local preview renders the
 * real components with them, and the component tests start from them. Names and
 * texts follow the seed article's example (an event lead followed up by Marketing,
 * heard by IS, handed to a field-sales rep).
 *
 * Times are fixed (T0) so screenshots and tests do not change from run to run.
 */
import type {
  ApiError,
  ApiResult,
  HandoffSummaryView,
  HandoffView,
  SettingsPreviewView,
  SettingsView,
  SlaView,
  TimelineItemView,
  TimelineView,
  ViewerPermissions,
} from '@tossup/shared/card-dto';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';

/** 2026-11-27 10:00 JST. */
export const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);
const H = 3_600_000;

export const PERMISSIONS: Record<'is' | 'rep' | 'marketing' | 'admin', ViewerPermissions> = {
  is: { canEditBant: true, canTossUp: true, canRespond: false, canEditSettings: false },
  rep: { canEditBant: false, canTossUp: false, canRespond: true, canEditSettings: false },
  marketing: { canEditBant: false, canTossUp: false, canRespond: false, canEditSettings: false },
  admin: { canEditBant: true, canTossUp: true, canRespond: false, canEditSettings: true },
};

export const PEOPLE = {
  is: { ownerId: '201', name: '佐藤 美咲' },
  rep: { ownerId: '301', name: '鈴木 健太' },
  marketing: { ownerId: '101', name: '高橋 彩' },
};

export function slaPending(now = T0): SlaView {
  return {
    firstTouch: { status: 'pending', dueAt: now + 20 * H, remainingMs: 20 * H, at: null },
    statusUpdate: { status: 'pending', dueAt: now + 44 * H, remainingMs: 44 * H },
    breached: false,
  };
}

export function slaBreached(now = T0): SlaView {
  return {
    firstTouch: { status: 'breached', dueAt: now - 3 * H, remainingMs: -3 * H, at: null },
    statusUpdate: { status: 'pending', dueAt: now + 21 * H, remainingMs: 21 * H },
    breached: true,
  };
}

export function summary(overrides: Partial<HandoffSummaryView> = {}): HandoffSummaryView {
  return {
    stage: 'sql',
    at: T0 - 4 * H,
    by: PEOPLE.is,
    to: PEOPLE.rep,
    reason: '来期のSFA刷新を検討中。部長同席の打合せを調整中。',
    bant: [
      { item: 'budget', checked: false, note: '' },
      { item: 'authority', checked: true, note: '情報システム部長が決裁' },
      { item: 'need', checked: true, note: '問い合わせ対応の工数削減' },
      { item: 'timeline', checked: true, note: '3ヶ月以内に比較検討' },
    ],
    rejectReason: null,
    ...overrides,
  };
}

/** The sidebar card's answer; the default is "gate blocked" for an IS viewer. */
export function handoffView(overrides: Partial<HandoffView> = {}): HandoffView {
  return {
    contact: { id: '5001', name: '山田 太郎', stage: 'mql', lifecycleStage: 'marketingqualifiedlead' },
    score: {
      total: 75,
      behavior: 60,
      attribute: 15,
      lines: [
        { rule: 'emailOpen', label_ja: 'メール開封', label_en: 'Email opens', count: 4, points: 20 },
        { rule: 'download', label_ja: '資料ダウンロード', label_en: 'Document downloads', count: 2, points: 20 },
        { rule: 'seminarAttended', label_ja: 'セミナー参加', label_en: 'Seminars attended', count: 1, points: 20 },
        { rule: 'seniority', label_ja: '部長職以上（部長）', label_en: 'Manager level or above (部長)', count: 1, points: 10 },
        { rule: 'companySize', label_ja: '従業員規模（1200）', label_en: 'Company size (1200)', count: 1, points: 5 },
      ],
    },
    mql: { isMql: true, threshold: 70, gap: 0 },
    bant: [
      { item: 'budget', checked: false, note: '' },
      { item: 'authority', checked: false, note: '' },
      { item: 'need', checked: true, note: '問い合わせ対応の工数削減' },
      { item: 'timeline', checked: false, note: '' },
    ],
    bantCount: 1,
    reason: '',
    gate: {
      passed: false,
      missing: [
        { code: 'sql_rule', label_ja: 'SQL条件を満たしていません: BANT: 導入時期確認済', label_en: 'SQL rule not met: BANT: timeline confirmed' },
        { code: 'bant_count', label_ja: 'BANTが2項目以上必要です（確認済 1項目）', label_en: 'At least 2 BANT items required (1 confirmed)' },
        { code: 'handoff_reason', label_ja: 'トスアップ理由（商談化の可能性・理由）が未記入です', label_en: 'The hand-off reason is empty' },
      ],
    },
    handedOff: false,
    summary: null,
    sla: null,
    permissions: PERMISSIONS.is,
    viewer: { userId: '9201', ownerId: '201', departments: ['inside_sales'], superAdmin: false },
    now: T0,
    ...overrides,
  };
}

export function gatePassedView(): HandoffView {
  return handoffView({
    bant: [
      { item: 'budget', checked: false, note: '' },
      { item: 'authority', checked: true, note: '情報システム部長が決裁' },
      { item: 'need', checked: true, note: '問い合わせ対応の工数削減' },
      { item: 'timeline', checked: true, note: '3ヶ月以内に比較検討' },
    ],
    bantCount: 3,
    reason: '来期のSFA刷新を検討中。部長同席の打合せを調整中。',
    gate: { passed: true, missing: [] },
  });
}

export function handedOffView(): HandoffView {
  const passed = gatePassedView();
  return { ...passed, contact: { ...passed.contact, stage: 'sql', lifecycleStage: 'salesqualifiedlead' }, handedOff: true, summary: summary(), sla: slaPending() };
}

export function slaBreachedHandoffView(): HandoffView {
  return { ...handedOffView(), sla: slaBreached() };
}

export function notAuthorisedHandoffView(): HandoffView {
  return handoffView({ permissions: PERMISSIONS.marketing, viewer: { userId: '9101', ownerId: '101', departments: ['marketing'], superAdmin: false } });
}

export function timelineItems(): TimelineItemView[] {
  return [
    { id: 'log:handoff:5001:c0', kind: 'handoff', department: 'inside_sales', actor: PEOPLE.is, at: T0 - 4 * H, title: `→ ${PEOPLE.rep.name}` },
    { id: 'call:7001', kind: 'call', department: 'inside_sales', actor: PEOPLE.is, at: T0 - 6 * H, title: '初回ヒアリング（課題と導入時期を確認）' },
    { id: 'email:7002', kind: 'email', department: 'sales', actor: PEOPLE.rep, at: T0 - 30 * H, title: '別商材のご案内' },
    { id: 'email_open:7003', kind: 'email_open', department: 'marketing', actor: null, at: T0 - 50 * H, title: '展示会フォローメール' },
    { id: 'form_submission:7004', kind: 'form_submission', department: 'marketing', actor: null, at: T0 - 70 * H, title: '資料ダウンロード: 導入事例集' },
    { id: 'event:7005', kind: 'event', department: 'marketing', actor: null, at: T0 - 200 * H, title: 'DXセミナー2026' },
  ];
}

export function timelineView(overrides: Partial<TimelineView> = {}): TimelineView {
  const items = timelineItems();
  return {
    items,
    page: 1,
    pageCount: 2,
    pageSize: 20,
    total: 26,
    department: 'all',
    overlaps: [{ departments: ['inside_sales', 'sales'], firstAt: T0 - 30 * H, secondAt: T0 - 6 * H, windowHours: 72 }],
    contactId: '5001',
    summary: summary(),
    sla: slaPending(),
    permissions: PERMISSIONS.rep,
    viewer: { userId: '9301', ownerId: '301', departments: ['sales'], superAdmin: false },
    rejectReasons: DEFAULT_SETTINGS.recycle.reasons.map((r) => ({ code: r.code, label_ja: r.ja, label_en: r.en })),
    now: T0,
    ...overrides,
  };
}

export function settingsView(overrides: Partial<SettingsView<PortalSettings>> = {}): SettingsView<PortalSettings> {
  return {
    settings: structuredClone(DEFAULT_SETTINGS),
    version: T0 - 48 * H,
    updatedAt: T0 - 48 * H,
    warnings: [
      {
        code: 'no_escalation_owner',
        message_ja: 'チーム「フィールドセールス部」のエスカレーション先が未設定です。SLA超過はその担当者本人に通知されます',
        message_en: 'Team "フィールドセールス部" has no escalation owner; SLA breaches go to the rep themself',
      },
    ],
    teams: [
      { id: '11', name: 'マーケティング部' },
      { id: '12', name: 'インサイドセールス部' },
      { id: '13', name: 'フィールドセールス部' },
    ],
    owners: [PEOPLE.marketing, PEOPLE.is, PEOPLE.rep, { ownerId: '401', name: '田中 部長' }],
    canEdit: true,
    ...overrides,
  };
}

export function previewResult(): SettingsPreviewView {
  return {
    evaluated: 200,
    changed: 12,
    truncated: true,
    transitions: [
      { from: 'new', to: 'mql', count: 9 },
      { from: 'mql', to: 'sql', count: 3 },
    ],
    warnings: settingsView().warnings,
  };
}

export const LOAD_ERROR: ApiError = {
  code: 'internal_error',
  message_ja: '内部エラーが発生しました。時間をおいて再試行してください。',
  message_en: 'An internal error occurred; try again in a moment.',
};

export const FORBIDDEN: ApiError = {
  code: 'forbidden',
  message_ja: '設定の変更とプレビューはスーパー管理者のみ行えます。',
  message_en: 'Only super admins can change or preview settings.',
};

export const NOT_FOUND: ApiError = {
  code: 'not_found',
  message_ja: 'コンタクト 5001 が見つかりません。',
  message_en: 'Contact 5001 was not found.',
};

export const okResult = <T,>(data: T): ApiResult<T> => ({ ok: true, data });
export const errResult = (error: ApiError): ApiResult<never> => ({ ok: false, error });
