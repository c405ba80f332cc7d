import type { Owner } from '../domain/types';
import type { HubSpotCall } from './call-with-retry';
import { HubSpotApiError } from './hubspot-errors';
import type { HubSpotCardReads, HubSpotGateway, PortalUserRecord } from './hubspot-gateway-types';
import { OWNERS_PAGE_SIZE } from './hubspot-limits';
import { toOwner } from './record-mapping';

/** Reads about the portal itself: owners and their teams, users, lifecycle stages, time zone. */
export type PortalReads = Pick<HubSpotGateway, 'listOwners' | 'getLifecycleStages' | 'getPortalTimeZone'> & Pick<HubSpotCardReads, 'getUser'>;

export function createPortalReads(call: HubSpotCall): PortalReads {
  return {
    async listOwners(portalId) {
      const owners: Owner[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'owners.list', 'standard', (a) => a.owners.getPage(undefined, after, OWNERS_PAGE_SIZE, false));
        for (const o of res.results) owners.push(toOwner(o));
        after = res.paging?.next?.after;
      } while (after);
      return owners;
    },

    async getUser(portalId, userId): Promise<PortalUserRecord | null> {
      try {
        // settings.users.read scope; https://developers.hubspot.com/docs/api-reference/settings-user-provisioning-v3/guide
        const u = await call(portalId, 'settings.users.get', 'standard', (a) => a.users.getById(userId));
        const teamIds = [...(u.primaryTeamId ? [u.primaryTeamId] : []), ...(u.secondaryTeamIds ?? [])].map(String);
        return { id: String(u.id), email: u.email, superAdmin: u.superAdmin === true, teamIds };
      } catch (err) {
        // Unknown and deactivated users answer 404: not a user of this portal (the caller refuses them).
        if (err instanceof HubSpotApiError && err.category === 'not_found') return null;
        throw err;
      }
    },

    async getLifecycleStages(portalId) {
      const prop = await call(portalId, 'properties.contacts.lifecyclestage', 'standard', (a) => a.properties.getByName('contacts', 'lifecyclestage', false));
      // Stages are customisable per portal; their pipeline order is displayOrder.
      return [...prop.options].sort((x, y) => (x.displayOrder ?? 0) - (y.displayOrder ?? 0)).map((o) => o.value);
    },

    async getPortalTimeZone(portalId) {
      // Account details are not in @hubspot/api-client 14; plain GET with the same token.
      // https://developers.hubspot.com/docs/api/settings/account-information-api
      const details = (await call(portalId, 'account-info.details', 'standard', (a) => a.raw('/account-info/v3/details'))) as { timeZone?: unknown };
      return typeof details.timeZone === 'string' && details.timeZone !== '' ? details.timeZone : 'UTC';
    },
  };
}
