import type { LedgerEntry } from '../domain/types';
import { contactSides, type ObjectKind } from '../domain/webhook-event';
import type { EngagementType, HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { ENGAGEMENT_OBJECT_TYPE, engagementSide, type ParsedEvent } from './inbox-batch';

/**
 * Step 3 of a batch: engagements and companies resolve to their contacts with one
 * batch association read per object type, so a batch's events coalesce onto the
 * contacts they touch. A new engagement (not a task: tasks are ours to score) is also
 * an activity observation for each of its contacts. Association changes name their
 * contact side(s) already (domain/webhook-event.ts): no read; an engagement newly
 * associated with a contact is the same activity observation as one created with it
 * (same signal key, so the ledger keeps one). `contactIds` (the contacts' own events)
 * is extended in place; deleted contacts are taken out.
 */
export async function resolveContacts(
  gateway: HubSpotGateway,
  portalId: string,
  relevant: ParsedEvent[],
  contactIds: Set<string>,
  deleted: ReadonlySet<string>,
): Promise<Map<string, LedgerEntry[]>> {
  const observations = new Map<string, LedgerEntry[]>();
  const observe = (contactId: string, kind: ObjectKind, engagementId: string, occurredAt: number) => {
    const obs = observations.get(contactId) ?? [];
    // Both sides of one association (and its creation event) observe the same activity once.
    if (kind === 'task' || obs.some((o) => o.signalKey === `${kind}:${engagementId}`)) return;
    obs.push({ signalKey: `${kind}:${engagementId}`, kind: 'activity', occurredAt, details: { type: kind, engagementId } });
    observations.set(contactId, obs);
  };
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
        if (p.desc!.action === 'creation') observe(c.id, p.desc!.kind, p.desc!.objectId!, p.event.occurredAt);
      }
    }
  }
  for (const p of relevant) {
    const a = p.desc!.association;
    if (!a) continue;
    const contacts = contactSides(a);
    for (const c of contacts) contactIds.add(c);
    const engagement = engagementSide(a);
    if (engagement && !a.removed) for (const c of contacts) observe(c, engagement.kind!, engagement.objectId, p.event.occurredAt);
  }
  const companyEvents = relevant.filter((p) => p.desc!.kind === 'company');
  if (companyEvents.length > 0) {
    const assoc = await gateway.readAssociations(portalId, 'companies', companyEvents.map((p) => p.desc!.objectId!), 'contacts');
    for (const list of assoc.values()) for (const c of list) contactIds.add(c.id);
  }
  for (const id of deleted) contactIds.delete(id);
  return observations;
}
