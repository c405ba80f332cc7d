import type { HubSpotCall } from './call-with-retry';
import type { HubSpotCardReads, PortalForm } from './hubspot-gateway-types';

/**
 * The portal's forms (Marketing Forms API v3, GET /marketing/v3/forms/, pages followed),
 * for the settings page's per-form categories. Needs the `forms` scope, which tossup asks
 * for as optional: without it HubSpot answers 403 MISSING_SCOPES and the caller falls back
 * to the form titles the app has seen (docs/hubspot-platform.md "Forms API").
 * https://developers.hubspot.com/docs/api-reference/marketing-forms-v3/guide
 */
export type Forms = Pick<HubSpotCardReads, 'listForms'>;

/** Forms per page. UNVERIFIED: HubSpot's reference shows `limit` without a documented maximum; 50 is a modest page. */
export const FORMS_PAGE_SIZE = 50;
/** Enough for any portal's settings page; a portal with more gets the first 2,000 (newest HubSpot order). */
export const FORMS_MAX = 2000;

export function createForms(call: HubSpotCall): Forms {
  return {
    async listForms(portalId) {
      const out: PortalForm[] = [];
      let after: string | undefined;
      do {
        // Only the form types a contact can submit and tossup can classify: HubSpot forms and
        // captured (non-HubSpot) forms; pop-ups (flow) and blog comments are not lead signals here.
        const res = await call(portalId, 'forms.list', 'standard', (a) => a.forms.getPage(after, FORMS_PAGE_SIZE, false, ['hubspot', 'captured']));
        for (const f of res.results) out.push({ id: String(f.id), name: String(f.name) });
        after = res.paging?.next?.after;
      } while (after && out.length < FORMS_MAX);
      return out.slice(0, FORMS_MAX);
    },
  };
}
