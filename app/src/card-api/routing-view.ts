/**
 * The tab card's routing panel (issue 17), from the hand-off log of one contact: the
 * latest routing decision in words (hand-off or reassign) and the escalation ladder of
 * the current hand-off — reminder → breach → escalation → reassign — each done (when,
 * to whom), still pending, off (not configured) or skipped.
 */
import type { LadderStepView, RoutingPanelView } from '@tossup/shared/routing-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { PortalDirectory } from '../domain/types';
import { ownerName } from './build-views';
import type { RoutingLogRow } from './card-api-deps';

export type { RoutingLogRow };

const WARNINGS = {
  fallback: { ja: '対応可能な担当者がいなかったため、代替の担当者に割り当てました', en: 'Nobody was available, so the fallback owner received it' },
  least_loaded: { ja: '対応可能な担当者がいなかったため、担当件数の最も少ない営業に割り当てました。設定画面で代替の担当者を設定してください', en: 'Nobody was available, so the least-loaded Sales owner received it; set a fallback owner in the settings' },
  owner_unavailable: { ja: '担当企業の所有者は不在または上限到達ですが、設定により割り当てました', en: 'The company owner is away or at capacity but received it by the setting' },
} as const;

const isWords = (v: unknown): v is { ja: string; en: string } => typeof v === 'object' && v !== null && typeof (v as { ja?: unknown }).ja === 'string' && typeof (v as { en?: unknown }).en === 'string';

/** `rows` oldest first. */
export function buildRoutingPanel(rows: readonly RoutingLogRow[], settings: PortalSettings, directory: PortalDirectory): RoutingPanelView {
  const lastHandoff = rows.map((r) => r.action).lastIndexOf('handoff');
  const current = lastHandoff < 0 ? [] : rows.slice(lastHandoff);
  const decision = [...current].reverse().find((r) => (r.action === 'handoff' || r.action === 'reassign') && isWords(r.details.routingWords));
  const trace = decision?.details.routing as { warning?: keyof typeof WARNINGS } | undefined;
  const name = (id: string | null) => (id ? (ownerName(directory.owners.find((o) => o.id === id)) ?? `#${id}`) : null);
  const first = (action: string, kind?: string) => current.find((r) => r.action === action && (kind === undefined || r.details.kind === kind));

  const step = (code: LadderStepView['step'], row: RoutingLogRow | undefined, off: boolean): LadderStepView => {
    if (row && row.details.skipped) return { step: code, state: 'skipped', at: row.at, to: null };
    if (row) return { step: code, state: 'done', at: row.at, to: name(row.toOwnerId) };
    return { step: code, state: off ? 'off' : 'pending', at: null, to: null };
  };
  const ladder: LadderStepView[] =
    lastHandoff < 0
      ? []
      : [
          step('reminder', first('reminder', 'first_touch'), settings.sla.remindersBeforeHours.length === 0),
          step('breach', first('sla_breached', 'first_touch'), false),
          step('escalation', first('escalation', 'first_touch'), false),
          step('reassign', first('reassign'), settings.routing.reassignAfterHours === null),
        ];
  // Once the first touch was met, nothing further can come.
  const met = current.some((r) => r.action === 'sla_met' && r.details.kind === 'first_touch');
  for (const s of ladder) if (met && s.state === 'pending') s.state = 'off';
  return {
    path: decision && isWords(decision.details.routingWords) ? decision.details.routingWords : null,
    pathAt: decision?.at ?? null,
    warning: trace?.warning && trace.warning in WARNINGS ? WARNINGS[trace.warning] : null,
    ladder,
  };
}
