import { randomBytes } from 'node:crypto';
import type { Queryable } from './database';

/** CSRF `state` for the install flow: random, single use, valid for 10 minutes. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export async function issueState(db: Queryable, now: number): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await db.query('insert into oauth_states (state, created_at, expires_at) values ($1, $2, $3)', [state, now, now + STATE_TTL_MS]);
  // Keep the table small: expired states are useless.
  await db.query('delete from oauth_states where expires_at < $1', [now - STATE_TTL_MS]);
  return state;
}

export type StateCheck = 'ok' | 'missing' | 'unknown' | 'expired' | 'used';

/** Consumes the state atomically: a second callback with the same state fails. */
export async function consumeState(db: Queryable, state: string | undefined, now: number): Promise<StateCheck> {
  if (!state) return 'missing';
  const r = await db.query<{ expires_at: number }>(
    'update oauth_states set used_at = $2 where state = $1 and used_at is null returning expires_at',
    [state, now],
  );
  const row = r.rows[0];
  if (!row) {
    const exists = await db.query('select 1 from oauth_states where state = $1', [state]);
    return exists.rows.length > 0 ? 'used' : 'unknown';
  }
  return Number(row.expires_at) < now ? 'expired' : 'ok';
}

/** Retention (worker/retention-job.ts): deletes states that expired before `now`; returns how many. */
export async function deleteExpiredStates(db: Queryable, now: number): Promise<number> {
  const res = await db.query('delete from oauth_states where expires_at < $1', [now]);
  return res.rowCount;
}
