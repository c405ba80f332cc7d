/**
 * Per-portal settings in `portal_settings` (0001_foundation.sql); the only SQL for
 * the table. Documents are validated by the shared schema on the way in and on the
 * way out: a document saved by an older build gains the defaults of fields added
 * since, and a corrupt row fails loudly instead of silently running the portal on
 * unexpected rules.
 *
 * Two ways in: `loadPortalSettings`/`savePortalSettings` for the engine and tooling,
 * and `createPortalSettingsStore` for the settings page, with optimistic concurrency
 * (two admins editing at once must not silently overwrite each other). The
 * concurrency token is the row's `updated_at` (epoch ms from the injectable clock),
 * not the `version` column: that column holds the settings *schema* version
 * (SETTINGS_VERSION), and every writer keeps it that way.
 */
import { DEFAULT_SETTINGS, SETTINGS_VERSION, parseSettings, type PortalSettings, type SettingsFieldError } from '@tossup/shared/settings-schema';
import type { Database, Queryable } from './database';
import type { EpochMs, PortalId } from '../domain/types';

export class InvalidSettingsError extends Error {
  constructor(
    readonly errors: SettingsFieldError[],
    context: string,
  ) {
    super(`${context}: ${errors.map((e) => `${e.path || '(document)'}: ${e.message.ja} / ${e.message.en}`).join('; ')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** Insert or replace, stamping the schema version. */
async function upsertSettings(q: Queryable, portalId: string, settings: PortalSettings, updatedAt: number, updatedBy: string | null): Promise<void> {
  await q.query(
    `insert into portal_settings (portal_id, version, settings, updated_at, updated_by)
     values ($1, $2, $3::jsonb, $4, $5)
     on conflict (portal_id) do update
       set version = excluded.version, settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [portalId, SETTINGS_VERSION, JSON.stringify(settings), updatedAt, updatedBy],
  );
}

/** The portal's settings, or the defaults (the article's examples) when none were saved. */
export async function loadPortalSettings(db: Queryable, portalId: string): Promise<PortalSettings> {
  const { rows } = await db.query<{ settings: unknown }>('select settings from portal_settings where portal_id = $1', [portalId]);
  const row = rows[0];
  if (!row) return structuredClone(DEFAULT_SETTINGS);
  // `stored`: a document an earlier build accepted still loads (settings-schema.ts routingConditionErrors).
  const parsed = parseSettings(typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings, { stored: true });
  if (!parsed.ok) {
    throw new InvalidSettingsError(
      parsed.errors,
      `保存済みの設定が不正です（ポータル ${portalId}）。設定画面で保存し直してください / Stored settings of portal ${portalId} are invalid; open the settings page and save them again`,
    );
  }
  return parsed.settings;
}

/**
 * Validates and stores the settings (insert or replace). Returns the stored document
 * (with defaults filled in). Throws InvalidSettingsError with field-level messages.
 */
export async function savePortalSettings(
  db: Queryable,
  portalId: string,
  settings: unknown,
  updatedBy: string | null,
  now: number,
): Promise<PortalSettings> {
  const parsed = parseSettings(settings);
  if (!parsed.ok) throw new InvalidSettingsError(parsed.errors, '設定を保存できません / Settings not saved');
  await upsertSettings(db, portalId, parsed.settings, now, updatedBy);
  return parsed.settings;
}

/** Uninstall: the portal's settings are purged. */
export async function deletePortalSettings(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from portal_settings where portal_id = $1', [portalId]);
}

export interface StoredSettings {
  settings: PortalSettings;
  /** Concurrency token for saves (the row's updated_at); 0 = never saved (defaults). */
  version: number;
  updatedAt: EpochMs | null;
}

export type SaveSettingsResult = { ok: true; version: number } | { ok: false; reason: 'conflict'; currentVersion: number };

export interface SettingsStore {
  get(portalId: PortalId): Promise<StoredSettings>;
  save(portalId: PortalId, settings: PortalSettings, meta: { expectedVersion?: number; updatedBy: string; now: EpochMs }): Promise<SaveSettingsResult>;
}

/**
 * The concurrency-checked write, inside the caller's transaction: the settings page's
 * save and the publishing of a version (settings-versions-store.ts) both move the token.
 */
export async function saveSettingsWithToken(
  tx: Queryable,
  portalId: PortalId,
  settings: PortalSettings,
  meta: { expectedVersion?: number; updatedBy: string; now: EpochMs },
): Promise<SaveSettingsResult> {
  const { rows } = await tx.query<{ updated_at: number }>('select updated_at from portal_settings where portal_id = $1 for update', [portalId]);
  const current = rows[0] ? Number(rows[0].updated_at) : 0;
  if (meta.expectedVersion !== undefined && meta.expectedVersion !== current) return { ok: false, reason: 'conflict', currentVersion: current };
  // Two saves within one millisecond must still yield a new token.
  const next = Math.max(meta.now, current + 1);
  await upsertSettings(tx, portalId, settings, next, meta.updatedBy);
  return { ok: true, version: next };
}

export function createPortalSettingsStore(db: Database): SettingsStore {
  return {
    async get(portalId): Promise<StoredSettings> {
      const { rows } = await db.query<{ updated_at: number }>('select updated_at from portal_settings where portal_id = $1', [portalId]);
      const updatedAt = rows[0] ? Number(rows[0].updated_at) : null;
      // Throws InvalidSettingsError on a corrupt row: the admin must see it, not silently get defaults.
      const settings = await loadPortalSettings(db, portalId);
      return { settings, version: updatedAt ?? 0, updatedAt };
    },

    async save(portalId, settings: PortalSettings, meta) {
      return db.transaction((tx) => saveSettingsWithToken(tx, portalId, settings, meta));
    },
  };
}
