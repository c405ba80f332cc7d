/**
 * The settings a portal runs on until an admin saves its own: the examples of the
 * article tossup is built from (行動スコア、属性スコア、MQL/SQL条件、品質基準、SLA),
 * quoted in the comments next to each value.
 */
import { DEFAULT_REJECT_REASONS } from './reject-reasons';
import type { BooleanFact } from './rule-labels';
import { SETTINGS_VERSION, type PortalSettings, type RuleExpr } from './portal-settings-schema';

const flag = (fact: BooleanFact): RuleExpr => ({ type: 'flag', fact });

export const DEFAULT_SETTINGS: PortalSettings = {
  version: SETTINGS_VERSION,
  scoring: {
    behavior: {
      // 行動スコア: メール開封 +5点、資料ダウンロード +10点、セミナー参加 +20点
      emailOpen: { enabled: true, points: 5, cap: null, decayHalfLifeDays: null },
      download: { enabled: true, points: 10, cap: null, decayHalfLifeDays: null },
      seminarAttended: { enabled: true, points: 20, cap: null, decayHalfLifeDays: null },
      seminarRegistered: { enabled: false, points: 0, cap: null, decayHalfLifeDays: null },
    },
    attribute: {
      // 属性スコア: 部長職以上 +10点、従業員500名以上 +5点、対象業界 +10点
      seniority: {
        enabled: true,
        points: 10,
        words: [
          '部長', '本部長', '事業部長', '執行役員', '取締役', '役員', '社長',
          'CEO', 'CFO', 'COO', 'CTO', 'CMO', 'CIO', 'CISO', 'CHRO', 'CDO', 'CRO', 'CPO', 'CxO',
          'VP', 'Vice President', 'Director', 'Head of', 'President', 'Chief',
        ],
      },
      companySize: { enabled: true, points: 5, minEmployees: 500 },
      targetIndustry: { enabled: true, points: 10, industries: [] },
    },
  },
  forms: {
    patterns: {
      inquiry: ['問い合わせ', 'お問合せ', '問合せ', 'contact', 'inquiry'],
      survey: ['アンケート', 'survey'],
      download: ['資料', 'ダウンロード', 'download', 'whitepaper', 'カタログ'],
      seminar: ['セミナー', 'ウェビナー', 'webinar', 'seminar'],
    },
    overrides: [],
  },
  rules: {
    // 「スコア合計70点以上かつ問い合わせフォーム送信済」または「セミナー参加済かつISのヒアリングで課題あり」
    mql: {
      type: 'or',
      of: [
        { type: 'and', of: [{ type: 'compare', fact: 'score', op: 'gte', value: 70 }, flag('inquiry_submitted')] },
        { type: 'and', of: [flag('seminar_attended'), flag('bant_need')] },
      ],
    },
    // 「インサイドセールスが課題と検討時期を確認済み」であればSQL
    sql: { type: 'and', of: [flag('bant_need'), flag('bant_timeline')] },
  },
  // 品質基準: BANT 2項目以上 / 直近の接触日 / 商談化の理由
  gate: {
    rule: {
      type: 'and',
      of: [{ type: 'compare', fact: 'bant_count', op: 'gte', value: 2 }, flag('last_contacted_recorded'), flag('handoff_reason_present')],
    },
  },
  automaticHandoff: true,
  portalLanguage: 'ja',
  // 「対応の重複」: the same lead contacted by two departments within three days.
  overlapWindowHours: 72,
  departments: {
    teamMap: {},
    namePatterns: {
      inside_sales: ['インサイドセールス', 'inside sales', 'IS', 'SDR', 'BDR'],
      marketing: ['マーケティング', 'marketing'],
      sales: ['フィールドセールス', '営業', 'セールス', 'sales', 'AE'],
    },
  },
  // Issue 17: no rules, pools or caps = today's routing (company owner in Sales, else round-robin over Sales).
  routing: {
    preferCompanyOwner: true,
    whenOwnerUnavailable: 'route_to_pool',
    rules: [],
    pools: [],
    capacityPerRep: null,
    respectAvailability: true,
    managerOwnerIds: [],
    includeOwnerIds: [],
    fallbackOwnerId: null,
    reassignAfterHours: null,
  },
  // SLA: 24時間以内に初回接触、48時間以内にステータス更新
  sla: {
    firstTouchHours: 24,
    statusUpdateHours: 48,
    mqlFollowUpHours: 24,
    remindersBeforeHours: [2],
    calendar: {
      mode: 'wall_clock',
      business: {
        timeZone: 'Asia/Tokyo',
        workStart: '09:00',
        workEnd: '18:00',
        workDays: [1, 2, 3, 4, 5],
        japaneseHolidays: true,
        closedDates: [],
      },
    },
  },
  escalation: { ownersByTeam: {} },
  recycle: {
    coolOffDays: 30,
    destination: 'inside_sales',
    reasons: DEFAULT_REJECT_REASONS.map((r) => ({ ...r })),
  },
};
