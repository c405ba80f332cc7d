import { beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import type { WebhookEvent } from '../../src/domain/webhook-event';
import { APP_ID, contactEvent, enqueue, inboxStatuses, PORTAL, T0, workerKit } from './worker-test-kit';

const TABLES = ['webhook_inbox', 'signal_ledger', 'handoff_log', 'side_effects', 'sla_clocks', 'round_robin_counts', 'pipeline_written_values', 'inbox_portal_leases', 'installs'];

/** A generic association event, one side (HubSpot fires one per side). */
function association(from: [typeId: string, id: string], to: [typeId: string, id: string], extra: Partial<WebhookEvent> = {}): WebhookEvent {
  return contactEvent('0', {
    subscriptionType: 'object.associationChange',
    objectId: undefined,
    propertyName: undefined,
    propertyValue: undefined,
    fromObjectTypeId: from[0],
    fromObjectId: from[1],
    toObjectTypeId: to[0],
    toObjectId: to[1],
    associationCategory: 'HUBSPOT_DEFINED',
    associationRemoved: false,
    ...extra,
  });
}

describe.each(testBackends())('association events in the inbox worker on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    for (const table of TABLES) await t.db.query(`delete from ${table}`);
  });

  it('resolve to the contact side without an association read: engagement, company, deal and contact ↔ contact', async () => {
    const kit = workerKit(t.db);
    for (const id of ['501', '502', '503', '504', '505']) kit.hubspot.contacts.set(id, {});
    await enqueue(t.db, [
      association(['0-48', '9001'], ['0-1', '501']),
      association(['0-1', '502'], ['0-2', '7001'], { associationTypeId: 279 }),
      association(['0-3', '3001'], ['0-1', '503']),
      association(['0-1', '504'], ['0-1', '505'], { associationTypeId: 449 }),
      // Legacy shape, the other side of the company association.
      contactEvent('0', { subscriptionType: 'company.associationChange', objectId: undefined, propertyName: undefined, propertyValue: undefined, fromObjectId: '7001', toObjectId: '502', associationType: 'COMPANY_TO_CONTACT' }),
    ]);
    expect(await inboxStatuses(t.db)).toEqual({ pending: 5 });
    await kit.worker.drainOnce();
    expect(kit.evaluations.map((s) => s.contact.id).sort()).toEqual(['501', '502', '503', '504', '505']);
    expect(kit.hubspot.calls.filter((c) => c.method.startsWith('readAssociations:calls') || c.method.startsWith('readAssociations:companies'))).toEqual([]);
    expect(kit.evaluations.find((s) => s.contact.id === '501')!.observations).toEqual([{ signalKey: 'call:9001', kind: 'activity', occurredAt: expect.any(Number), details: { type: 'call', engagementId: '9001' } }]);
    expect(await inboxStatuses(t.db)).toEqual({ done: 5 });
  });

  it('coalesce with the contact\'s other events: both sides, a property change and a creation → one evaluation, one read', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', {});
    kit.hubspot.associations.set('calls:9002:contacts', ['501']);
    await enqueue(t.db, [
      association(['0-1', '501'], ['0-48', '9001'], { associationTypeId: 193 }),
      association(['0-48', '9001'], ['0-1', '501'], { associationTypeId: 194 }),
      contactEvent('501'),
      contactEvent('0', { subscriptionType: 'object.creation', objectTypeId: '0-48', objectId: '9002', propertyName: undefined, propertyValue: undefined }),
    ]);
    await kit.worker.drainOnce();
    expect(kit.evaluations.map((s) => s.contact.id)).toEqual(['501']);
    const reads = kit.hubspot.calls.filter((c) => c.method === 'readContacts');
    expect(reads).toEqual([expect.objectContaining({ ids: ['501'] })]);
    expect(kit.evaluations[0]!.observations.map((o) => o.signalKey).sort()).toEqual(['call:9001', 'call:9002']);
  });

  it('a removed association re-evaluates the contact without an activity; tasks are no activity either', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', {});
    kit.hubspot.contacts.set('502', {});
    await enqueue(t.db, [association(['0-1', '501'], ['0-48', '9001'], { associationRemoved: true }), association(['0-27', '8001'], ['0-1', '502'])]);
    await kit.worker.drainOnce();
    expect(kit.evaluations.map((s) => s.contact.id).sort()).toEqual(['501', '502']);
    for (const s of kit.evaluations) expect(s.observations).toEqual([]);
  });

  it('our own associations (by app id, or to an engagement we created) are skipped before any HubSpot call; no contact side → ignored', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', {});
    // A task we created earlier (side_effects holds its HubSpot id).
    await t.db.query(`insert into side_effects (portal_id, effect_key, kind, state, hubspot_id, created_at) values ($1, 'task:handoff:501:c1', 'task', 'done', '8001', $2)`, [PORTAL, T0]);
    await enqueue(t.db, [
      association(['0-1', '501'], ['0-27', '8001'], { changeSource: 'CRM_UI', sourceId: 'userId:1' }),
      association(['0-1', '501'], ['0-3', '3001'], { changeSource: 'INTEGRATION', sourceId: APP_ID }),
      association(['0-48', '9001'], ['0-2', '7001']),
    ]);
    expect(await inboxStatuses(t.db)).toEqual({ pending: 2, ignored: 1 });
    await kit.worker.drainOnce();
    expect(kit.evaluations).toEqual([]);
    expect(kit.hubspot.calls).toEqual([]);
  });
});
