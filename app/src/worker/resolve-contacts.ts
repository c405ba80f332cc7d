import type { LedgerEntry } from '../domain/types';
import type { EngagementType, HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { ENGAGEMENT_OBJECT_TYPE, type ParsedEvent } from './inbox-batch';

/**
 * Step 3 of a batch: engagements and companies resolve to their contacts with one
 * batch association read per object type, so a batch's events coalesce onto the
 * contacts they touch. A new engagement (not a task: tasks are ours to score) is also
 * an activity observation for each of its contacts. `contactIds` (the contacts' own
 * events) is extended in place; deleted contacts are taken out.
 */
export async function resolveContacts(
  gateway: HubSpotGateway,
  portalId: string,
  relevant: ParsedEvent[],
  contactIds: Set<string>,
  deleted: ReadonlySet<string>,
): Promise<Map<string, LedgerEntry[]>> {
  const observations = new Map<string, LedgerEntry[]>();
  const byType = new Map<EngagementType, ParsedEvent[]>();
  for (const p of relevant) {
    const type = ENGAGEMENT_OBJECT_TYPE[p.desc!.kind];
    if (type) byType.set(type, [...(byType.get(type) ?? []), p]);
  }
  for (const [type, list] of byType) {
    const assoc = await gateway.readAssociations(portalId, type, list.map((p) => p.desc!.objectId!), 'contacts');
    for (const p of list) {
      for (const c of assoc.get(p.desc!.objectId!) ?? []) {
        contactIds.add(c.id);
        if (p.desc!.action === 'creation' && p.desc!.kind !== 'task') {
          const obs = observations.get(c.id) ?? [];
          obs.push({
            signalKey: `${p.desc!.kind}:${p.desc!.objectId}`,
            kind: 'activity',
            occurredAt: p.event.occurredAt,
            details: { type: p.desc!.kind, engagementId: p.desc!.objectId },
          });
          observations.set(c.id, obs);
        }
      }
    }
  }
  const companyEvents = relevant.filter((p) => p.desc!.kind === 'company');
  if (companyEvents.length > 0) {
    const assoc = await gateway.readAssociations(portalId, 'companies', companyEvents.map((p) => p.desc!.objectId!), 'contacts');
    for (const list of assoc.values()) for (const c of list) contactIds.add(c.id);
  }
  for (const id of deleted) contactIds.delete(id);
  return observations;
}
