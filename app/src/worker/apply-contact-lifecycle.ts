import type { Database } from '../storage/database';
import type { InboxRow } from '../storage/inbox-store';
import { onContactDeleted, onContactPrivacyDeleted, onContactsMerged } from './contact-lifecycle';
import type { ParsedEvent } from './inbox-batch';

/**
 * Step 2 of a batch: contact deletions, privacy deletions and merges, in occurrence
 * order, applied to the database alone (contact-lifecycle.ts) in one transaction.
 * Returns the contacts that are gone (never evaluated in this batch) and the contacts
 * whose own events are still to be evaluated.
 */
export async function applyContactLifecycle(db: Database, portalId: string, relevant: ParsedEvent[], rows: readonly InboxRow[]): Promise<{ deleted: Set<string>; contactIds: Set<string> }> {
  const deleted = new Set<string>();
  const contactIds = new Set<string>();
  const lifecycle = relevant.filter((p) => p.desc!.kind === 'contact').sort((a, b) => a.event.occurredAt - b.event.occurredAt);
  if (lifecycle.some((p) => ['deletion', 'privacyDeletion', 'merge'].includes(p.desc!.action))) {
    await db.transaction(async (tx) => {
      for (const p of lifecycle) {
        const id = p.desc!.objectId!;
        if (p.desc!.action === 'deletion') {
          await onContactDeleted(tx, portalId, id, p.event.occurredAt);
          deleted.add(id);
        } else if (p.desc!.action === 'privacyDeletion') {
          await onContactPrivacyDeleted(tx, portalId, id, rows.map((r) => r.id), p.event.occurredAt);
          deleted.add(id);
        } else if (p.desc!.action === 'merge') {
          const merged = [...(p.event.mergedObjectIds ?? []), ...(p.event.primaryObjectId ? [p.event.primaryObjectId] : [])];
          await onContactsMerged(tx, portalId, id, merged, p.event.occurredAt);
          for (const m of merged) if (m !== id) deleted.add(m);
          deleted.delete(id);
        } else if (p.desc!.action === 'restore') deleted.delete(id);
      }
    });
  }
  for (const p of lifecycle) {
    const a = p.desc!.action;
    if (a !== 'deletion' && a !== 'privacyDeletion') contactIds.add(p.desc!.objectId!);
  }
  return { deleted, contactIds };
}
