import type { Filter } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter';
import { parseHubSpotTime } from '../domain/hubspot-values';
import { chunk } from './chunk';
import type { HubSpotCall } from './call-with-retry';
import type { HubSpotCardReads, HubSpotGateway, ModifiedContact } from './hubspot-gateway-types';
import { SEARCH_PAGE_SIZE, SEARCH_RESULT_CAP } from './hubspot-limits';
import type { PortalApis } from './portal-clients';
import { findMarker } from './side-effect-marker';

/**
 * CRM search, on its own 5-per-second lane: modified-contact windows for
 * reconciliation, the recently-modified sample for the card, and the marker
 * lookup that recovers idempotent creates.
 * https://developers.hubspot.com/docs/api/crm/search
 */
export type Search = Pick<HubSpotGateway, 'findByMarkers' | 'searchContactsModifiedSince' | 'listContactsModifiedBetween'> &
  Required<Pick<HubSpotGateway, 'listOpenHandoffContacts'>> &
  Pick<HubSpotCardReads, 'searchRecentlyModifiedContacts' | 'searchContactIdsByEmail'>;

type FilterOperator = Filter['operator'];
const op = (o: 'GTE' | 'LT' | 'EQ' | 'IN' | 'CONTAINS_TOKEN') => o as unknown as FilterOperator;

/** Filter groups are OR-ed; HubSpot allows 5 per search request. https://developers.hubspot.com/docs/api/crm/search#filter-search-results */
const FILTER_GROUPS_PER_SEARCH = 5;

export function createSearch(call: HubSpotCall): Search {
  const searchPage = (portalId: string, objectType: string, body: Parameters<PortalApis['objectsSearch']['doSearch']>[1]) =>
    call(portalId, `${objectType}.search`, 'search', (a) => a.objectsSearch.doSearch(objectType, body));

  const search: Search = {
    async findByMarkers(portalId, kind, markers) {
      const objectType = kind === 'task' ? 'tasks' : 'notes';
      const bodyProperty = kind === 'task' ? 'hs_task_body' : 'hs_note_body';
      const found = new Map<string, string>();
      for (const group of chunk([...markers], FILTER_GROUPS_PER_SEARCH)) {
        const res = await searchPage(portalId, objectType, {
          filterGroups: group.map((m) => ({ filters: [{ propertyName: bodyProperty, operator: op('CONTAINS_TOKEN'), value: m }] })),
          properties: [bodyProperty],
          limit: SEARCH_PAGE_SIZE,
        });
        for (const r of res.results) {
          const marker = findMarker(r.properties[bodyProperty]);
          if (marker && group.includes(marker) && !found.has(marker)) found.set(marker, String(r.id));
        }
      }
      return found;
    },

    async searchContactsModifiedSince(portalId, sinceMs, untilMs, after) {
      const res = await searchPage(portalId, 'contacts', {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_lastmodifieddate', operator: op('GTE'), value: String(sinceMs) },
              { propertyName: 'hs_lastmodifieddate', operator: op('LT'), value: String(untilMs) },
            ],
          },
        ],
        // The SDK types sorts as string[]; HubSpot documents the object form.
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
        properties: ['hs_lastmodifieddate'],
        limit: SEARCH_PAGE_SIZE,
        ...(after ? { after } : {}),
      });
      return {
        results: res.results.map((r) => ({ id: String(r.id), lastModifiedAt: parseHubSpotTime(r.properties.hs_lastmodifieddate) ?? sinceMs })),
        total: res.total,
        ...(res.paging?.next?.after ? { after: res.paging.next.after } : {}),
      };
    },

    async searchRecentlyModifiedContacts(portalId, limit) {
      const ids: string[] = [];
      let total = 0;
      let after: string | undefined;
      // A query cannot page past 10,000 results (hubspot-limits.ts), so neither can the sample.
      const wanted = Math.max(0, Math.min(limit, SEARCH_RESULT_CAP));
      do {
        const res = await searchPage(portalId, 'contacts', {
          // No filter: every contact counts towards `total`.
          filterGroups: [],
          // The SDK types sorts as string[]; HubSpot documents the object form.
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }] as unknown as string[],
          properties: ['hs_lastmodifieddate'],
          limit: Math.max(1, Math.min(SEARCH_PAGE_SIZE, wanted - ids.length)),
          ...(after ? { after } : {}),
        });
        total = res.total;
        for (const r of res.results) if (ids.length < wanted) ids.push(String(r.id));
        after = res.paging?.next?.after;
      } while (after && ids.length < wanted);
      return { ids, total };
    },

    async searchContactIdsByEmail(portalId, email) {
      // `email` is the contact's primary address, unique per portal and stored lower-case;
      // EQ on a string property compares case-insensitively in HubSpot's search
      // (https://developers.hubspot.com/docs/api/crm/search#filter-search-results).
      const res = await searchPage(portalId, 'contacts', {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: op('EQ'), value: email.trim() }] }],
        properties: ['email'],
        limit: 10,
      });
      return res.results.map((r) => String(r.id));
    },

    async listOpenHandoffContacts(portalId) {
      const out: { contactId: string; ownerId: string }[] = [];
      let after: string | undefined;
      // IN takes `values` (https://developers.hubspot.com/docs/api/crm/search#filter-search-results);
      // sorted by id so the pages are stable while the search runs.
      do {
        const res = await searchPage(portalId, 'contacts', {
          filterGroups: [{ filters: [{ propertyName: 'tossup_stage', operator: op('IN'), values: ['sql', 'accepted'] }] }],
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
          properties: ['tossup_stage', 'tossup_handoff_to'],
          limit: SEARCH_PAGE_SIZE,
          ...(after ? { after } : {}),
        });
        for (const r of res.results) {
          const ownerId = r.properties.tossup_handoff_to;
          if (ownerId && /^\d+$/.test(ownerId)) out.push({ contactId: String(r.id), ownerId });
        }
        after = res.paging?.next?.after;
      } while (after && out.length < SEARCH_RESULT_CAP);
      return out;
    },

    async listContactsModifiedBetween(portalId, sinceMs, untilMs) {
      const out: ModifiedContact[] = [];
      const windows: [number, number][] = [[sinceMs, untilMs]];
      while (windows.length > 0) {
        const [from, to] = windows.shift()!;
        let page = await search.searchContactsModifiedSince(portalId, from, to);
        // A query cannot page past 10,000 results: halve the window until each half fits.
        if (page.total > SEARCH_RESULT_CAP && to - from > 1) {
          const mid = from + Math.floor((to - from) / 2);
          windows.unshift([from, mid], [mid, to]);
          continue;
        }
        out.push(...page.results);
        while (page.after) {
          page = await search.searchContactsModifiedSince(portalId, from, to, page.after);
          out.push(...page.results);
        }
      }
      return out;
    },
  };
  return search;
}
