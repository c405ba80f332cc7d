/**
 * The settings page's view of `portal_settings` (migration 0001) with optimistic
 * concurrency: two admins editing at once must not silently overwrite each other.
 *
 * The concurrency token is the row's `updated_at` (epoch ms from the injectable
 * clock), not the `version` column: that column holds the settings *schema* version
 * (SETTINGS_VERSION), as app/src/settings/settings-store.ts writes it, and every
 * writer keeps it that way. Reads go through the same loader the engine uses.
 */
import { SETTINGS_VERSION, type PortalSettings } from '@tossup/shared/settings-schema';
import { loadPortalSettings } from './settings-store';
import type { Database } from './database';
import type { EpochMs, PortalId } from '../domain/types';

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
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ updated_at: number }>('select updated_at from portal_settings where portal_id = $1 for update', [portalId]);
        const current = rows[0] ? Number(rows[0].updated_at) : 0;
        if (meta.expectedVersion !== undefined && meta.expectedVersion !== current) return { ok: false as const, reason: 'conflict' as const, currentVersion: current };
        // Two saves within one millisecond must still yield a new token.
        const next = Math.max(meta.now, current + 1);
        await tx.query(
          `insert into portal_settings (portal_id, version, settings, updated_at, updated_by) values ($1, $2, $3::jsonb, $4, $5)
           on conflict (portal_id) do update set version = excluded.version, settings = excluded.settings,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [portalId, SETTINGS_VERSION, JSON.stringify(settings), next, meta.updatedBy],
        );
        return { ok: true as const, version: next };
      });
    },
  };
}
