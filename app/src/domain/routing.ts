/**
 * Who gets the lead. Pure and deterministic: round-robin picks the active owner with
 * the fewest assignments so far (the counts live in the database, so fairness
 * survives restarts and is shared by every process), ties broken by owner id.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, PortalDirectory } from './types';
import { activeOwnersIn, compareOwnerIds, isActiveIn } from './departments';

export type Pool = 'inside_sales' | 'sales';

export interface RoutingDecision {
  ownerId: string;
  /** How the owner was chosen, recorded in the hand-off log: `company_owner`, `contact_owner`, `round_robin:sales` … */
  path: string;
  /** Set when round-robin was used: the applier increments this counter in the same unit of work. */
  roundRobin?: { pool: Pool; ownerId: string };
}

export function pickRoundRobin(directory: PortalDirectory, pool: Pool, departments: PortalSettings['departments']): string | undefined {
  const counts = directory.roundRobinCounts[pool] ?? {};
  let best: { id: string; count: number } | undefined;
  for (const owner of activeOwnersIn(directory, pool, departments)) {
    const count = counts[owner.id] ?? 0;
    if (!best || count < best.count || (count === best.count && compareOwnerIds(owner.id, best.id) < 0)) best = { id: owner.id, count };
  }
  return best?.id;
}

function roundRobin(directory: PortalDirectory, pool: Pool, settings: PortalSettings): RoutingDecision | undefined {
  const ownerId = pickRoundRobin(directory, pool, settings.departments);
  return ownerId ? { ownerId, path: `round_robin:${pool}`, roundRobin: { pool, ownerId } } : undefined;
}

/** Hand-off: the primary company's owner if in a Sales team, else round-robin over Sales (docs/product.md §5). */
export function routeHandoff(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory): RoutingDecision | undefined {
  const companyOwner = snapshot.company?.properties.hubspot_owner_id ?? undefined;
  if (settings.routing.preferCompanyOwner && companyOwner && isActiveIn(directory, companyOwner, 'sales', settings.departments)) {
    return { ownerId: companyOwner, path: 'company_owner' };
  }
  return roundRobin(directory, 'sales', settings);
}

/** MQL follow-up: the contact owner if in an IS team, else round-robin over IS (docs/product.md §3). */
export function routeInsideSales(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, preferredOwnerId?: string): RoutingDecision | undefined {
  if (preferredOwnerId && isActiveIn(directory, preferredOwnerId, 'inside_sales', settings.departments)) {
    return { ownerId: preferredOwnerId, path: 'handoff_by' };
  }
  const contactOwner = snapshot.contact.properties.hubspot_owner_id ?? undefined;
  if (contactOwner && isActiveIn(directory, contactOwner, 'inside_sales', settings.departments)) {
    return { ownerId: contactOwner, path: 'contact_owner' };
  }
  return roundRobin(directory, 'inside_sales', settings);
}
