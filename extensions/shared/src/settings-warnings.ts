/**
 * Warnings the settings page shows: settings that are valid but worth fixing.
 */
import type { Bilingual } from './i18n';
import type { PortalSettings, SettingsDepartment } from './portal-settings-schema';
import { settingsMessage } from './settings-messages';

export interface SettingsWarning {
  code: 'no_escalation_owner' | 'no_sales_team' | 'no_inside_sales_team' | 'routing_pool_empty' | 'routing_no_fallback';
  teamId?: string;
  poolId?: string;
  message: Bilingual;
}

/**
 * Valid settings can still leave the flow without a safety net: escalations go to
 * the rep themself until an escalation owner is set (docs/product.md §6), and nothing can
 * be routed without a Sales team. `teams` are the portal's HubSpot teams, each with
 * the department the engine assigned (app/src/domain/departments.ts).
 */
export function settingsWarnings(settings: PortalSettings, teams: { id: string; name: string; department: SettingsDepartment | null }[]): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  for (const team of teams) {
    if (team.department === 'sales' && !settings.escalation.ownersByTeam[team.id]) {
      warnings.push({ code: 'no_escalation_owner', teamId: team.id, message: settingsMessage('no_escalation_owner', { team: team.name }) });
    }
  }
  for (const pool of settings.routing.pools) {
    if (pool.members.length === 0) warnings.push({ code: 'routing_pool_empty', poolId: pool.id, message: settingsMessage('routing_pool_empty', { pool: pool.name }) });
  }
  // Caps, out-of-office and rules can leave nobody available: say where the lead goes then.
  const canRunOut = settings.routing.capacityPerRep !== null || settings.routing.rules.length > 0 || settings.routing.pools.some((p) => p.members.some((m) => m.capacity !== null));
  if (canRunOut && settings.routing.fallbackOwnerId === null) warnings.push({ code: 'routing_no_fallback', message: settingsMessage('routing_no_fallback') });
  if (!teams.some((t) => t.department === 'sales')) warnings.push({ code: 'no_sales_team', message: settingsMessage('no_sales_team') });
  if (!teams.some((t) => t.department === 'inside_sales')) warnings.push({ code: 'no_inside_sales_team', message: settingsMessage('no_inside_sales_team') });
  return warnings;
}
