import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { createEventParticipationProvider, participationFingerprint, sweepBudget } from '../../src/engine/event-participations';
import { API, gatewayKit } from '../hubspot/gateway-test-kit';
import { loadMarketingEventReads } from '../../src/storage/marketing-event-read-store';

/**
 * The participation refresh against HubSpot's Marketing Events API as the SDK calls it
 * (nock): GET /marketing/v3/marketing-events/ (each event with its counters and
 * updatedAt, MarketingEventPublicReadResponseV2) and
 * GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown.
 * Every request is counted by path, so the tests say which events were read.
 */
const LIST = '/marketing/v3/marketing-events/';
const BREAKDOWN = /^\/marketing\/v3\/marketing-events\/participations\/(\d+)\/breakdown/;
const DAY = 86_400_000;

type State = 'REGISTERED' | 'ATTENDED' | 'CANCELLED' | 'NO_SHOW';
interface FakeEvent {
  id: string;
  name: string;
  endAt: number;
  updatedAt: number;
  participations: { id: string; contactId: string; state: State; occurredAt: number }[];
}

function fakeMarketingEvents(events: FakeEvent[]) {
  const requests: string[] = [];
  const page = <T,>(rows: T[], after: string | undefined, limit: number) => {
    const start = Number(after ?? 0);
    const next = start + limit < rows.length ? { paging: { next: { after: String(start + limit) } } } : {};
    return { results: rows.slice(start, start + limit), ...next };
  };
  nock(API)
    .persist()
    .get((uri) => uri.startsWith(LIST))
    .query(true)
    .reply((req: Request) => {
      const url = new URL(req.url);
      requests.push(url.pathname);
      const m = BREAKDOWN.exec(url.pathname);
      if (m) fake.onBreakdown(m[1]!);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const after = url.searchParams.get('after') ?? undefined;
      if (m) {
        const e = events.find((x) => x.id === m[1]);
        if (!e) return [404, { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND', correlationId: 'c' }];
        const rows = e.participations.map((p) => ({
          id: p.id,
          createdAt: new Date(p.occurredAt).toISOString(),
          associations: { marketingEvent: { marketingEventId: e.id, name: e.name }, contact: { contactId: p.contactId, email: `${p.contactId}@example.jp` } },
          properties: { occurredAt: p.occurredAt, attendanceState: p.state },
        }));
        return [200, { total: rows.length, ...page(rows, after, limit) }];
      }
      const count = (e: FakeEvent, s: State) => e.participations.filter((p) => p.state === s).length;
      const rows = events.map((e) => ({
        objectId: e.id,
        eventName: e.name,
        endDateTime: new Date(e.endAt).toISOString(),
        customProperties: [],
        registrants: count(e, 'REGISTERED') + count(e, 'ATTENDED') + count(e, 'NO_SHOW'),
        attendees: count(e, 'ATTENDED'),
        cancellations: count(e, 'CANCELLED'),
        noShows: count(e, 'NO_SHOW'),
        createdAt: new Date(e.endAt - DAY).toISOString(),
        updatedAt: new Date(e.updatedAt).toISOString(),
      }));
      return [200, page(rows, after, limit)];
    });
  const fake = {
    /** Called before a breakdown page is answered (a test may delete the event there). */
    onBreakdown: (_eventId: string): void => undefined,
    requests,
    /** Breakdown requests per event id since the last `take()`, and the list pages. */
    take() {
      const out = { list: requests.filter((p) => p === LIST).length, events: [...new Set(requests.map((p) => BREAKDOWN.exec(p)?.[1]).filter((x): x is string => !!x))].sort(), calls: requests.length };
      requests.length = 0;
      return out;
    },
  };
  return fake;
}

/** `n` events of `size` participants each; contact ids 100000 + participant index, so every contact is in every event. */
function portalEvents(n: number, size: number, now: number): FakeEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(5000 + i),
    name: `セミナー ${i + 1}`,
    endAt: now - (i % 30) * DAY,
    updatedAt: now - 40 * DAY,
    participations: Array.from({ length: size }, (_, j) => ({ id: `${i}-${j}`, contactId: String(100_000 + j), state: (j % 3 === 0 ? 'ATTENDED' : 'REGISTERED') as State, occurredAt: now - DAY })),
  }));
}

describe('participation fingerprint and sweep budget', () => {
  it('a missing counter differs from a zero one; the sweep covers the whole list within its period', () => {
    expect(participationFingerprint({ id: '1', name: 'a', counters: { registrants: 0 } })).not.toBe(participationFingerprint({ id: '1', name: 'a', counters: {} }));
    expect(participationFingerprint({ id: '1', name: 'a', counters: { attendees: 1 }, updatedAt: 5 })).not.toBe(participationFingerprint({ id: '1', name: 'a', counters: { attendees: 1 }, updatedAt: 6 }));
    // 300 events, a refresh every 15 minutes, everything re-read within a day: 4 per refresh (96 refreshes × 4 ≥ 300).
    expect(sweepBudget(300, 900_000, DAY)).toBe(4);
    expect(sweepBudget(0, 900_000, DAY)).toBe(0);
  });
});

describe.each(testBackends())('Marketing Events participations refresh on %s', (kind) => {
  const t = useTestDatabase(kind);
  afterEach(() => {
    nock.cleanAll();
  });

  it('first refresh reads every event; with nothing changed a refresh costs only the list pages; with 3 changed it reads those 3', async () => {
    const PORTAL = '62515'; // each test its own portal: the tables outlive a test
    const { gateway, clock } = gatewayKit(t.db);
    const events = portalEvents(120, 120, clock.now());
    const hs = fakeMarketingEvents(events);
    const provider = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });

    const first = await provider.refresh(PORTAL);
    const firstCalls = hs.take();
    // 2 list pages (100 per page) + 120 events × 2 breakdown pages (100 per page).
    expect(firstCalls).toMatchObject({ list: 2, calls: 2 + 240 });
    expect(first).toMatchObject({ events: 120, participationsStored: 120 * 120, swept: [], removed: [] });

    clock.advance(900_000);
    const quiet = await provider.refresh(PORTAL);
    expect(hs.take()).toEqual({ list: 2, events: [], calls: 2 });
    expect(quiet).toMatchObject({ changed: [], swept: [], participationsStored: 0 });

    // Three changes that move a counter but, as HubSpot may do (UNVERIFIED), not updatedAt:
    // a new registration, a REGISTERED → ATTENDED, a cancellation.
    events[3]!.participations.push({ id: 'new-1', contactId: '999001', state: 'REGISTERED', occurredAt: clock.now() });
    events[40]!.participations[1]!.state = 'ATTENDED';
    events[77]!.participations[2]!.state = 'CANCELLED';
    clock.advance(900_000);
    const three = await provider.refresh(PORTAL);
    expect(hs.take()).toEqual({ list: 2, events: ['5003', '5040', '5077'], calls: 2 + 3 * 2 });
    expect(three.changed.sort()).toEqual(['5003', '5040', '5077']);

    // A change no counter shows (occurredAt moved) but updatedAt does (the other possible answer).
    events[9]!.participations[0]!.occurredAt = clock.now();
    events[9]!.updatedAt = clock.now();
    clock.advance(900_000);
    await provider.refresh(PORTAL);
    expect(hs.take()).toEqual({ list: 2, events: ['5009'], calls: 2 + 2 });

    const stored = await provider.forContacts(PORTAL, ['999001', '100001', '100002', '424242']);
    expect(stored.get('999001')).toEqual([{ eventId: '5003', eventName: 'セミナー 4', state: 'REGISTERED', occurredAt: events[3]!.participations.at(-1)!.occurredAt }]);
    expect(stored.get('100001')?.filter((p) => p.state === 'ATTENDED').map((p) => p.eventId)).toEqual(['5040']);
    expect(stored.get('100002')?.find((p) => p.eventId === '5077')?.state).toBe('CANCELLED');
    expect(stored.get('100002')).toHaveLength(120);
    expect(stored.has('424242')).toBe(false);
  });

  it('forContacts refreshes at most once per time-to-live (and at once after invalidate); concurrent callers share one refresh', async () => {
    const PORTAL = '62516'; // each test its own portal: the tables outlive a test
    const { gateway, clock } = gatewayKit(t.db);
    const events = portalEvents(2, 3, clock.now());
    const hs = fakeMarketingEvents(events);
    const provider = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });
    const [a, b] = await Promise.all([provider.forContacts(PORTAL, ['100000']), provider.forContacts(PORTAL, ['100001'])]);
    expect(a.get('100000')?.map((p) => p.state)).toEqual(['ATTENDED', 'ATTENDED']);
    expect(b.get('100001')?.map((p) => p.state)).toEqual(['REGISTERED', 'REGISTERED']);
    expect(hs.take()).toMatchObject({ list: 1, events: ['5000', '5001'] });

    events[0]!.participations[1]!.state = 'ATTENDED';
    clock.advance(899_999);
    expect((await provider.forContacts(PORTAL, ['100001'])).get('100001')?.map((p) => p.state)).toEqual(['REGISTERED', 'REGISTERED']);
    expect(hs.take().calls).toBe(0);
    clock.advance(1);
    expect((await provider.forContacts(PORTAL, ['100001'])).get('100001')?.map((p) => p.state).sort()).toEqual(['ATTENDED', 'REGISTERED']);
    expect(hs.take()).toMatchObject({ list: 1, events: ['5000'] });

    provider.invalidate(PORTAL);
    await provider.forContacts(PORTAL, ['100001']);
    expect(hs.take()).toEqual({ list: 1, events: [], calls: 1 });
  });

  it('processes share the refresh: a second process skips its own while the first one\'s is fresh', async () => {
    const PORTAL = '62519';
    const { gateway, clock } = gatewayKit(t.db);
    const events = portalEvents(2, 3, clock.now());
    const hs = fakeMarketingEvents(events);
    const web = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });
    const worker = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });
    await web.forContacts(PORTAL, ['100000']);
    expect(hs.take()).toMatchObject({ list: 1, events: ['5000', '5001'] });
    // The worker's first look: the web process refreshed a moment ago, the rows are there.
    clock.advance(60_000);
    expect((await worker.forContacts(PORTAL, ['100000'])).get('100000')).toHaveLength(2);
    expect(hs.take().calls).toBe(0);
    // Due again: whichever asks first lists; the other finds that refresh fresh.
    clock.advance(900_000);
    await worker.forContacts(PORTAL, ['100000']);
    await web.forContacts(PORTAL, ['100000']);
    expect(hs.take()).toEqual({ list: 1, events: [], calls: 1 });
    // invalidate (the sandbox's participation hook) refreshes at once, whatever the database says.
    worker.invalidate(PORTAL);
    await worker.forContacts(PORTAL, ['100000']);
    expect(hs.take()).toEqual({ list: 1, events: [], calls: 1 });
  });

  it('events gone from the list or past the look-back lose their rows; a rename needs no re-read', async () => {
    const PORTAL = '62517'; // each test its own portal: the tables outlive a test
    const { gateway, clock } = gatewayKit(t.db);
    const events = portalEvents(3, 2, clock.now());
    events[2]!.endAt = clock.now() - 170 * DAY;
    const hs = fakeMarketingEvents(events);
    const provider = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });
    await provider.refresh(PORTAL);
    expect((await provider.forContacts(PORTAL, ['100000'])).get('100000')?.map((p) => p.eventId)).toEqual(['5000', '5001', '5002']);
    hs.take();

    events.splice(1, 1);
    events[0]!.name = '新製品セミナー（東京）';
    // Listed, then deleted before its participations are read (404): skipped, not a failed refresh.
    const vanishing = { ...portalEvents(1, 1, clock.now())[0]!, id: '5999' };
    events.push(vanishing);
    hs.onBreakdown = (id) => {
      if (id === '5999') events.splice(events.indexOf(vanishing), 1);
    };
    clock.advance(11 * DAY); // event 5002 ended 181 days ago now
    const report = await provider.refresh(PORTAL);
    expect(report.removed).toEqual(['5001', '5002']);
    expect(report.changed).toEqual(['5999']);
    expect((await loadMarketingEventReads(t.db, PORTAL)).has('5999')).toBe(false);
    // Every stored event is older than the sweep period now: the budget re-reads one (⌈1 × 15 min / 24 h⌉).
    expect(report.swept).toEqual(['5000']);
    const left = (await provider.forContacts(PORTAL, ['100000'])).get('100000');
    expect(left).toEqual([{ eventId: '5000', eventName: '新製品セミナー（東京）', state: 'ATTENDED', occurredAt: expect.any(Number) }]);
  });

  it('the safety sweep heals a change neither the counters nor updatedAt show, a few events per refresh', async () => {
    const PORTAL = '62518'; // each test its own portal: the tables outlive a test
    const { gateway, clock } = gatewayKit(t.db);
    const events = portalEvents(8, 2, clock.now());
    const hs = fakeMarketingEvents(events);
    // 8 events, refreshed every 6 h, all re-read within a day: 2 per refresh.
    const provider = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now(), ttlSeconds: 6 * 3600, fullSweepMs: DAY });
    await provider.refresh(PORTAL);
    hs.take();
    // One contact's registration replaced by another's: same counters, same updatedAt.
    events[5]!.participations[1] = { id: 'swap', contactId: '777', state: 'REGISTERED', occurredAt: clock.now() };
    clock.advance(6 * 3600_000);
    await provider.refresh(PORTAL);
    expect(hs.take().events).toEqual([]);
    expect((await provider.forContacts(PORTAL, ['777'])).has('777')).toBe(false);

    clock.advance(DAY - 6 * 3600_000);
    const readPerRefresh: string[][] = [];
    for (let i = 0; i < 4; i++) {
      readPerRefresh.push((await provider.refresh(PORTAL)).swept);
      clock.advance(6 * 3600_000);
    }
    expect(readPerRefresh.map((r) => r.length)).toEqual([2, 2, 2, 2]);
    expect(readPerRefresh.flat().sort()).toEqual(events.map((e) => e.id).sort());
    expect((await provider.forContacts(PORTAL, ['777'])).get('777')?.map((p) => p.eventId)).toEqual(['5005']);
  });
});
