/**
 * Stored answers of mutating card requests (migration 0300). A request is claimed
 * by (portal, idempotencyKey) before any work starts:
 *
 * - first time: claimed, work runs with `clockAt = now`;
 * - same key, same request, already answered: the stored answer is replayed;
 * - same key, same request, still running: "in progress" (the caller answers 200 with a retry hint);
 * - same key, same request, an earlier attempt failed or died: re-claimed with the
 *   *first attempt's* clock, so the plan it builds has the same deterministic keys
 *   and the applier's side_effects table turns any half-done write into a no-op;
 * - same key, different request: refused (a client bug; never replay someone else's answer).
 */
import type { Queryable } from './database';
import { withoutNul } from '../domain/webhook-event';

/** How long a claim blocks a concurrent duplicate; longer than hubspot.fetch's 15 s default timeout. */
export const CLAIM_LEASE_MS = 60_000;

export type ClaimResult =
  | { kind: 'claimed'; clockAt: number }
  | { kind: 'replay'; statusCode: number; response: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyStore {
  claim(portalId: string, key: string, requestHash: string, now: number): Promise<ClaimResult>;
  complete(portalId: string, key: string, statusCode: number, response: unknown, now: number): Promise<void>;
  /** The attempt failed (5xx): free the claim so HubSpot's retry can run at once. */
  release(portalId: string, key: string): Promise<void>;
  /** Drops answers older than `before` (retries come within seconds; a day is plenty). */
  purge(before: number): Promise<number>;
}

interface Row {
  request_hash: string;
  state: 'pending' | 'done';
  clock_at: number;
  locked_until: number;
  status_code: number | null;
  response: unknown;
}

export function createIdempotencyStore(db: Queryable): IdempotencyStore {
  return {
    async claim(portalId, key, requestHash, now) {
      const inserted = await db.query(
        `insert into card_api_requests (portal_id, idempotency_key, request_hash, state, clock_at, locked_until, created_at)
         values ($1, $2, $3, 'pending', $4, $5, $4)
         on conflict (portal_id, idempotency_key) do nothing`,
        [portalId, key, requestHash, now, now + CLAIM_LEASE_MS],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed', clockAt: now };

      const { rows } = await db.query<Row>(
        'select request_hash, state, clock_at, locked_until, status_code, response from card_api_requests where portal_id = $1 and idempotency_key = $2',
        [portalId, key],
      );
      const row = rows[0];
      // Purged between insert and select: treat as a fresh attempt on the next try.
      if (!row) return { kind: 'in_progress' };
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.state === 'done') return { kind: 'replay', statusCode: row.status_code ?? 200, response: row.response };
      // Take over an expired or released claim atomically: only one retry wins.
      const taken = await db.query<{ clock_at: number }>(
        `update card_api_requests set locked_until = $3
         where portal_id = $1 and idempotency_key = $2 and state = 'pending' and locked_until <= $4
         returning clock_at`,
        [portalId, key, now + CLAIM_LEASE_MS, now],
      );
      const takenRow = taken.rows[0];
      return takenRow ? { kind: 'claimed', clockAt: takenRow.clock_at } : { kind: 'in_progress' };
    },

    async complete(portalId, key, statusCode, response, now) {
      await db.query(
        `update card_api_requests set state = 'done', status_code = $3, response = $4::jsonb, completed_at = $5
         where portal_id = $1 and idempotency_key = $2`,
        // jsonb refuses NUL and lone surrogates; an answer built from HubSpot text may hold them.
        [portalId, key, statusCode, JSON.stringify(withoutNul(response)), now],
      );
    },

    async release(portalId, key) {
      await db.query(`update card_api_requests set locked_until = 0 where portal_id = $1 and idempotency_key = $2 and state = 'pending'`, [
        portalId,
        key,
      ]);
    },

    async purge(before) {
      const r = await db.query('delete from card_api_requests where created_at < $1', [before]);
      return r.rowCount;
    },
  };
}
