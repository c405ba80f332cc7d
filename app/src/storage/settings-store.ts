/**
 * Per-portal settings in `portal_settings` (0001_foundation.sql), validated by the
 * shared schema on the way in and on the way out: a document saved by an older build
 * gains the defaults of fields added since, and a corrupt row fails loudly instead of
 * silently running the portal on unexpected rules.
 */
import { DEFAULT_SETTINGS, SETTINGS_VERSION, parseSettings, type PortalSettings, type SettingsFieldError } from '@tossup/shared/settings-schema';
import type { Queryable } from './database';

export class InvalidSettingsError extends Error {
  constructor(
    readonly errors: SettingsFieldError[],
    context: string,
  ) {
    super(`${context}: ${errors.map((e) => `${e.path || '(document)'}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** The portal's settings, or the defaults (the article's examples) when none were saved. */
export async function loadPortalSettings(db: Queryable, portalId: string): Promise<PortalSettings> {
  const { rows } = await db.query<{ settings: unknown }>('select settings from portal_settings where portal_id = $1', [portalId]);
  const row = rows[0];
  if (!row) return structuredClone(DEFAULT_SETTINGS);
  const parsed = parseSettings(typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings);
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
  await db.query(
    `insert into portal_settings (portal_id, version, settings, updated_at, updated_by)
     values ($1, $2, $3::jsonb, $4, $5)
     on conflict (portal_id) do update
       set version = excluded.version, settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [portalId, SETTINGS_VERSION, JSON.stringify(parsed.settings), now, updatedBy],
  );
  return parsed.settings;
}
