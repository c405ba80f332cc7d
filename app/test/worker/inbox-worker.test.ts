import { beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase, withTestDatabase } from '../../../test/kit/use-test-database';
import type { PlannedTask } from '../../src/domain/types';
import { HubSpotApiError } from '../../src/hubspot/hubspot-errors';
import { InstallNotActiveError } from '../../src/hubspot/token-service';
import { claimPortalLease } from '../../src/storage/portal-lease-store';
import { APP_ID, contactEvent, enqueue, FakeHubSpot, inboxStatuses, PORTAL, T0, workerKit } from './worker-test-kit';

const TABLES = ['webhook_inbox', 'signal_ledger', 'handoff_log', 'side_effects', 'sla_clocks', 'round_robin_counts', 'pipeline_written_values', 'inbox_portal_leases', 'installs'];

function handoffTask(contactId: string): PlannedTask {
  return {
    key: `task:handoff:${contactId}:c1`,
    ownerId: '77',
    subject: '初回接触 / First touch',
    body: 'BANT',
    dueAt: T0 + 86_400_000,
    priority: 'HIGH',
    type: 'CALL',
    associations: { contactId },
  };
}

describe.each(testBackends())('inbox worker on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    for (const table of TABLES) await t.db.query(`delete from ${table}`);
  });

  it('coalesces all pending events of a contact into one evaluation and one batch read', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', { jobtitle: '部長', lifecyclestage: 'lead' });
    kit.hubspot.contacts.set('502', { jobtitle: 'VP' });
    // Out of order across two deliveries.
    await enqueue(t.db, [contactEvent('501', { occurredAt: T0 - 100 }), contactEvent('502')]);
    await enqueue(t.db, [contactEvent('501', { occurredAt: T0 - 500 }), contactEvent('501', { occurredAt: T0 - 300, subscriptionType: 'contact.creation' })]);
    const summary = await kit.worker.drainOnce();
    expect(summary).toEqual({ portals: 1, eventsDone: 4, eventsFailed: 0, eventsParked: 0 });
    expect(kit.evaluations.map((s) => s.contact.id).sort()).toEqual(['501', '502']);
    const reads = kit.hubspot.calls.filter((c) => c.method === 'readContacts');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.ids!.sort()).toEqual(['501', '502']);
    expect(await inboxStatuses(t.db)).toEqual({ done: 4 });
    // Nothing left: a second pass does nothing and calls nothing.
    const calls = kit.hubspot.calls.length;
    expect(await kit.worker.drainOnce()).toEqual({ portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 });
    expect(kit.hubspot.calls.length).toBe(calls);
  });

  it('applies the plan: batch update, task once, ledger, hand-off log, SLA clock with the task id, round-robin count', async () => {
    const kit = workerKit(t.db, {
      plan: (s, now) => ({
        contactProperties: { tossup_stage: 'sql', lifecyclestage: 'salesqualifiedlead' },
        tasks: [handoffTask(s.contact.id)],
        notes: [{ key: `note:handoff:${s.contact.id}:c1`, body: 'BANT', timestamp: now, associations: { contactId: s.contact.id } }],
        ledgerAppend: [{ signalKey: 'handoff:c1', kind: 'handoff', occurredAt: now, details: {} }],
        handoffLog: [{ dedupeKey: `handoff:${s.contact.id}:c1`, action: 'handoff', toOwnerId: '77', details: { bant: 2 }, at: now }],
        slaClock: {
          handoffAt: now,
          repOwnerId: '77',
          firstTouchDueAt: now + 86_400_000,
          statusUpdateDueAt: now + 172_800_000,
          firstTouchStatus: 'pending',
          statusUpdateStatus: 'pending',
          remindersSent: [],
          escalated: { firstTouch: false, statusUpdate: false },
        },
        roundRobinAssignment: { pool: 'sales', ownerId: '77' },
      }),
    });
    kit.hubspot.contacts.set('501', { lifecyclestage: 'marketingqualifiedlead' });
    await enqueue(t.db, [contactEvent('501')]);
    await kit.worker.drainOnce();

    expect(kit.hubspot.updates).toEqual([{ id: '501', properties: { tossup_stage: 'sql', lifecyclestage: 'salesqualifiedlead' } }]);
    expect(kit.hubspot.count('createTasks')).toBe(1);
    expect(kit.hubspot.count('createNotes')).toBe(1);
    const taskId = [...kit.hubspot.created.values()].find((c) => c.kind === 'task')!.id;
    const clock = await t.db.query<{ state: { handoffTaskId: string }; next_check_at: number }>('select state, next_check_at from sla_clocks');
    expect(clock.rows[0]).toMatchObject({ state: { handoffTaskId: taskId }, next_check_at: T0 + 86_400_000 });
    expect((await t.db.query('select 1 from signal_ledger')).rows.length).toBe(1);
    expect((await t.db.query('select 1 from handoff_log')).rows.length).toBe(1);
    expect((await t.db.query<{ assignments: number }>('select assignments from round_robin_counts')).rows[0]!.assignments).toBe(1);

    // Redelivery of the same change (a new event for the same contact) and a replay:
    // the core plans the same keys; nothing is created twice, nothing logged twice.
    await enqueue(t.db, [contactEvent('501', { propertyName: 'firstname', propertyValue: '太郎' })]);
    await kit.worker.drainOnce();
    expect(kit.hubspot.count('createTasks')).toBe(1);
    expect(kit.hubspot.count('createNotes')).toBe(1);
    expect([...kit.hubspot.created.values()].filter((c) => c.kind === 'task')).toHaveLength(1);
    expect((await t.db.query('select 1 from handoff_log')).rows.length).toBe(1);
    expect((await t.db.query('select 1 from signal_ledger')).rows.length).toBe(1);
  });

  it('skips our own writes echoed back before any HubSpot call (no loop)', async () => {
    const kit = workerKit(t.db, { plan: () => ({ contactProperties: { tossup_score: '75' } }) });
    kit.hubspot.contacts.set('501', {});
    await enqueue(t.db, [contactEvent('501')]);
    await kit.worker.drainOnce();
    expect(kit.hubspot.updates).toHaveLength(1);
    const before = kit.hubspot.calls.length;

    // HubSpot now sends the property change our write caused: by value, and by source.
    await enqueue(t.db, [
      contactEvent('501', { propertyName: 'tossup_score', propertyValue: '75', changeSource: 'INTEGRATION', sourceId: undefined }),
      contactEvent('501', { propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'INTEGRATION', sourceId: APP_ID }),
    ]);
    await kit.worker.drainOnce();
    expect(kit.hubspot.calls.length).toBe(before);
    expect(kit.evaluations).toHaveLength(1);
    expect(await inboxStatuses(t.db)).toEqual({ done: 3 });

    // A user changing the same property to another value is not ours.
    await enqueue(t.db, [contactEvent('501', { propertyName: 'tossup_score', propertyValue: '10' })]);
    await kit.worker.drainOnce();
    expect(kit.evaluations).toHaveLength(2);
  });

  it('resolves engagement and company events to their contacts with batch association reads', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', {});
    kit.hubspot.contacts.set('502', {});
    kit.hubspot.associations.set('calls:9001:contacts', ['501']);
    kit.hubspot.associations.set('calls:9002:contacts', ['501']);
    kit.hubspot.associations.set('companies:7001:contacts', ['502']);
    const call = (id: string) => contactEvent('0', { subscriptionType: 'object.creation', objectTypeId: '0-48', objectId: id, propertyName: undefined, propertyValue: undefined });
    await enqueue(t.db, [call('9001'), call('9002'), contactEvent('0', { subscriptionType: 'company.propertyChange', objectId: '7001', propertyName: 'numberofemployees', propertyValue: '800' })]);
    await kit.worker.drainOnce();
    expect(kit.hubspot.calls.filter((c) => c.method.startsWith('readAssociations'))).toEqual([
      { method: 'readAssociations:calls:contacts', portalId: PORTAL, ids: ['9001', '9002'] },
      { method: 'readAssociations:companies:contacts', portalId: PORTAL, ids: ['7001'] },
    ]);
    const s501 = kit.evaluations.find((s) => s.contact.id === '501')!;
    expect(s501.observations.map((o) => o.signalKey).sort()).toEqual(['call:9001', 'call:9002']);
    expect(kit.evaluations.map((s) => s.contact.id).sort()).toEqual(['501', '502']);
  });

  it('crash after the inbox insert: the worker processes the stored events exactly once', async () => {
    // The receiver stored and acknowledged; the process died before any processing.
    await enqueue(t.db, [contactEvent('501'), contactEvent('501')]);
    const kit = workerKit(t.db, { plan: (s) => ({ tasks: [handoffTask(s.contact.id)] }) });
    kit.hubspot.contacts.set('501', {});
    await kit.worker.drainOnce();
    await kit.worker.drainOnce();
    expect(kit.evaluations).toHaveLength(1);
    expect(kit.hubspot.count('createTasks')).toBe(1);
  });

  it('failures back off exponentially and park after maxAttempts, kept with the error and counted', async () => {
    const kit = workerKit(t.db, { options: { maxAttempts: 3, baseBackoffMs: 1_000, maxBackoffMs: 10_000 } });
    kit.hubspot.contacts.set('501', {});
    kit.hubspot.failWith = new HubSpotApiError('contacts.batch.read', PORTAL, 'rate_limit', 429, 'ten secondly rolling');
    await enqueue(t.db, [contactEvent('501'), contactEvent('502')]);

    expect(await kit.worker.drainOnce()).toMatchObject({ eventsFailed: 2, eventsParked: 0 });
    let row = await t.db.query<{ attempts: number; next_attempt_at: number; status: string; last_error: string }>('select * from webhook_inbox order by id limit 1');
    expect(row.rows[0]).toMatchObject({ attempts: 1, status: 'pending', next_attempt_at: T0 + 1_000 });
    expect(row.rows[0]!.last_error).toContain('rate_limit');
    // Not yet due: nothing happens.
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 0 });
    kit.clock.advance(1_000);
    await kit.worker.drainOnce();
    row = await t.db.query('select * from webhook_inbox order by id limit 1');
    expect(row.rows[0]).toMatchObject({ attempts: 2, next_attempt_at: T0 + 1_000 + 2_000 });
    kit.clock.advance(2_000);
    expect(await kit.worker.drainOnce()).toMatchObject({ eventsParked: 2 });
    expect(await inboxStatuses(t.db)).toEqual({ parked: 2 });
    expect(await kit.metrics.registry.getSingleMetricAsString('tossup_inbox_parked_total')).toContain('tossup_inbox_parked_total{reason="max_attempts"} 2');
    expect(await kit.metrics.registry.getSingleMetricAsString('tossup_inbox_depth')).toContain('tossup_inbox_depth{status="parked"} 2');
    // Parked events are never retried by the worker.
    kit.hubspot.failWith = undefined;
    kit.clock.advance(86_400_000);
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 0 });
  });

  it('an inactive install makes the portal wait without using attempts; uninstalled portals are skipped', async () => {
    const kit = workerKit(t.db, { options: { installPauseMs: 60_000 } });
    kit.hubspot.contacts.set('501', {});
    kit.hubspot.failWith = new InstallNotActiveError(PORTAL, 'disconnected');
    await enqueue(t.db, [contactEvent('501')]);
    await kit.worker.drainOnce();
    const row = await t.db.query<{ attempts: number; status: string; next_attempt_at: number }>('select attempts, status, next_attempt_at from webhook_inbox');
    expect(row.rows[0]).toEqual({ attempts: 0, status: 'pending', next_attempt_at: T0 + 60_000 });

    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values ($1, 'uninstalled', 0, 0)`, [PORTAL]);
    kit.hubspot.failWith = undefined;
    kit.clock.advance(60_000);
    const calls = kit.hubspot.calls.length;
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 0 });
    expect(kit.hubspot.calls.length).toBe(calls);
    expect(await inboxStatuses(t.db)).toEqual({ pending: 1 });
  });

  it('privacy deletion purges the contact\'s ledger, clock and stored payloads and anonymises its log, without reading HubSpot', async () => {
    const kit = workerKit(t.db);
    await t.db.query(`insert into signal_ledger (portal_id, contact_id, signal_key, kind, occurred_at, recorded_at) values ($1, 501, 'form:a:1', 'form_submission', 1, 1), ($1, 502, 'form:a:1', 'form_submission', 1, 1)`, [PORTAL]);
    await t.db.query(`insert into handoff_log (portal_id, contact_id, action, at, dedupe_key) values ($1, 501, 'handoff', 1, 'h501')`, [PORTAL]);
    await t.db.query(`insert into sla_clocks (portal_id, contact_id, state, updated_at) values ($1, 501, '{}'::jsonb, 1)`, [PORTAL]);
    await enqueue(t.db, [contactEvent('501', { propertyName: 'email', propertyValue: 'taro@example.jp' })]);
    await kit.worker.drainOnce();
    await enqueue(t.db, [contactEvent('501', { subscriptionType: 'contact.privacyDeletion', propertyName: undefined, propertyValue: undefined })]);
    const calls = kit.hubspot.calls.length;
    await kit.worker.drainOnce();
    expect(kit.hubspot.calls.length).toBe(calls);
    expect((await t.db.query('select contact_id from signal_ledger')).rows).toEqual([{ contact_id: 502 }]);
    // The audit entry stays, under a negative surrogate id and a dedupe key without the contact id.
    const log = await t.db.query<{ contact_id: number; action: string; dedupe_key: string }>('select contact_id, action, dedupe_key from handoff_log');
    expect(log.rows).toHaveLength(1);
    expect(Number(log.rows[0]!.contact_id)).toBeLessThan(0);
    expect(log.rows[0]).toMatchObject({ action: 'handoff', dedupe_key: expect.stringMatching(/^erased:\d+$/) });
    expect((await t.db.query('select 1 from sla_clocks')).rows.length).toBe(0);
    const payloads = await t.db.query<{ payload: Record<string, unknown> }>('select payload from webhook_inbox where object_id = 501 order by id');
    expect(payloads.rows[0]!.payload).toEqual({});
    expect(JSON.stringify(payloads.rows)).not.toContain('taro@example.jp');
  });

  it('merge moves ledger and SLA clock to the surviving contact and evaluates only it', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('601', {});
    await t.db.query(
      `insert into signal_ledger (portal_id, contact_id, signal_key, kind, occurred_at, recorded_at) values ($1, 602, 'form:a:1', 'form_submission', 1, 1), ($1, 601, 'form:a:1', 'form_submission', 1, 1), ($1, 602, 'email_open:3', 'email_open', 2, 2)`,
      [PORTAL],
    );
    await t.db.query(`insert into sla_clocks (portal_id, contact_id, state, updated_at) values ($1, 602, '{"repOwnerId":"77"}'::jsonb, 1)`, [PORTAL]);
    await enqueue(t.db, [contactEvent('601', { subscriptionType: 'contact.merge', primaryObjectId: '601', mergedObjectIds: ['602'], newObjectId: '601', propertyName: undefined, propertyValue: undefined })]);
    await kit.worker.drainOnce();
    const ledger = await t.db.query<{ contact_id: number; signal_key: string }>('select contact_id, signal_key from signal_ledger order by signal_key');
    expect(ledger.rows).toEqual([
      { contact_id: 601, signal_key: 'email_open:3' },
      { contact_id: 601, signal_key: 'form:a:1' },
    ]);
    expect((await t.db.query('select contact_id from sla_clocks')).rows).toEqual([{ contact_id: 601 }]);
    expect(kit.evaluations.map((s) => s.contact.id)).toEqual(['601']);
    expect(kit.evaluations[0]!.ledger).toHaveLength(2);
    expect(kit.evaluations[0]!.slaClock).toEqual({ repOwnerId: '77' });
  });

  it('a deleted contact stops its SLA clock and is not evaluated; unknown contacts produce no plan', async () => {
    const kit = workerKit(t.db);
    await t.db.query(`insert into sla_clocks (portal_id, contact_id, state, updated_at) values ($1, 501, '{}'::jsonb, 1)`, [PORTAL]);
    await enqueue(t.db, [contactEvent('501'), contactEvent('501', { subscriptionType: 'contact.deletion', propertyName: undefined, propertyValue: undefined }), contactEvent('999')]);
    await kit.worker.drainOnce();
    expect((await t.db.query('select 1 from sla_clocks')).rows.length).toBe(0);
    expect(kit.hubspot.calls.filter((c) => c.method === 'readContacts')).toEqual([{ method: 'readContacts', portalId: PORTAL, ids: ['999'] }]);
    expect(kit.evaluations).toHaveLength(0);
    expect(await inboxStatuses(t.db)).toEqual({ done: 3 });
  });

  it('a portal leased by another worker is left alone until the lease expires', async () => {
    const kit = workerKit(t.db, { options: { leaseMs: 30_000 } });
    kit.hubspot.contacts.set('501', {});
    await enqueue(t.db, [contactEvent('501')]);
    expect(await claimPortalLease(t.db, PORTAL, 'worker-b', T0, 30_000)).toBe(true);
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 0 });
    kit.clock.advance(30_001);
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 1, eventsDone: 1 });
  });

  it('reads history only for contacts with more than one unrecorded conversion (50 per batch, not for everyone)', async () => {
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', { num_conversion_events: '1' });
    kit.hubspot.contacts.set('502', { num_conversion_events: '3' });
    await enqueue(t.db, [contactEvent('501'), contactEvent('502')]);
    await kit.worker.drainOnce();
    expect(kit.hubspot.calls.filter((c) => c.method === 'readContactsHistory')).toEqual([{ method: 'readContactsHistory', portalId: PORTAL, ids: ['502'] }]);
  });
});

describe('inbox worker with a fake HubSpot: failure isolation between portals', () => {
  it('one portal failing does not stop another portal being processed', async () => {
    await withTestDatabase('pglite', async (t) => {
      const kit = workerKit(t.db);
      const original = kit.hubspot.readContacts.bind(kit.hubspot);
      kit.hubspot.readContacts = async (portalId, ids, p, h) => {
        if (portalId === '1111') throw new HubSpotApiError('contacts.batch.read', portalId, 'server', 500, 'boom');
        return original(portalId, ids, p, h);
      };
      kit.hubspot.contacts.set('501', {});
      await enqueue(t.db, [contactEvent('501', { portalId: '1111' }), contactEvent('501', { portalId: PORTAL })]);
      const s = await kit.worker.drainOnce();
      expect(s).toMatchObject({ portals: 2, eventsDone: 1, eventsFailed: 1 });
      expect(kit.evaluations.map((e) => e.portalId)).toEqual([PORTAL]);
    });
  });

  it('FakeHubSpot is only a stand-in: it refuses unknown methods loudly', async () => {
    await withTestDatabase('pglite', async (t) => {
      await expect(new FakeHubSpot(t.db, { now: () => 0, set: () => undefined, advance: () => undefined }).searchContactsModifiedSince()).rejects.toThrow('not used');
    });
  });
});
