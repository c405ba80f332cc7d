import type { Clock } from '../platform/clock';
import type { Database } from '../storage/database';
import type { HubSpotCall } from './call-with-retry';
import { chunk } from './chunk';
import { batchRead } from './crm-records';
import type { EngagementType, HubSpotGateway } from './hubspot-gateway-types';
import { ASSOCIATION_TYPE, BATCH_LIMIT } from './hubspot-limits';
import { createIdempotently, type CreateSpec, type IdempotentCreateDeps } from './idempotent-create';
import { inlineAssociation } from './record-mapping';
import { textToHtml } from '../domain/html-text';
import { findMarker, sideEffectMarker, withMarker } from './side-effect-marker';

/**
 * Engagement reads, and task/note creates that happen exactly once per key: each
 * body carries its key's marker (side-effect-marker.ts) and idempotent-create.ts
 * keeps the reservation, so a crash between HubSpot's answer and our commit is
 * recovered by searching for the marker instead of creating a second object.
 * Bodies are plain text in the plan and become escaped HTML here (domain/html-text.ts):
 * HubSpot renders them as HTML, and their text comes partly from people.
 */
export type Engagements = Pick<HubSpotGateway, 'readEngagements' | 'createTasks' | 'createNotes'>;

export interface EngagementsDeps {
  call: HubSpotCall;
  db: Database;
  clock: Clock;
  /** How old a pending reservation must be before recovery searches HubSpot for it. */
  recoveryDelayMs: number;
  findByMarkers: HubSpotGateway['findByMarkers'];
}

export function createEngagements(deps: EngagementsDeps): Engagements {
  const { call } = deps;

  function idempotentDeps(kind: 'task' | 'note'): IdempotentCreateDeps {
    const objectType = kind === 'task' ? 'tasks' : 'notes';
    const bodyProperty = kind === 'task' ? 'hs_task_body' : 'hs_note_body';
    return {
      db: deps.db,
      clock: deps.clock,
      recoveryDelayMs: deps.recoveryDelayMs,
      findByMarkers: (portalId, markers) => deps.findByMarkers(portalId, kind, markers),
      async create(portalId, specs) {
        const created = new Map<string, string>();
        for (const group of chunk(specs, BATCH_LIMIT)) {
          // Not retried on 5xx/timeouts: HubSpot may have created the objects; the
          // reservations stay pending and recovery finds them by marker instead.
          const res = await call(
            portalId,
            `${objectType}.batch.create`,
            'standard',
            (a) => a.objectsBatch.create(objectType, { inputs: group.map((s) => s.input) as never }),
            { retryServerErrors: false },
          );
          // Batch create does not promise input order; map results back by marker.
          for (const r of res.results) {
            const marker = findMarker(r.properties[bodyProperty]);
            if (marker) created.set(marker, String(r.id));
          }
        }
        return created;
      },
    };
  }

  return {
    readEngagements: (portalId, type: EngagementType, ids, properties) => batchRead(call, portalId, type, ids, properties),

    createTasks: (portalId, tasks) =>
      createIdempotently(
        idempotentDeps('task'),
        portalId,
        tasks.map((t) => {
          const marker = sideEffectMarker(portalId, t.key);
          const properties: Record<string, string> = {
            hs_timestamp: String(t.dueAt),
            hs_task_subject: t.subject,
            hs_task_body: withMarker(textToHtml(t.body), marker),
            hubspot_owner_id: t.ownerId,
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: t.priority,
            hs_task_type: t.type,
          };
          if (t.reminderAt !== undefined) properties.hs_task_reminders = String(t.reminderAt);
          const associations = [
            inlineAssociation(t.associations.contactId, ASSOCIATION_TYPE.taskToContact),
            ...(t.associations.companyId ? [inlineAssociation(t.associations.companyId, ASSOCIATION_TYPE.taskToCompany)] : []),
            ...(t.associations.dealId ? [inlineAssociation(t.associations.dealId, ASSOCIATION_TYPE.taskToDeal)] : []),
          ];
          return { key: t.key, kind: 'task', marker, contactId: t.associations.contactId, input: { properties, associations } } satisfies CreateSpec;
        }),
      ),

    createNotes: (portalId, notes) =>
      createIdempotently(
        idempotentDeps('note'),
        portalId,
        notes.map((n) => {
          const marker = sideEffectMarker(portalId, n.key);
          const properties: Record<string, string> = { hs_timestamp: String(n.timestamp), hs_note_body: withMarker(textToHtml(n.body), marker) };
          if (n.ownerId) properties.hubspot_owner_id = n.ownerId;
          const associations = [
            inlineAssociation(n.associations.contactId, ASSOCIATION_TYPE.noteToContact),
            ...(n.associations.companyId ? [inlineAssociation(n.associations.companyId, ASSOCIATION_TYPE.noteToCompany)] : []),
            ...(n.associations.dealId ? [inlineAssociation(n.associations.dealId, ASSOCIATION_TYPE.noteToDeal)] : []),
          ];
          return { key: n.key, kind: 'note', marker, contactId: n.associations.contactId, input: { properties, associations } } satisfies CreateSpec;
        }),
      ),
  };
}
