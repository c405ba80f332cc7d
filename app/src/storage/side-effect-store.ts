import type { Queryable } from './database';

/**
 * side_effects: one row per HubSpot object we create exactly once (tasks, notes),
 * keyed by a deterministic idempotency key. The protocol that uses it (reserve →
 * create → record) lives in app/src/hubspot/idempotent-create.ts; this module is the
 * only SQL for the table.
 */

/** Which of these HubSpot object ids are objects we created (their webhooks are our own writes). */
export async function findOwnHubSpotIds(db: Queryable, portalId: string, hubspotIds: readonly string[]): Promise<Set<string>> {
  if (hubspotIds.length === 0) return new Set();
  const res = await db.query<{ hubspot_id: string }>('select hubspot_id from side_effects where portal_id = $1 and hubspot_id = any($2::text[])', [
    portalId,
    hubspotIds,
  ]);
  return new Set(res.rows.map((r) => r.hubspot_id));
}

export type SideEffectState = 'pending' | 'done' | 'failed';

export interface SideEffectRow {
  effectKey: string;
  state: SideEffectState;
  hubspotId: string | null;
  createdAt: number;
}

export interface SideEffectReservation {
  key: string;
  kind: string;
  /** Kept for audit and recovery; `contactId` lets a privacy deletion find the row. */
  request: { contactId: string } & Record<string, unknown>;
}

/** Reserves the keys as pending; returns the keys reserved by this call (the others already existed). */
export async function reserveSideEffects(db: Queryable, portalId: string, reservations: readonly SideEffectReservation[], now: number): Promise<Set<string>> {
  if (reservations.length === 0) return new Set();
  const params: unknown[] = [portalId, now];
  const values = reservations.map((r) => {
    params.push(r.key, r.kind, JSON.stringify(r.request));
    const n = params.length;
    return `($1, $${n - 2}, $${n - 1}, 'pending', $${n}::jsonb, $2)`;
  });
  const inserted = await db.query<{ effect_key: string }>(
    `insert into side_effects (portal_id, effect_key, kind, state, request, created_at) values ${values.join(', ')}
     on conflict (portal_id, effect_key) do nothing returning effect_key`,
    params,
  );
  return new Set(inserted.rows.map((r) => r.effect_key));
}

/** The rows of these keys, by key (unknown keys are absent). */
export async function loadSideEffects(db: Queryable, portalId: string, keys: readonly string[]): Promise<Map<string, SideEffectRow>> {
  const rows = await db.query<{ effect_key: string; state: SideEffectState; hubspot_id: string | null; created_at: number }>(
    'select effect_key, state, hubspot_id, created_at from side_effects where portal_id = $1 and effect_key = any($2::text[])',
    [portalId, keys],
  );
  return new Map(rows.rows.map((r) => [r.effect_key, { effectKey: r.effect_key, state: r.state, hubspotId: r.hubspot_id, createdAt: r.created_at }]));
}

/** Failed keys go back to pending (created_at = now) before a new attempt to create them. */
export async function retryFailedSideEffects(db: Queryable, portalId: string, keys: readonly string[], now: number): Promise<void> {
  await db.query(`update side_effects set state = 'pending', created_at = $3 where portal_id = $1 and effect_key = any($2::text[]) and state = 'failed'`, [
    portalId,
    keys,
    now,
  ]);
}

/** Pending keys whose create HubSpot refused: nothing exists, a later attempt may create them. */
export async function markSideEffectsFailed(db: Queryable, portalId: string, keys: readonly string[]): Promise<void> {
  await db.query(`update side_effects set state = 'failed' where portal_id = $1 and effect_key = any($2::text[]) and state = 'pending'`, [portalId, keys]);
}

export async function markSideEffectDone(db: Queryable, portalId: string, key: string, hubspotId: string, now: number): Promise<void> {
  await db.query(`update side_effects set state = 'done', hubspot_id = $3, completed_at = $4 where portal_id = $1 and effect_key = $2`, [
    portalId,
    key,
    hubspotId,
    now,
  ]);
}

/** Privacy deletion: the rows whose request names the contact. */
export async function deleteSideEffectsOfContact(tx: Queryable, portalId: string, contactId: string): Promise<void> {
  await tx.query(`delete from side_effects where portal_id = $1 and request->>'contactId' = $2`, [portalId, contactId]);
}
