import type { HubSpotCall } from './call-with-retry';
import type { ContactParticipation, HubSpotGateway, MarketingEventSummary } from './hubspot-gateway-types';
import { toMs } from './record-mapping';

/**
 * Marketing events and their participations (attendance states), pages followed.
 * The events list carries each event's participation counters and `updatedAt`
 * (SDK model MarketingEventPublicReadResponseV2; GET /marketing/v3/marketing-events,
 * https://developers.hubspot.com/docs/api-reference/legacy/marketing/marketing-events/get-marketing-events):
 * the participation refresh compares them instead of reading every event's participations.
 */
export type MarketingEvents = Pick<HubSpotGateway, 'listMarketingEvents' | 'listEventParticipations'>;

export function createMarketingEvents(call: HubSpotCall): MarketingEvents {
  return {
    async listMarketingEvents(portalId) {
      const events: MarketingEventSummary[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'marketing-events.list', 'standard', (a) => a.marketingEvents.getAll(after, 100));
        for (const e of res.results) {
          events.push({
            id: String(e.objectId),
            name: e.eventName,
            ...(e.startDateTime ? { startAt: toMs(e.startDateTime) } : {}),
            ...(e.endDateTime ? { endAt: toMs(e.endDateTime) } : {}),
            ...(e.updatedAt ? { updatedAt: toMs(e.updatedAt) } : {}),
            counters: { registrants: e.registrants, attendees: e.attendees, cancellations: e.cancellations, noShows: e.noShows },
          });
        }
        after = res.paging?.next?.after;
      } while (after);
      return events;
    },

    async listEventParticipations(portalId, event) {
      const out: ContactParticipation[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'marketing-events.participations', 'standard', (a) =>
          a.participations.getParticipationsBreakdownByMarketingEventId(Number(event.id), undefined, undefined, 100, after),
        );
        for (const p of res.results) {
          const state = String(p.properties.attendanceState);
          if (state !== 'REGISTERED' && state !== 'ATTENDED' && state !== 'CANCELLED' && state !== 'NO_SHOW') continue;
          out.push({
            participationId: String(p.id),
            contactId: String(p.associations.contact.contactId),
            participation: { eventId: event.id, eventName: event.name, state, occurredAt: Number(p.properties.occurredAt) },
          });
        }
        after = res.paging?.next?.after;
      } while (after);
      return out;
    },
  };
}
