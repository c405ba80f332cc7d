import type { Queryable } from './database';

/**
 * One drainer per portal across all processes: a lease row per portal in
 * inbox_portal_leases, taken with a single atomic upsert. It works on PGlite and on
 * a shared PostgreSQL server alike, survives a crashed holder (the lease expires),
 * and is checked again inside the commit transaction (fencing): a worker whose
 * lease expired and was taken over cannot mark events done.
 */
export class LeaseLostError extends Error {
  constructor(readonly portalId: string, readonly holder: string) {
    super(`tossup: worker ${holder} lost its lease on portal ${portalId}; another worker took over, this batch is left to it`);
    this.name = 'LeaseLostError';
  }
}

export async function claimPortalLease(db: Queryable, portalId: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
  const res = await db.query(
    `insert into inbox_portal_leases (portal_id, locked_by, locked_until, updated_at) values ($1, $2, $3, $4)
     on conflict (portal_id) do update set locked_by = excluded.locked_by, locked_until = excluded.locked_until, updated_at = excluded.updated_at
     where inbox_portal_leases.locked_until < $4 or inbox_portal_leases.locked_by = $2
     returning portal_id`,
    [portalId, holder, now + leaseMs, now],
  );
  return res.rowCount > 0;
}

export async function releasePortalLease(db: Queryable, portalId: string, holder: string, now: number): Promise<void> {
  await db.query('update inbox_portal_leases set locked_until = 0, updated_at = $3 where portal_id = $1 and locked_by = $2', [portalId, holder, now]);
}

/** Inside the commit transaction: row-locks the lease and fails unless we still hold it. */
export async function assertPortalLease(tx: Queryable, portalId: string, holder: string, now: number, extendMs: number): Promise<void> {
  const res = await tx.query(
    `update inbox_portal_leases set locked_until = greatest(locked_until, $3 + $4::bigint), updated_at = $3
     where portal_id = $1 and locked_by = $2 and locked_until >= $3 returning portal_id`,
    [portalId, holder, now, extendMs],
  );
  if (res.rowCount === 0) throw new LeaseLostError(portalId, holder);
}
