import { beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { contactEvent, enqueue, inboxStatuses, T0, workerKit } from './worker-test-kit';

const TABLES = ['company_cache', 'webhook_inbox', 'signal_ledger', 'handoff_log', 'side_effects', 'pipeline_written_values', 'inbox_portal_leases', 'installs'];
const readIds = (kit: ReturnType<typeof workerKit>) => kit.hubspot.calls.filter((c) => c.method === 'readContacts').map((c) => [...c.ids!].sort());

// The coalescing window (app/src/worker/inbox-worker.ts, docs/decisions.md "Issue 19"):
// a hot contact's late events join its next evaluation instead of causing a re-read.
describe.each(testBackends())('coalescing window on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    for (const table of TABLES) await t.db.query(`delete from ${table}`);
  });

  it('the poll path waits until the burst paused for the quiet period, measured on the injected clock, then reads each contact once', async () => {
    const kit = workerKit(t.db, { options: { coalesceQuietMs: 3_000, coalesceMaxWaitMs: 30_000 } });
    for (const id of ['501', '502']) kit.hubspot.contacts.set(id, { jobtitle: '部長' });
    await enqueue(t.db, [contactEvent('501'), contactEvent('502')], T0);
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 0, eventsDone: 0 });
    kit.clock.advance(2_000);
    // A late event of the hot contact arrives inside the window…
    await enqueue(t.db, [contactEvent('501', { propertyName: 'hs_email_open', propertyValue: '3' })], kit.clock.now());
    kit.clock.advance(2_999);
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 0, eventsDone: 0 });
    expect(kit.hubspot.calls).toEqual([]);
    kit.clock.advance(1);
    // …and joins the same evaluation: one read of both contacts, not two reads of 501.
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 1, eventsDone: 3 });
    expect(readIds(kit)).toEqual([['501', '502']]);
    expect(kit.evaluations.map((s) => s.contact.id).sort()).toEqual(['501', '502']);
  });

  it('a sustained stream is still read every maxWait, taking only what arrived before that moment', async () => {
    const kit = workerKit(t.db, { options: { coalesceQuietMs: 3_000, coalesceMaxWaitMs: 10_000 } });
    kit.hubspot.contacts.set('501', { jobtitle: '部長' });
    // One event a second: never quiet for 3 s.
    for (let s = 0; s < 10; s++) {
      await enqueue(t.db, [contactEvent('501')], kit.clock.now());
      kit.clock.advance(1_000);
      if (s < 9) expect(await kit.worker.drainSettled()).toMatchObject({ portals: 0 });
    }
    // The oldest has waited 10 s: the portal is read, with the 10 events received so far.
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 1, eventsDone: 10 });
    expect(readIds(kit)).toEqual([['501']]);
  });

  it('events received after the settled moment wait for the next window even in the same claim', async () => {
    const kit = workerKit(t.db, { options: { coalesceQuietMs: 3_000, coalesceMaxWaitMs: 10_000, batchSize: 1 } });
    for (const id of ['501', '502']) kit.hubspot.contacts.set(id, { jobtitle: '部長' });
    await enqueue(t.db, [contactEvent('501')], T0);
    kit.clock.advance(10_000);
    // The oldest waited 10 s, so the portal is due; an event stored after that moment (a
    // delivery racing the drain) is not part of it, even though the claim has room for another batch.
    await enqueue(t.db, [contactEvent('502')], kit.clock.now() + 1);
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 1, eventsDone: 1 });
    expect(await inboxStatuses(t.db)).toEqual({ done: 1, pending: 1 });
  });

  it('drainOnce flushes without waiting (tests, the sandbox CLI and the demo move the clock by hand)', async () => {
    const kit = workerKit(t.db, { options: { coalesceQuietMs: 3_000, coalesceMaxWaitMs: 30_000 } });
    kit.hubspot.contacts.set('501', { jobtitle: '部長' });
    await enqueue(t.db, [contactEvent('501')], T0);
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 1, eventsDone: 1 });
  });

  it('a window of 0 makes the poll path process everything due at once', async () => {
    const kit = workerKit(t.db, { options: { coalesceQuietMs: 0 } });
    kit.hubspot.contacts.set('501', { jobtitle: '部長' });
    await enqueue(t.db, [contactEvent('501')], T0);
    expect(await kit.worker.drainSettled()).toMatchObject({ portals: 1, eventsDone: 1 });
  });

  it('a batch carries every pending event of the contacts it holds, so a later batch does not read them again', async () => {
    const kit = workerKit(t.db, { options: { batchSize: 2 } });
    for (const id of ['501', '502', '503']) kit.hubspot.contacts.set(id, { jobtitle: '部長' });
    // In occurrence order 501, 502, 503, 501: the last event of 501 falls outside the first two.
    await enqueue(t.db, [contactEvent('501'), contactEvent('502'), contactEvent('503'), contactEvent('501', { propertyName: 'hs_email_open', propertyValue: '1' })], T0);
    expect(await kit.worker.drainOnce()).toMatchObject({ portals: 1, eventsDone: 4 });
    expect(readIds(kit)).toEqual([['501', '502'], ['503']]);
  });

  it('company cache: a company is read once across batches and again only after its webhook', async () => {
    const kit = workerKit(t.db, { options: { batchSize: 1 }, companyCache: true });
    const worker = kit.worker;
    kit.hubspot.companies.set('7001', { numberofemployees: '800' });
    for (const id of ['501', '502']) kit.hubspot.contacts.set(id, { associatedcompanyid: '7001' });
    await enqueue(t.db, [contactEvent('501'), contactEvent('502')], T0);
    expect(await worker.drainOnce()).toMatchObject({ eventsDone: 2 });
    // Two batches (batchSize 1), one company read.
    expect(kit.hubspot.count('readContacts')).toBe(2);
    expect(kit.hubspot.count('readCompanies')).toBe(1);
    // The company changes in HubSpot; its webhook invalidates the cached copy before the snapshot reads it.
    kit.hubspot.companies.set('7001', { numberofemployees: '10' });
    kit.hubspot.associations.set('companies:7001:contacts', ['501']);
    await enqueue(t.db, [contactEvent('0', { subscriptionType: 'company.propertyChange', objectId: '7001', propertyName: 'numberofemployees', propertyValue: '10' })], T0);
    await worker.drainOnce();
    expect(kit.hubspot.count('readCompanies')).toBe(2);
    expect(kit.evaluations.at(-1)!.company?.properties.numberofemployees).toBe('10');
    // Until the next change the cached copy serves.
    await enqueue(t.db, [contactEvent('502')], T0);
    await worker.drainOnce();
    expect(kit.hubspot.count('readCompanies')).toBe(2);
    expect(kit.evaluations.at(-1)!.company?.properties.numberofemployees).toBe('10');
  });
});
