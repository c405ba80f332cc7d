/**
 * The zod schema of tossup's per-portal settings document, and its types. Callers
 * import it through settings-schema.ts, which adds parsing with the defaults
 * (settings-defaults.ts) and field-level messages (settings-messages.ts).
 * Browser-safe: imports only zod and sibling files.
 *
 * The fields follow docs/product.md "The flow" §2–§8. Messages are named by id
 * (`says(...)`), never written here, so each has its two languages in one catalogue.
 */
import { z } from 'zod';
import { BOOLEAN_FACTS, NUMERIC_FACTS, type BooleanFact, type NumericFact } from './rule-labels';
import { says } from './settings-messages';

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
/** Budget, Authority, Need, Timeline. */
export const BANT_ITEM_COUNT = 4;
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
      .strict()
      .superRefine((node, ctx) => {
        // Four BANT items exist: a bar above 4 could never be met (the gate would block every hand-off).
        if (node.fact === 'bant_count' && node.value > BANT_ITEM_COUNT) {
          ctx.addIssue({ code: 'too_big', origin: 'number', maximum: BANT_ITEM_COUNT, inclusive: true, input: node.value, path: ['value'] });
        }
      }),
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
    ctx.addIssue({ code: 'custom', ...says('rule_too_large'), params: { depth: RULE_MAX_DEPTH, nodes: RULE_MAX_NODES } });
  }
});

/** The gate as saved before issue 16 made it a rule; still accepted on read. */
export const legacyGateSchema = z
  .object({
    minBantItems: z.number().int().min(0).max(4).default(2),
    requireLastContacted: z.boolean().default(true),
    requireReason: z.boolean().default(true),
  })
  .strict();
export type LegacyGate = z.infer<typeof legacyGateSchema>;

/**
 * The rule equivalent to a legacy gate: every requirement AND-ed, in the order the card
 * has always listed them. A gate that required nothing becomes "BANT確認数 ≥ 0", which
 * always holds (a rule needs at least one condition).
 */
export function legacyGateRule(g: LegacyGate): RuleExpr {
  const of: RuleExpr[] = [];
  if (g.minBantItems > 0 || (!g.requireLastContacted && !g.requireReason)) of.push({ type: 'compare', fact: 'bant_count', op: 'gte', value: g.minBantItems });
  if (g.requireLastContacted) of.push({ type: 'flag', fact: 'last_contacted_recorded' });
  if (g.requireReason) of.push({ type: 'flag', fact: 'handoff_reason_present' });
  return { type: 'and', of };
}

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

const word = z.string().trim().min(1).max(100);
const wordList = z.array(word).max(200);
const points = z.number().int().min(-1000).max(1000);
const optionalCap = z.number().int().min(0).max(100000).nullable();
const ownerId = z.string().regex(/^\d+$/, says('owner_id_number'));
const teamId = z.string().regex(/^\d+$/, says('team_id_number'));
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, says('time_hhmm'));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, says('date_iso'));

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
  says('time_zone_unknown'),
);

export const businessCalendarSchema = z
  .object({
    /** IANA time zone of the working hours. */
    timeZone: timeZoneName,
    workStart: hhmm,
    workEnd: hhmm,
    /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
    workDays: z.array(z.number().int().min(1).max(7)).min(1, says('work_days_none')).max(7),
    /** Close on Japanese national holidays (内閣府「国民の祝日」, via @holiday-jp/holiday_jp). */
    japaneseHolidays: z.boolean(),
    /** Extra closed dates (company holidays, 年末年始), local dates in timeZone. */
    closedDates: z.array(isoDate).max(366),
  })
  .strict()
  .refine((c) => c.workStart < c.workEnd, { ...says('work_end_before_start'), path: ['workEnd'] });
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;

// ---------------------------------------------------------------------------
// Routing (issue 17): ordered rules over contact and company properties, first
// match wins, each targeting a HubSpot team or a named pool of owners. The
// defaults (no rules, no pools, no cap) route as before: the company's owner if
// in Sales, else round-robin over the Sales teams.
// ---------------------------------------------------------------------------

const propertyName = z.string().regex(/^[a-z0-9_]{1,100}$/, says('property_name'));
const slug = z.string().regex(/^[a-z0-9_-]{1,40}$/, says('routing_id'));

export const ROUTING_OPERATORS = ['eq', 'in', 'contains', 'gte', 'lte', 'known', 'unknown'] as const;
export type RoutingOperator = (typeof ROUTING_OPERATORS)[number];

export const routingConditionSchema = z
  .object({
    object: z.enum(['contact', 'company']),
    /** HubSpot's internal property name, e.g. `state`, `industry`, `numberofemployees`. */
    property: propertyName,
    op: z.enum(ROUTING_OPERATORS),
    /** eq / contains: the first value; in: any of them; gte / lte: a number; known / unknown: none. */
    values: z.array(z.string().trim().min(1).max(200)).max(100),
  })
  .strict();
export type RoutingCondition = z.infer<typeof routingConditionSchema>;

export const routingTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('team'), teamId }).strict(),
  z.object({ type: z.literal('pool'), poolId: slug }).strict(),
]);
export type RoutingTarget = z.infer<typeof routingTargetSchema>;

export const routingRuleSchema = z
  .object({
    id: slug,
    /** What the path calls it: 「地域ルール: 関西」. */
    name: word,
    enabled: z.boolean().default(true),
    /** `all` (absent, the default): every condition must hold; `any`: one is enough. An empty list matches every lead. */
    match: z.enum(['all', 'any']).optional(),
    conditions: z.array(routingConditionSchema).max(10),
    target: routingTargetSchema,
  })
  .strict();
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingPoolSchema = z
  .object({
    id: slug,
    name: word,
    members: z
      .array(
        z
          .object({
            ownerId,
            /** Share of the pool's hand-offs: weight 2 gets twice as many as weight 1. */
            weight: z.number().int().min(1).max(100).default(1),
            /** This rep's cap on open hand-offs; null = the routing-wide cap. */
            capacity: z.number().int().min(0).max(10000).nullable().default(null),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();
export type RoutingPool = z.infer<typeof routingPoolSchema>;

const routingSchema = z
  .object({
    /** Hand-off: the primary company's owner first if in a Sales team (and available). */
    preferCompanyOwner: z.boolean(),
    /** The company's owner is out of office or at capacity: route to the pool, or give it to them anyway and warn. */
    whenOwnerUnavailable: z.enum(['route_to_pool', 'wait_and_warn']).default('route_to_pool'),
    rules: z.array(routingRuleSchema).max(50).default([]),
    pools: z.array(routingPoolSchema).max(50).default([]),
    /** Open hand-offs (tossup_stage sql or accepted, not closed) a rep may hold; null = no cap. */
    capacityPerRep: z.number().int().min(1).max(10000).nullable().default(null),
    /** Out-of-office ranges and the business calendar decide who is available. */
    respectAvailability: z.boolean().default(true),
    /** Escalation owners and these owners (managers) are left out of team targets unless listed in includeOwnerIds. */
    managerOwnerIds: z.array(ownerId).max(200).default([]),
    includeOwnerIds: z.array(ownerId).max(200).default([]),
    /** Who gets the lead when nobody in the target is available; null = the least-loaded active Sales owner. */
    fallbackOwnerId: ownerId.nullable().default(null),
    /**
     * The last rung of the escalation ladder (docs/decisions.md, issue 17): this many
     * hours after the escalation with still no first touch, the lead goes to the next
     * available rep of the same pool or team (once per hand-off). null = never.
     */
    reassignAfterHours: z.number().positive().max(24 * 30).nullable().default(null),
  })
  .strict()
  .superRefine((r, ctx) => {
    const pools = new Set<string>();
    r.pools.forEach((p, i) => {
      if (pools.has(p.id)) ctx.addIssue({ code: 'custom', ...says('routing_duplicate_id'), path: ['pools', i, 'id'], params: { id: p.id } });
      pools.add(p.id);
    });
    const rules = new Set<string>();
    r.rules.forEach((rule, i) => {
      if (rules.has(rule.id)) ctx.addIssue({ code: 'custom', ...says('routing_duplicate_id'), path: ['rules', i, 'id'], params: { id: rule.id } });
      rules.add(rule.id);
      if (rule.target.type === 'pool' && !pools.has(rule.target.poolId)) {
        ctx.addIssue({ code: 'custom', ...says('routing_unknown_pool'), path: ['rules', i, 'target', 'poolId'], params: { id: rule.target.poolId } });
      }
    });
  });

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
    /**
     * The hand-off quality gate (docs/product.md §4) as a rule over the same facts as the MQL /
     * SQL rules. Documents saved before it was a rule carry `{ minBantItems, requireLastContacted,
     * requireReason }`; parseSettings turns that shape into the equivalent rule (legacyGateRule).
     */
    gate: z.object({ rule: boundedRule }).strict(),
    automaticHandoff: z.boolean(),
    /**
     * The one language of everything tossup writes into HubSpot (task subjects and bodies,
     * notes, tossup_score_breakdown): a portal's records are read by everyone in it, so
     * they carry one language, not a ja / en pair. Absent in settings saved before it existed.
     */
    portalLanguage: z.enum(['ja', 'en']).default('ja'),
    /** Contact by two departments (or two people of one) within this window, outside the hand-off sequence, is duplicate outreach. */
    overlapWindowHours: z.number().positive().max(24 * 90).default(72),
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
    routing: routingSchema,
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
          .array(z.object({ code: z.string().regex(/^[a-z0-9_]{1,40}$/, says('reason_code_format')), ja: word, en: word }).strict())
          .min(1, says('reject_reasons_none'))
          .max(50)
          // A code is what reports group by (tossup_reject_reason_code's options): two reasons cannot share one.
          .superRefine((reasons, ctx) => {
            const seen = new Set<string>();
            reasons.forEach((r, i) => {
              if (seen.has(r.code)) ctx.addIssue({ code: 'custom', ...says('reason_code_duplicate'), params: { code: r.code }, path: [i, 'code'] });
              seen.add(r.code);
            });
          }),
      })
      .strict(),
  })
  .strict();

export type PortalSettings = z.infer<typeof portalSettingsSchema>;
export type BehaviorRuleSettings = z.infer<typeof behaviorRule>;
