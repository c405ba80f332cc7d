import type { ContactSnapshot, Plan } from '../domain/types';
import { parseHubSpotTime } from '../domain/hubspot-values';
import type { HubSpotGateway, HubSpotSourceHealth } from '../hubspot/hubspot-gateway-types';
import { readOptional } from '../hubspot/source-health';

/**
 * The most recently created open deal of each contact (docs/product.md §5: a hand-off's
 * task and note are associated with it too). Two calls per batch of contacts:
 * one v4 association read and one deal batch read.
 */
export async function findOpenDeals(
  gateway: Pick<HubSpotGateway, 'readAssociations' | 'readDeals'> & Partial<HubSpotSourceHealth>,
  portalId: string,
  contactIds: string[],
): Promise<Map<string, string>> {
  // Deals are an optional source (docs/hubspot-platform.md §5.8): without them the hand-off's task and
  // note are associated with the contact (and company) only.
  return readOptional(gateway, portalId, 'deals', [], () => readOpenDeals(gateway, portalId, contactIds), new Map<string, string>());
}

async function readOpenDeals(gateway: Pick<HubSpotGateway, 'readAssociations' | 'readDeals'>, portalId: string, contactIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (contactIds.length === 0) return out;
  const assoc = await gateway.readAssociations(portalId, 'contacts', contactIds, 'deals');
  const dealIds = [...new Set([...assoc.values()].flatMap((l) => l.map((a) => a.id)))];
  if (dealIds.length === 0) return out;
  const deals = new Map((await gateway.readDeals(portalId, dealIds, ['hs_is_closed', 'createdate'])).map((d) => [d.id, d]));
  for (const [contactId, list] of assoc) {
    const open = list
      .map((a) => deals.get(a.id))
      .filter((d) => d !== undefined && d.properties.hs_is_closed !== 'true')
      .sort((a, b) => (parseHubSpotTime(b!.properties.createdate) ?? 0) - (parseHubSpotTime(a!.properties.createdate) ?? 0));
    if (open[0]) out.set(contactId, open[0].id);
  }
  return out;
}

/**
 * Deals are read only for the few contacts whose plan creates a task or a note
 * (hand-offs); those contacts are then evaluated again with their open deal, so the
 * common case (score updates) costs no deal reads at all.
 */
export async function withOpenDeals(
  gateway: Pick<HubSpotGateway, 'readAssociations' | 'readDeals'>,
  portalId: string,
  plans: Plan[],
  snapshots: ReadonlyMap<string, ContactSnapshot>,
  reevaluate: (snapshot: ContactSnapshot) => Plan,
): Promise<Plan[]> {
  const need = plans.filter((p) => p.tasks.length + p.notes.length > 0 && !snapshots.get(p.contactId)?.openDealId).map((p) => p.contactId);
  if (need.length === 0) return plans;
  const openDeals = await findOpenDeals(gateway, portalId, need);
  if (openDeals.size === 0) return plans;
  return plans.map((p) => {
    const dealId = openDeals.get(p.contactId);
    const s = snapshots.get(p.contactId);
    return dealId && s ? reevaluate({ ...s, openDealId: dealId }) : p;
  });
}
