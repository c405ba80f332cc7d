/**
 * `company_cache` (0120_company_cache.sql): primary companies as last read from
 * HubSpot, per portal, invalidated by company webhooks (app/src/engine/company-cache.ts).
 * The only SQL for the table.
 */
import type { Queryable } from './database';

/** Rows per INSERT statement (4 parameters each plus 2 shared, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;

export interface CachedCompany {
  id: string;
  properties: Record<string, string | null | undefined>;
}

/** The cached companies among `companyIds` read at or after `freshSince` and not invalidated since. */
export async function loadCachedCompanies(db: Queryable, portalId: string, companyIds: readonly string[], freshSince: number): Promise<Map<string, CachedCompany>> {
  const out = new Map<string, CachedCompany>();
  if (companyIds.length === 0) return out;
  const res = await db.query<{ company_id: number | string; properties: Record<string, string | null | undefined> }>(
    `select company_id, properties from company_cache
     where portal_id = $1 and company_id = any($2::bigint[]) and properties is not null and read_at >= $3`,
    [portalId, [...new Set(companyIds)], freshSince],
  );
  for (const r of res.rows) out.set(String(r.company_id), { id: String(r.company_id), properties: r.properties });
  return out;
}

/**
 * Stores companies read from HubSpot by a read that started at `readStartedAt`. A row
 * invalidated after that moment keeps its invalidation: the read may predate the change.
 * The same millisecond counts as after (the worker invalidates, then reads, within one batch).
 */
export async function saveCachedCompanies(db: Queryable, portalId: string, companies: readonly CachedCompany[], readStartedAt: number): Promise<void> {
  for (let i = 0; i < companies.length; i += ROWS_PER_STATEMENT) {
    const group = companies.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [portalId, readStartedAt];
    const values = group.map((c) => {
      params.push(c.id, JSON.stringify(c.properties));
      return `($1, $${params.length - 1}, $${params.length}::jsonb, $2)`;
    });
    await db.query(
      `insert into company_cache (portal_id, company_id, properties, read_at) values ${values.join(', ')}
       on conflict (portal_id, company_id) do update set properties = excluded.properties, read_at = excluded.read_at, invalidated_at = null
       where company_cache.invalidated_at is null or company_cache.invalidated_at <= excluded.read_at`,
      params,
    );
  }
}

/** A company changed (its webhook arrived): its cached row is no longer used, and an older read in flight cannot restore it. */
export async function invalidateCachedCompanies(db: Queryable, portalId: string, companyIds: readonly string[], now: number): Promise<void> {
  if (companyIds.length === 0) return;
  await db.query(
    `insert into company_cache (portal_id, company_id, properties, read_at, invalidated_at)
     select $1, id, null, $3, $3 from unnest($2::bigint[]) as id
     on conflict (portal_id, company_id) do update set properties = null, invalidated_at = $3`,
    [portalId, [...new Set(companyIds)], now],
  );
}

/** Uninstall: the portal's cached companies go with its other data. */
export async function deleteCompanyCache(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from company_cache where portal_id = $1', [portalId]);
}
