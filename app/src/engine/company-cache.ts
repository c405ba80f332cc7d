import { COMPANY_READ_PROPERTIES } from '../domain/read-properties';
import type { CrmRecord } from '../domain/types';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Queryable } from '../storage/database';
import { loadCachedCompanies, saveCachedCompanies } from '../storage/company-cache-store';

/**
 * Primary companies through the portal's company cache (storage/company-cache-store.ts):
 * a company is read from HubSpot once, then served from the database until a company
 * webhook invalidates it (the app subscribes to numberofemployees, industry and
 * hubspot_owner_id, src/app/webhooks/webhooks-hsmeta.json; process-batch.ts invalidates
 * before it builds snapshots) or its row is older than `ttlMs`. The time-to-live bounds
 * what a lost webhook or a change of a property we read but are not told about (`name`)
 * can leave stale. Shared by every process on the database, so leases moving between
 * workers do not re-read, and the card API sees what the worker saw.
 */
export interface CompanyCacheOptions {
  db: Queryable;
  now: () => number;
  /** Default 1 hour: a burst reads each company once; a lost webhook is healed within the hour (and by the next burst after it). */
  ttlMs?: number;
}

export const DEFAULT_COMPANY_CACHE_TTL_MS = 60 * 60_000;

export type ReadCompanies = (portalId: string, companyIds: readonly string[]) => Promise<CrmRecord[]>;

export function createCachedCompanyReader(gateway: Pick<HubSpotGateway, 'readCompanies'>, options: CompanyCacheOptions): ReadCompanies {
  const ttlMs = options.ttlMs ?? DEFAULT_COMPANY_CACHE_TTL_MS;
  return async (portalId, companyIds) => {
    const ids = [...new Set(companyIds)];
    const startedAt = options.now();
    const cached = await loadCachedCompanies(options.db, portalId, ids, startedAt - ttlMs);
    const missing = ids.filter((id) => !cached.has(id));
    if (missing.length === 0) return [...cached.values()];
    const read = await gateway.readCompanies(portalId, missing, COMPANY_READ_PROPERTIES);
    await saveCachedCompanies(options.db, portalId, read.map((r) => ({ id: r.id, properties: r.properties })), startedAt);
    return [...cached.values(), ...read];
  };
}
