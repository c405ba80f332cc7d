/**
 * Per-portal settings of tossup: one versioned document, validated by one zod
 * schema, used by the settings page (form validation, preview), the card API (save)
 * and the engine (app/src/domain). Browser-safe: imports only zod and sibling files.
 *
 * Defaults reproduce the examples of the article (../../../shared/seed/tossup-article-ja.txt)
 * and product.md "The flow" §2–§8. Every user-facing message is Japanese first, then English.
 */
import { z } from 'zod';
import { BOOLEAN_FACTS, NUMERIC_FACTS, type BooleanFact, type NumericFact } from './rule-labels';

export const SETTINGS_VERSION = 1 as const;

export const DEPARTMENTS = ['inside_sales', 'marketing', 'sales'] as const;
export type SettingsDepartment = (typeof DEPARTMENTS)[number];

export const FORM_CATEGORIES = ['inquiry', 'survey', 'download', 'seminar'] as const;
export type FormCategory = (typeof FORM_CATEGORIES)[number];

// ---------------------------------------------------------------------------
// Rule expressions: a small declarative tree (AND / OR / NOT over named
// conditions with thresholds). It is interpreted, never eval'd, and bounded in
// size so a saved rule can never make evaluation expensive.
// ---------------------------------------------------------------------------

export type Comparator = 'gte' | 'gt' | 'lte' | 'lt' | 'eq';

export type RuleExpr =
  | { type: 'and'; of: RuleExpr[] }
  | { type: 'or'; of: RuleExpr[] }
  | { type: 'not'; of: RuleExpr }
  | { type: 'flag'; fact: BooleanFact }
  | { type: 'compare'; fact: NumericFact; op: Comparator; value: number };

export const RULE_MAX_DEPTH = 6;
export const RULE_MAX_NODES = 40;

const ruleExprSchema: z.ZodType<RuleExpr> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('and'), of: z.array(ruleExprSchema).min(1).max(10) }).strict(),
    z.object({ type: z.literal('or'), of: z.array(ruleExprSchema).min(1).max(10) }).strict(),
    z.object({ type: z.literal('not'), of: ruleExprSchema }).strict(),
    z.object({ type: z.literal('flag'), fact: z.enum(BOOLEAN_FACTS) }).strict(),
    z
      .object({
        type: z.literal('compare'),
        fact: z.enum(NUMERIC_FACTS),
        op: z.enum(['gte', 'gt', 'lte', 'lt', 'eq']),
        value: z.number().finite().min(-100000).max(100000),
      })
      .strict(),
  ]),
);

function ruleSize(expr: RuleExpr, depth = 1): { nodes: number; depth: number } {
  if (expr.type === 'and' || expr.type === 'or') {
    return expr.of.reduce(
      (acc, child) => {
        const s = ruleSize(child, depth + 1);
        return { nodes: acc.nodes + s.nodes, depth: Math.max(acc.depth, s.depth) };
      },
      { nodes: 1, depth },
    );
  }
  if (expr.type === 'not') {
    const s = ruleSize(expr.of, depth + 1);
    return { nodes: s.nodes + 1, depth: s.depth };
  }
  return { nodes: 1, depth };
}

const boundedRule = ruleExprSchema.superRefine((expr, ctx) => {
  const size = ruleSize(expr);
  if (size.depth > RULE_MAX_DEPTH || size.nodes > RULE_MAX_NODES) {
    ctx.addIssue({
      code: 'custom',
      message: `条件式が大きすぎます（入れ子は${RULE_MAX_DEPTH}段、条件は${RULE_MAX_NODES}個まで）。条件をまとめてください / The rule is too large (at most ${RULE_MAX_DEPTH} levels and ${RULE_MAX_NODES} conditions); simplify it`,
    });
  }
});

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

const word = z.string().trim().min(1).max(100);
const wordList = z.array(word).max(200);
const points = z.number().int().min(-1000).max(1000);
const optionalCap = z.number().int().min(0).max(100000).nullable();
const ownerId = z.string().regex(/^\d+$/, { message: 'オーナーIDは数字です / An owner id is a number' });
const teamId = z.string().regex(/^\d+$/, { message: 'チームIDは数字です / A team id is a number' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: '時刻は HH:MM（例 09:00）で入力してください / Enter a time as HH:MM (e.g. 09:00)' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日付は YYYY-MM-DD で入力してください / Enter a date as YYYY-MM-DD' });

const behaviorRule = z
  .object({
    enabled: z.boolean(),
    /** Points per occurrence. */
    points,
    /** Maximum points this rule can contribute; null = no cap. */
    cap: optionalCap,
    /** Half-life in days: an occurrence this old counts half; null = no decay. */
    decayHalfLifeDays: z.number().positive().max(3650).nullable(),
  })
  .strict();

const timeZoneName = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'タイムゾーンが不正です（例 Asia/Tokyo） / Unknown time zone (e.g. Asia/Tokyo)' },
);

export const businessCalendarSchema = z
  .object({
    /** IANA time zone of the working hours. */
    timeZone: timeZoneName,
    workStart: hhmm,
    workEnd: hhmm,
    /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
    workDays: z.array(z.number().int().min(1).max(7)).min(1, { message: '営業日を1日以上選んでください / Choose at least one working day' }).max(7),
    /** Close on Japanese national holidays (内閣府「国民の祝日」, via @holiday-jp/holiday_jp). */
    japaneseHolidays: z.boolean(),
    /** Extra closed dates (company holidays, 年末年始), local dates in timeZone. */
    closedDates: z.array(isoDate).max(366),
  })
  .strict()
  .refine((c) => c.workStart < c.workEnd, {
    message: '終業時刻は始業時刻より後にしてください / The end of the working day must be after its start',
    path: ['workEnd'],
  });
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

export const portalSettingsSchema = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    scoring: z
      .object({
        behavior: z
          .object({
            emailOpen: behaviorRule,
            download: behaviorRule,
            seminarAttended: behaviorRule,
            /** A form classified "seminar" is a registration, not attendance: 0 points by default. */
            seminarRegistered: behaviorRule,
          })
          .strict(),
        attribute: z
          .object({
            seniority: z.object({ enabled: z.boolean(), points, words: wordList.min(1) }).strict(),
            companySize: z.object({ enabled: z.boolean(), points, minEmployees: z.number().int().min(1).max(10_000_000) }).strict(),
            targetIndustry: z.object({ enabled: z.boolean(), points, industries: wordList }).strict(),
          })
          .strict(),
      })
      .strict(),
    forms: z
      .object({
        /** Words matched (case-insensitively) in the form title; first category that matches, in FORM_CATEGORIES order, wins. */
        patterns: z.object({ inquiry: wordList, survey: wordList, download: wordList, seminar: wordList }).strict(),
        /** Exact form titles whose category the admin fixed by hand; `ignore` = never a signal. */
        overrides: z
          .array(z.object({ title: word, category: z.enum([...FORM_CATEGORIES, 'ignore']) }).strict())
          .max(500),
      })
      .strict(),
    rules: z.object({ mql: boundedRule, sql: boundedRule }).strict(),
    gate: z
      .object({
        minBantItems: z.number().int().min(0).max(4),
        requireLastContacted: z.boolean(),
        requireReason: z.boolean(),
      })
      .strict(),
    automaticHandoff: z.boolean(),
    departments: z
      .object({
        /** Explicit HubSpot team id → department; `none` = this team is not part of the flow. */
        teamMap: z.record(teamId, z.enum([...DEPARTMENTS, 'none'])),
        /**
         * Used for teams not in teamMap; tested in the order inside_sales → marketing → sales,
         * first match wins (インサイドセールス contains セールス). Japanese words match anywhere
         * in the name; latin words match whole words, and short all-capital words (IS, SDR,
         * BDR, AE) match only in capitals so the English word "is" does not count.
         */
        namePatterns: z.object({ inside_sales: wordList, marketing: wordList, sales: wordList }).strict(),
      })
      .strict(),
    routing: z
      .object({
        /** Hand-off: the primary company's owner if in a Sales team, else round-robin over Sales. */
        preferCompanyOwner: z.boolean(),
      })
      .strict(),
    sla: z
      .object({
        firstTouchHours: z.number().positive().max(24 * 60),
        statusUpdateHours: z.number().positive().max(24 * 60),
        /** Due time of the IS follow-up task created when a lead becomes MQL. */
        mqlFollowUpHours: z.number().positive().max(24 * 60),
        /** Hours before a deadline when the assignee gets a reminder task; each sent once. */
        remindersBeforeHours: z.array(z.number().positive().max(24 * 30)).max(5),
        calendar: z
          .object({
            mode: z.enum(['wall_clock', 'business_hours']),
            business: businessCalendarSchema,
          })
          .strict(),
      })
      .strict(),
    escalation: z
      .object({
        /** HubSpot team id → owner who receives escalations for reps of that team. */
        ownersByTeam: z.record(teamId, ownerId),
      })
      .strict(),
    recycle: z
      .object({
        coolOffDays: z.number().int().min(0).max(3650),
        /** Where a rejected lead goes: back to Inside Sales (owner + follow-up task) or to Marketing nurture. */
        destination: z.enum(['inside_sales', 'nurture']),
        reasons: z
          .array(z.object({ code: z.string().regex(/^[a-z0-9_]{1,40}$/), ja: word, en: word }).strict())
          .min(1, { message: '差戻し理由を1つ以上設定してください / Configure at least one reject reason' })
          .max(50),
      })
      .strict(),
  })
  .strict();

export type PortalSettings = z.infer<typeof portalSettingsSchema>;
export type BehaviorRuleSettings = z.infer<typeof behaviorRule>;

// ---------------------------------------------------------------------------
// Defaults = the article's examples
// ---------------------------------------------------------------------------

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
    // 「インサイドセールスが課題と導入時期を確認済み」であればSQL
    sql: { type: 'and', of: [flag('bant_need'), flag('bant_timeline')] },
  },
  // 品質基準: BANT 2項目以上 / 直近の接触日 / 商談化の理由
  gate: { minBantItems: 2, requireLastContacted: true, requireReason: true },
  automaticHandoff: true,
  departments: {
    teamMap: {},
    namePatterns: {
      inside_sales: ['インサイドセールス', 'inside sales', 'IS', 'SDR', 'BDR'],
      marketing: ['マーケティング', 'marketing'],
      sales: ['フィールドセールス', '営業', 'セールス', 'sales', 'AE'],
    },
  },
  routing: { preferCompanyOwner: true },
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
    reasons: [
      { code: 'no_budget', ja: '予算なし', en: 'No budget' },
      { code: 'no_authority', ja: '決裁者に接点なし', en: 'No access to the decision maker' },
      { code: 'no_need', ja: '課題・ニーズなし', en: 'No need' },
      { code: 'bad_timing', ja: '検討時期が先', en: 'Timing too far out' },
      { code: 'unreachable', ja: '連絡がつかない', en: 'Could not reach' },
      { code: 'duplicate', ja: '重複・既存商談あり', en: 'Duplicate or existing deal' },
      { code: 'other', ja: 'その他', en: 'Other' },
    ],
  },
};

// ---------------------------------------------------------------------------
// Parsing with field-level bilingual messages
// ---------------------------------------------------------------------------

export interface SettingsFieldError {
  /** Dotted path of the field, e.g. `sla.firstTouchHours`; empty for the whole document. */
  path: string;
  /** Japanese first, then English. */
  message: string;
}

export type ParseSettingsResult = { ok: true; settings: PortalSettings } | { ok: false; errors: SettingsFieldError[] };

type Issue = z.core.$ZodIssue;

function bilingual(issue: Issue): string {
  // Messages we wrote ourselves are already bilingual (they contain " / ").
  if (issue.code === 'custom' || /[\u3040-\u30ff\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // zod v4 omits the input from issues unless asked; its message says what it received.
      return issue.message.endsWith('received undefined')
        ? `必須項目です / This field is required`
        : `${typeJa(issue.expected)}を入力してください / Expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `${issue.minimum}件以上必要です / At least ${issue.minimum} item(s) required`
        : issue.origin === 'string'
          ? `空にできません / Must not be empty`
          : `${issue.minimum}${issue.inclusive ? '以上' : 'より大きい値'}にしてください / Must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `${issue.maximum}件までです / At most ${issue.maximum} item(s)`
        : issue.origin === 'string'
          ? `${issue.maximum}文字までです / At most ${issue.maximum} characters`
          : `${issue.maximum}${issue.inclusive ? '以下' : '未満'}にしてください / Must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_value':
      return `次のいずれかを選んでください: ${issue.values.map(String).join(', ')} / Choose one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return `条件の形式が不正です（type は and / or / not / flag / compare） / Invalid condition (type must be and, or, not, flag or compare)`;
    case 'unrecognized_keys':
      return `不明な項目です: ${issue.keys.join(', ')} / Unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return `形式が不正です / Invalid format`;
    case 'not_multiple_of':
      return `${String(issue.divisor)}の倍数にしてください / Must be a multiple of ${String(issue.divisor)}`;
    default:
      return `値が不正です / Invalid value`;
  }
}

function typeJa(expected: string): string {
  switch (expected) {
    case 'number':
      return '数値';
    case 'int':
      return '整数';
    case 'string':
      return '文字列';
    case 'boolean':
      return 'オン/オフ';
    case 'array':
      return '一覧';
    case 'object':
      return '設定のまとまり';
    default:
      return expected;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fills fields missing from `input` with the defaults. Why: a document saved by an
 * older build may lack a field added later, and the settings page may send one
 * section at a time. Arrays and records the admin edits as a whole (word lists,
 * rules, team maps) are replaced, never merged element by element.
 */
function withDefaults(defaults: unknown, input: unknown): unknown {
  if (input === undefined) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(input)) return input;
  // Rule trees and id-keyed maps are taken as given.
  if ('type' in defaults || Object.keys(defaults).length === 0) return input;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(defaults), ...Object.keys(input)])) out[key] = withDefaults(defaults[key], input[key]);
  return out;
}

/**
 * Validates a settings document (possibly partial: missing fields take the defaults).
 * Returns every problem with the field it belongs to, so the settings page can show
 * each message next to its input.
 */
export function parseSettings(input: unknown): ParseSettingsResult {
  if (input !== undefined && input !== null && !isPlainObject(input)) {
    return { ok: false, errors: [{ path: '', message: '設定はオブジェクトで送ってください / Settings must be a JSON object' }] };
  }
  const doc: Record<string, unknown> = isPlainObject(input) ? { ...input, version: input.version ?? SETTINGS_VERSION } : { version: SETTINGS_VERSION };
  if (doc.version !== SETTINGS_VERSION) {
    return {
      ok: false,
      errors: [
        {
          path: 'version',
          message: `設定のバージョン ${String(doc.version)} には対応していません（対応: ${SETTINGS_VERSION}）。画面を再読み込みしてください / Settings version ${String(doc.version)} is not supported (expected ${SETTINGS_VERSION}); reload the page`,
        },
      ],
    };
  }
  const result = portalSettingsSchema.safeParse(withDefaults(DEFAULT_SETTINGS, doc));
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: bilingual(issue) })),
  };
}

// ---------------------------------------------------------------------------
// Warnings the settings page shows (valid but worth fixing)
// ---------------------------------------------------------------------------

export interface SettingsWarning {
  code: 'no_escalation_owner' | 'no_sales_team' | 'no_inside_sales_team';
  teamId?: string;
  message: string;
}

/**
 * Valid settings can still leave the flow without a safety net: escalations go to
 * the rep themself until an escalation owner is set (product.md §6), and nothing can
 * be routed without a Sales team. `teams` are the portal's HubSpot teams, each with
 * the department the engine assigned (app/src/domain/departments.ts).
 */
export function settingsWarnings(settings: PortalSettings, teams: { id: string; name: string; department: SettingsDepartment | null }[]): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  for (const team of teams) {
    if (team.department === 'sales' && !settings.escalation.ownersByTeam[team.id]) {
      warnings.push({
        code: 'no_escalation_owner',
        teamId: team.id,
        message: `チーム「${team.name}」のエスカレーション先が未設定です。SLA超過はその担当者本人に通知されます / Team "${team.name}" has no escalation owner; SLA breaches go to the rep themself`,
      });
    }
  }
  if (!teams.some((t) => t.department === 'sales')) {
    warnings.push({
      code: 'no_sales_team',
      message: '営業（フィールドセールス）に対応するチームがありません。トスアップ先を決められません / No team maps to Sales; hand-offs cannot be routed',
    });
  }
  if (!teams.some((t) => t.department === 'inside_sales')) {
    warnings.push({
      code: 'no_inside_sales_team',
      message: 'インサイドセールスに対応するチームがありません。MQLのフォロータスクを割り当てられません / No team maps to Inside Sales; MQL follow-up tasks cannot be assigned',
    });
  }
  return warnings;
}
