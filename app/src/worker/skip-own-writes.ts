import { isOwnWrite, loadWrittenValues } from '../engine/own-writes';
import type { EventDescription } from '../domain/webhook-event';
import type { Database } from '../storage/database';
import { findOwnHubSpotIds } from '../storage/side-effect-store';
import { ENGAGEMENT_OBJECT_TYPE, engagementSide, type ParsedEvent } from './inbox-batch';

/**
 * Step 1 of a batch: our own writes echoed back by HubSpot are skipped before
 * anything is read from HubSpot (engine/own-writes.ts explains how they are told
 * apart): contact property changes to the value we last wrote or from our app id,
 * and engagements we created (side_effects) or that name our app as their source;
 * likewise association changes we made (the tasks and notes we create with their
 * associations fire one per side) or that touch an engagement of ours.
 * Events without an object id are skipped too: there is nothing to act on.
 */
export async function skipOwnWrites(db: Database, portalId: string, batch: ParsedEvent[], appId: string | undefined): Promise<{ relevant: ParsedEvent[]; skipped: number }> {
  const written = await loadWrittenValues(
    db,
    portalId,
    batch.filter((p) => p.desc?.kind === 'contact' && p.desc.action === 'propertyChange' && p.desc.objectId).map((p) => p.desc!.objectId!),
  );
  const engagementIds = batch.flatMap((p) => (p.desc ? engagementsOf(p.desc) : []));
  const ourObjects = await findOwnHubSpotIds(db, portalId, engagementIds);
  const relevant = batch.filter((p) => {
    if (!p.desc || !p.desc.objectId) return false;
    if (p.desc.kind === 'contact' && p.desc.action === 'propertyChange' && isOwnWrite(p.event, appId, written)) return false;
    if (ENGAGEMENT_OBJECT_TYPE[p.desc.kind] && (ourObjects.has(p.desc.objectId) || isOwnWrite(p.event, appId, new Map()))) return false;
    if (p.desc.association && (isOwnWrite(p.event, appId, new Map()) || engagementsOf(p.desc).some((id) => ourObjects.has(id)))) return false;
    return true;
  });
  return { relevant, skipped: batch.length - relevant.length };
}

/** The engagement ids an event is about: its own object, or an engagement side of an association. */
function engagementsOf(desc: EventDescription): string[] {
  if (desc.association) {
    const side = engagementSide(desc.association);
    return side ? [side.objectId] : [];
  }
  return ENGAGEMENT_OBJECT_TYPE[desc.kind] && desc.objectId ? [desc.objectId] : [];
}
