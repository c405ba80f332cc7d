/**
 * Backfill of the report fields (issue 14) for hand-offs made before they existed:
 * what the hand-off log recorded about the latest hand-off of a contact, as the
 * properties the report recipes read. Only blank properties are filled, so a second
 * run, or a contact handed off since, is left as it is. Pure.
 */
import { MQL_RULE_SETTINGS } from '@tossup/shared/contract-properties';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { slaHoursBetween } from './business-hours';
import { formatHubSpotNumber, formatHubSpotTime, isBlank } from './hubspot-values';
import type { EpochMs, Properties } from './types';

export interface LoggedAction {
  action: string;
  actorOwnerId: string | null;
  toOwnerId: string | null;
  at: EpochMs;
  details: Record<string, unknown>;
}

/** Log entries written before `details.source` existed: the button (automatic false) or the automatic hand-off. */
function sourceOf(handoff: LoggedAction): string {
  if (typeof handoff.details.source === 'string') return handoff.details.source;
  if (handoff.details.automatic === false) return 'card';
  return handoff.actorOwnerId ? 'crm' : 'automatic';
}

export function reportFieldsFromLog(properties: Properties, log: readonly LoggedAction[], settings: PortalSettings): Record<string, string> {
  const sorted = [...log].sort((a, b) => a.at - b.at);
  const handoffs = sorted.filter((e) => e.action === 'handoff');
  const last = handoffs.at(-1);
  if (!last) return {};
  const out: Record<string, string> = {};
  const fill = (name: string, value: string | null | undefined) => {
    if (value && isBlank(properties[name])) out[name] = value;
  };
  const since = sorted.filter((e) => e.at >= last.at);
  const first = (action: string) => since.find((e) => e.action === action);

  fill('tossup_handoff_count', String(handoffs.length));
  fill('tossup_handoff_source', sourceOf(last));
  fill('tossup_handoff_by', last.actorOwnerId);
  if (isBlank(properties.tossup_mql_at)) {
    fill('tossup_mql_at', formatHubSpotTime(last.at));
    fill('tossup_mql_rule', 'handoff');
  } else {
    const mql = sorted.filter((e) => e.action === 'mql').at(-1);
    fill('tossup_mql_rule', mql ? (mql.details.rule === 'handoff' ? 'handoff' : MQL_RULE_SETTINGS) : 'handoff');
  }
  const accept = first('accept');
  const reject = first('reject');
  fill('tossup_accepted_at', accept && formatHubSpotTime(accept.at));
  fill('tossup_rejected_at', reject && formatHubSpotTime(reject.at));
  fill('tossup_reject_reason_code', typeof reject?.details.reasonCode === 'string' ? reject.details.reasonCode : undefined);
  const recorded = since.find((e) => (e.action === 'sla_met' || e.action === 'sla_breached') && e.details.kind === 'status_update' && typeof e.details.at === 'number');
  const answered = [accept?.at, reject?.at].filter((t): t is number => t !== undefined);
  const updatedAt = recorded ? (recorded.details.at as number) : answered.length > 0 ? Math.min(...answered) : undefined;
  if (updatedAt !== undefined) {
    fill('tossup_status_updated_at', formatHubSpotTime(updatedAt));
    fill('tossup_status_update_hours', formatHubSpotNumber(slaHoursBetween(last.at, updatedAt, settings.sla.calendar)));
  }
  const escalation = first('escalation');
  if (escalation?.toOwnerId) {
    fill('tossup_escalated_at', formatHubSpotTime(escalation.at));
    fill('tossup_escalated_to', escalation.toOwnerId);
  }
  return out;
}
