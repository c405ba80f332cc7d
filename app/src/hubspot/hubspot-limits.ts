/**
 * Limits HubSpot imposes on an OAuth (marketplace) app, one place, each next to
 * the page that states it. The gateway stays below them on its own instead of
 * discovering them through 429s.
 */

/**
 * Burst limit per installing portal: 110 requests per rolling 10 s for public OAuth
 * apps. We budget 100 to leave headroom for calls we do not see (token refresh,
 * a second deployment during a rollout).
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
export const HUBSPOT_BURST_LIMIT = 110;
export const HUBSPOT_BURST_WINDOW_MS = 10_000;
export const DEFAULT_BURST_BUDGET = 100;

/**
 * CRM search: 5 requests per second per portal, 200 results per page, at most
 * 10,000 results per query (a deeper page is a 400).
 * https://developers.hubspot.com/docs/api/crm/search#limitations
 */
export const SEARCH_REQUESTS_PER_SECOND = 5;
export const SEARCH_WINDOW_MS = 1_000;
export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_RESULT_CAP = 10_000;

/**
 * Batch endpoints take 100 inputs; a batch read with propertiesWithHistory takes 50.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm#batch-endpoints
 */
export const BATCH_LIMIT = 100;
export const BATCH_LIMIT_WITH_HISTORY = 50;

/**
 * Associations v4 batch read: 1,000 inputs per call per the v4 reference; we keep
 * to 100 so one slow page does not hold a large share of the portal's budget.
 * https://developers.hubspot.com/docs/api/crm/associations/v4
 */
export const ASSOCIATION_BATCH_LIMIT = 100;

/** GET /crm/v3/owners pages hold at most 500. https://developers.hubspot.com/docs/api/crm/owners */
export const OWNERS_PAGE_SIZE = 500;

/**
 * HubSpot holds a record lock for about 2 s and answers 423 meanwhile; treat it as
 * a short 429. https://developers.hubspot.com/docs/api/error-handling
 */
export const LOCKED_RETRY_MS = 2_000;

/** Association type ids (HUBSPOT_DEFINED). https://developers.hubspot.com/docs/api/crm/associations/v4#association-type-id-values */
export const ASSOCIATION_TYPE = {
  taskToContact: 204,
  taskToCompany: 192,
  taskToDeal: 216,
  noteToContact: 202,
  noteToCompany: 190,
  noteToDeal: 214,
} as const;
