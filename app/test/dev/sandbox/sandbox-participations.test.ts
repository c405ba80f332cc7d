import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../../test/kit/use-test-database';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';
import { createEventParticipationProvider } from '../../../src/engine/event-participations';
import { createHubSpotGateway } from '../../../src/hubspot/hubspot-gateway';
import { createManualClock } from '../../../src/platform/clock';
import { createMetrics } from '../../../src/platform/metrics';

/**
 * The sandbox serves what the participation refresh relies on (issue 19): the events list
 * with each event's counters and updatedAt, and a scenario attendance moves them, so the
 * app's refresh reads only the event that changed — through the real SDK and gateway.
 */
const START = Date.parse('2026-06-01T00:00:00Z');
const LIST = 'GET /marketing/v3/marketing-events';
const BREAKDOWN = 'GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown';

describe.each(testBackends())('participations refresh against the sandbox on %s', (kind) => {
  const t = useTestDatabase(kind);
  let sandbox: Sandbox;
  const clock = createManualClock(START);
  beforeAll(async () => {
    sandbox = await createSandbox({ clock, rateLimit: false });
  });
  afterAll(() => sandbox.close());

  it('lists counters and updatedAt; after an attendance only that event is read again', async () => {
    const portal = sandbox.portal();
    const seeded = portal.marketingEvents[0]!;
    // Two more events with the same registrants, so "only the changed one" means something.
    for (const n of [1, 2]) portal.marketingEvents.push({ ...structuredClone(seeded), objectId: `${seeded.objectId}${n}`, externalEventId: `${seeded.externalEventId}-${n}` });
    const { access_token } = sandbox.issueTokens();
    const gateway = createHubSpotGateway({
      tokens: { getAccessToken: async () => access_token, refreshNow: async () => access_token },
      apiBaseUrl: sandbox.url,
      db: t.db,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      clock,
    });
    const listed = await gateway.listMarketingEvents(String(sandbox.portalId));
    expect(listed[0]).toMatchObject({ id: seeded.objectId, counters: { registrants: 5, attendees: 0, cancellations: 0, noShows: 0 }, updatedAt: seeded.updatedAt });

    const provider = createEventParticipationProvider({ gateway, db: t.db, now: () => clock.now() });
    const portalId = String(sandbox.portalId);
    expect((await provider.refresh(portalId)).changed).toHaveLength(3);
    sandbox.resetStats();
    expect((await provider.refresh(portalId)).changed).toEqual([]);
    expect(sandbox.stats().portals[portalId]?.endpoints).toEqual({ [LIST]: expect.objectContaining({ calls: 1 }) });

    const contactId = seeded.participations[0]!.contactId;
    const target = portal.marketingEvents[2]!;
    sandbox.scenario.attendEvent({ contactId, eventId: target.objectId });
    sandbox.resetStats();
    expect((await provider.refresh(portalId)).changed).toEqual([target.objectId]);
    const endpoints = sandbox.stats().portals[portalId]!.endpoints;
    expect([endpoints[LIST]?.calls, endpoints[BREAKDOWN]?.calls]).toEqual([1, 1]);
    const mine = (await provider.forContacts(portalId, [contactId])).get(contactId)!;
    expect(mine.map((p) => [p.eventId, p.state]).sort()).toEqual([
      [seeded.objectId, 'REGISTERED'],
      [`${seeded.objectId}1`, 'REGISTERED'],
      [target.objectId, 'ATTENDED'],
    ].sort());
  });
});
