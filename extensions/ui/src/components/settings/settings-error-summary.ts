/**
 * Where each invalid field of the settings page is (issue 15 / 16): the schema names a
 * field by its path (`sla.firstTouchHours`); the error summary above the form says it
 * the way the page does — the section's title and the field's label — so an admin can
 * find it, and the page opens that section.
 */
import { SCORING_RULE_LABELS, type ScoringRuleId } from '@tossup/shared/rule-labels';
import type { I18n } from '../card-context';
import { say, type ConsoleMessageKey } from './console-messages';
import { sayReason } from './reject-reason-messages';

/** The page's sections, in page order. */
export const SECTION_IDS = ['departments', 'scoring', 'forms', 'thresholds', 'sla', 'routing', 'routingRules', 'rejectReasons'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface LocatedError {
  path: string;
  section: SectionId;
  /** The section title as the page shows it. */
  sectionTitle: string;
  /** The field label as the page shows it (the schema path when no label is known). */
  field: string;
  message: string;
}

const SECTION_OF_TOP: Record<string, SectionId> = {
  departments: 'departments',
  scoring: 'scoring',
  forms: 'forms',
  rules: 'thresholds',
  gate: 'thresholds',
  automaticHandoff: 'thresholds',
  portalLanguage: 'thresholds',
  overlapWindowHours: 'thresholds',
  sla: 'sla',
  routing: 'routing',
  escalation: 'routing',
  recycle: 'routing',
};

export function sectionTitle(i18n: I18n, id: SectionId): string {
  switch (id) {
    case 'departments':
      return i18n.t('settings_departments');
    case 'scoring':
      return i18n.t('settings_scoring');
    case 'forms':
      return say(i18n, 'forms_title');
    case 'thresholds':
      return i18n.t('settings_thresholds');
    case 'sla':
      return i18n.t('settings_sla');
    case 'routing':
      return i18n.t('settings_routing');
    case 'routingRules':
      return say(i18n, 'routing_title');
    case 'rejectReasons':
      return sayReason(i18n, 'reasons_title');
  }
}

const SLA_FIELDS: Record<string, Parameters<I18n['t']>[0]> = {
  firstTouchHours: 'set_first_touch_hours',
  statusUpdateHours: 'set_status_update_hours',
  mqlFollowUpHours: 'set_mql_followup_hours',
  remindersBeforeHours: 'set_reminders',
};

const CALENDAR_FIELDS: Record<string, Parameters<I18n['t']>[0]> = {
  timeZone: 'set_timezone',
  workStart: 'set_work_start',
  workEnd: 'set_work_end',
  workDays: 'set_work_days',
  closedDates: 'set_closed_dates',
};

const DEPARTMENT_LABELS = { inside_sales: 'dept_inside_sales', marketing: 'dept_marketing', sales: 'dept_sales' } as const;

function ruleName(i18n: I18n, id: string): string {
  const label = (SCORING_RULE_LABELS as Record<string, { ja: string; en: string } | undefined>)[id as ScoringRuleId];
  return label ? label[i18n.locale] : id;
}

/** The label the page gives the field at `path`, or null when there is none to name. */
export function fieldLabel(i18n: I18n, path: string): string | null {
  const p = path.split('.');
  const [top, a, b, c] = p;
  switch (top) {
    case 'scoring':
      if (a === 'attribute' && b === 'seniority' && c === 'words') return i18n.t('set_words');
      if (a === 'attribute' && b === 'companySize' && c === 'minEmployees') return i18n.t('set_min_employees');
      if (a === 'attribute' && b === 'targetIndustry' && c === 'industries') return i18n.t('set_industries');
      if (b !== undefined && c === 'points') return i18n.t('set_points', { rule: ruleName(i18n, b) });
      return b !== undefined ? ruleName(i18n, b) : null;
    case 'forms':
      if (a === 'patterns' && b !== undefined) return say(i18n, `form_category_${b}` as ConsoleMessageKey);
      if (a === 'overrides' && b !== undefined) return `${say(i18n, 'forms_overrides')} ${Number(b) + 1}`;
      return null;
    case 'departments':
      if (a === 'namePatterns' && b !== undefined && b in DEPARTMENT_LABELS) return `${say(i18n, 'team_patterns')}: ${i18n.t(DEPARTMENT_LABELS[b as keyof typeof DEPARTMENT_LABELS])}`;
      return null;
    case 'rules':
      return a === 'mql' ? say(i18n, 'builder_mql') : a === 'sql' ? say(i18n, 'builder_sql') : null;
    case 'gate':
      return say(i18n, 'builder_gate');
    case 'overlapWindowHours':
      return i18n.t('set_overlap_window');
    case 'portalLanguage':
      return i18n.t('set_portal_language');
    case 'automaticHandoff':
      return i18n.t('set_auto_handoff');
    case 'sla':
      if (a === 'calendar' && b === 'business' && c !== undefined && CALENDAR_FIELDS[c]) return i18n.t(CALENDAR_FIELDS[c]);
      if (a === 'calendar') return i18n.t('set_calendar_mode');
      return a !== undefined && SLA_FIELDS[a] ? i18n.t(SLA_FIELDS[a]) : null;
    case 'routing': {
      // routing.rules.0.conditions.1.values → 「ルール 1 › 条件 2 › 値（カンマ区切り）」
      if (a === 'rules' && b !== undefined) {
        const rule = `${say(i18n, 'routing_rule_name', { n: Number(b) + 1 })}`;
        if (c === 'conditions' && p[4] !== undefined) {
          const field = p[5] === 'property' ? say(i18n, 'routing_property') : p[5] === 'values' ? say(i18n, 'routing_values') : null;
          return [rule, say(i18n, 'routing_condition_n', { n: Number(p[4]) + 1 }), field].filter(Boolean).join(' › ');
        }
        return c === 'target' ? `${rule} › ${say(i18n, 'routing_target')}` : rule;
      }
      if (a === 'pools' && b !== undefined) return say(i18n, 'routing_pools');
      if (a === 'capacityPerRep') return say(i18n, 'routing_capacity');
      if (a === 'reassignAfterHours') return say(i18n, 'routing_reassign_after');
      if (a === 'managerOwnerIds') return say(i18n, 'routing_managers');
      if (a === 'includeOwnerIds') return say(i18n, 'routing_include');
      return null;
    }
    case 'recycle':
      if (a === 'coolOffDays') return i18n.t('set_cool_off');
      if (a === 'destination') return i18n.t('set_recycle_destination');
      if (a === 'reasons') return b !== undefined ? `${sayReason(i18n, 'reasons_title')} ${Number(b) + 1}` : sayReason(i18n, 'reasons_title');
      return null;
    default:
      return null;
  }
}

/** Every field message (path ≠ '') with its section and label, in page order. */
export function locateErrors(i18n: I18n, messages: Record<string, string>): LocatedError[] {
  const out: LocatedError[] = [];
  for (const [path, message] of Object.entries(messages)) {
    if (path === '') continue;
    // The reject reasons have their own section (RejectReasonsSection, issue 14); the rest of `recycle` is routing's.
    // Routing's rules, pools and caps are edited in RoutingRulesSection; only the account-owner toggle is RoutingSection's.
    const section = path.startsWith('recycle.reasons')
      ? 'rejectReasons'
      : path.startsWith('routing.') && path !== 'routing.preferCompanyOwner'
        ? 'routingRules'
        : (SECTION_OF_TOP[path.split('.')[0]!] ?? 'thresholds');
    out.push({ path, section, sectionTitle: sectionTitle(i18n, section), field: fieldLabel(i18n, path) ?? path, message });
  }
  return out.sort((x, y) => SECTION_IDS.indexOf(x.section) - SECTION_IDS.indexOf(y.section));
}
