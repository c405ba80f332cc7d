/**
 * `reject_reason_sync` (0320_reject_reason_sync.sql): per portal, the last sync of the
 * `tossup_reject_reason_code` options with the admin's reasons — whether it worked,
 * why not, and the codes HubSpot is known to accept. The only SQL for the table.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { Queryable } from './database';

export type RejectReasonSyncStatus = 'synced' | 'failed';

export interface RejectReasonSyncState {
  status: RejectReasonSyncStatus;
  /** Codes that are options of the property in HubSpot (visible or hidden): safe to write. */
  acceptedCodes: string[];
  /** The published codes the last attempt tried to make options. */
  publishedCodes: string[];
  /** What went wrong and how to fix it, in both languages (null when synced). */
  error: Bilingual | null;
  attemptedAt: number;
  /** The last successful sync (kept across later failures). */
  syncedAt: number | null;
}

export interface RejectReasonSyncStore {
  get(portalId: string): Promise<RejectReasonSyncState | null>;
  record(portalId: string, state: Omit<RejectReasonSyncState, 'syncedAt'>): Promise<void>;
}

interface Row {
  status: RejectReasonSyncStatus;
  accepted_codes: string[] | string;
  published_codes: string[] | string;
  error: string | null;
  attempted_at: number;
  synced_at: number | null;
}

// PGlite gives jsonb parsed, node-postgres too; a string is parsed for safety.
const list = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);
// `error` is text holding the Bilingual as JSON.
const bilingualOf = (v: string | null): Bilingual | null => (v === null ? null : (JSON.parse(v) as Bilingual));

export function createRejectReasonSyncStore(db: Queryable): RejectReasonSyncStore {
  return {
    async get(portalId) {
      const r = await db.query<Row>('select status, accepted_codes, published_codes, error, attempted_at, synced_at from reject_reason_sync where portal_id = $1', [portalId]);
      const row = r.rows[0];
      if (!row) return null;
      return { status: row.status, acceptedCodes: list(row.accepted_codes), publishedCodes: list(row.published_codes), error: bilingualOf(row.error), attemptedAt: row.attempted_at, syncedAt: row.synced_at };
    },
    async record(portalId, s) {
      const syncedAt = s.status === 'synced' ? s.attemptedAt : null;
      await db.query(
        `insert into reject_reason_sync (portal_id, status, accepted_codes, published_codes, error, attempted_at, synced_at)
         values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)
         on conflict (portal_id) do update set status = excluded.status, accepted_codes = excluded.accepted_codes,
           published_codes = excluded.published_codes, error = excluded.error, attempted_at = excluded.attempted_at,
           synced_at = coalesce(excluded.synced_at, reject_reason_sync.synced_at)`,
        [portalId, s.status, JSON.stringify(s.acceptedCodes), JSON.stringify(s.publishedCodes), s.error === null ? null : JSON.stringify(s.error), s.attemptedAt, syncedAt],
      );
    },
  };
}
