import { expect, it } from 'vitest';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';
import {
  deleteParticipationsOfEvents,
  deletePortalParticipations,
  loadParticipationsOfContacts,
  replaceEventParticipations,
  type StoredParticipation,
} from '../../src/storage/event-participation-store';
import { deletePortalMarketingEventReads, loadMarketingEventReads, saveMarketingEventRead } from '../../src/storage/marketing-event-read-store';
import { loadParticipationRefreshedAt, saveParticipationRefreshedAt } from '../../src/storage/participation-refresh-store';
import { onContactPrivacyDeleted, onContactsMerged } from '../../src/worker/contact-lifecycle';

const p = (participationId: string, contactId: string, state: StoredParticipation['state'], occurredAt = 1_000): StoredParticipation => ({ participationId, contactId, state, occurredAt });

describeOnBothBackends('event participations store (event_participations, marketing_event_reads, participation_refreshes)', (t) => {
  it('the last refresh time per portal never moves back', async () => {
    expect(await loadParticipationRefreshedAt(t.db, '7')).toBeUndefined();
    await saveParticipationRefreshedAt(t.db, '7', 2_000);
    await saveParticipationRefreshedAt(t.db, '7', 1_000);
    expect(await loadParticipationRefreshedAt(t.db, '7')).toBe(2_000);
    await saveParticipationRefreshedAt(t.db, '7', 3_000);
    expect(await loadParticipationRefreshedAt(t.db, '7')).toBe(3_000);
  });

  async function seed(portalId: string) {
    await t.db.transaction(async (tx) => {
      await replaceEventParticipations(tx, portalId, 'e1', [p('1', '101', 'ATTENDED', 2_000), p('2', '102', 'REGISTERED')]);
      await saveMarketingEventRead(tx, portalId, { eventId: 'e1', eventName: '展示会', fingerprint: 'f1', readAt: 10 });
      await replaceEventParticipations(tx, portalId, 'e2', [p('3', '101', 'REGISTERED', 1_500), p('4', '103', 'NO_SHOW')]);
      await saveMarketingEventRead(tx, portalId, { eventId: 'e2', eventName: 'ウェビナー', fingerprint: 'f2', readAt: 10 });
    });
  }

  it('loads a batch of contacts with their events, in occurrence order; replacing an event replaces only its rows', async () => {
    await seed('1');
    await seed('2');
    const got = await loadParticipationsOfContacts(t.db, '1', ['101', '103', '999', 'not-a-number']);
    expect(got.get('101')).toEqual([
      { eventId: 'e2', eventName: 'ウェビナー', state: 'REGISTERED', occurredAt: 1_500 },
      { eventId: 'e1', eventName: '展示会', state: 'ATTENDED', occurredAt: 2_000 },
    ]);
    expect(got.get('103')?.map((x) => x.state)).toEqual(['NO_SHOW']);
    expect(got.has('999')).toBe(false);
    // More rows than one statement holds.
    const many = Array.from({ length: 4_500 }, (_, i) => p(`m${i}`, String(10_000 + i), 'REGISTERED'));
    await t.db.transaction((tx) => replaceEventParticipations(tx, '1', 'e1', many));
    expect((await loadParticipationsOfContacts(t.db, '1', ['101'])).get('101')?.map((x) => x.eventId)).toEqual(['e2']);
    expect((await loadParticipationsOfContacts(t.db, '1', many.map((x) => x.contactId))).size).toBe(4_500);
    // Portal 2 untouched.
    expect((await loadParticipationsOfContacts(t.db, '2', ['101'])).get('101')).toHaveLength(2);
  });

  it('rows of an event without a read row are not served; events dropped lose their rows', async () => {
    await t.db.transaction((tx) => replaceEventParticipations(tx, '3', 'orphan', [p('9', '101', 'ATTENDED')]));
    expect((await loadParticipationsOfContacts(t.db, '3', ['101'])).size).toBe(0);
    await seed('3');
    await deleteParticipationsOfEvents(t.db, '3', ['e1']);
    expect((await loadParticipationsOfContacts(t.db, '3', ['101'])).get('101')?.map((x) => x.eventId)).toEqual(['e2']);
  });

  it('privacy deletion removes the person\'s participations; a merge moves them to the survivor and marks their events for a re-read', async () => {
    await seed('4');
    await t.db.transaction((tx) => onContactPrivacyDeleted(tx, '4', '101', []));
    expect((await loadParticipationsOfContacts(t.db, '4', ['101'])).size).toBe(0);
    expect((await loadParticipationsOfContacts(t.db, '4', ['102'])).size).toBe(1);

    await t.db.transaction((tx) => onContactsMerged(tx, '4', '102', ['102', '103']));
    expect((await loadParticipationsOfContacts(t.db, '4', ['102'])).get('102')?.map((x) => x.eventId).sort()).toEqual(['e1', 'e2']);
    expect((await loadParticipationsOfContacts(t.db, '4', ['103'])).size).toBe(0);
    const reads = await loadMarketingEventReads(t.db, '4');
    // 103 took part in e2 only: e2 is read again at the next refresh, e1 keeps its fingerprint.
    expect([reads.get('e1')?.fingerprint, reads.get('e2')?.fingerprint]).toEqual(['f1', '']);
  });

  it('uninstall deletes the portal\'s rows only', async () => {
    await seed('5');
    await seed('6');
    await deletePortalParticipations(t.db, '5');
    await deletePortalMarketingEventReads(t.db, '5');
    expect((await loadParticipationsOfContacts(t.db, '5', ['101', '102', '103'])).size).toBe(0);
    expect((await loadMarketingEventReads(t.db, '5')).size).toBe(0);
    expect((await loadParticipationsOfContacts(t.db, '6', ['101'])).get('101')).toHaveLength(2);
  });
});
