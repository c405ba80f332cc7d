/**
 * The history of a portal's settings in `settings_versions`
 * (migrations/0301_settings_versions.sql); the only SQL for the table.
 *
 * A version is a draft until published. Publishing writes the version's document
 * into portal_settings through the settings store's concurrency-checked write (in
 * the same transaction), and portal_settings is all the pipeline ever reads: a draft
 * cannot change an evaluation. The live version is the one published last.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import { parseSettings, type PortalSettings } from '@tossup/shared/settings-schema';
import type { Database, Queryable } from './database';
import { InvalidSettingsError, saveSettingsWithToken } from './portal-settings-store';
import type { EpochMs, PortalId } from '../domain/types';

export interface SettingsVersion {
  versionNo: number;
  createdAt: EpochMs;
  createdBy: string | null;
  /** What changed against the settings that were live when it was saved. */
  summary: Bilingual[];
  restoredFrom: number | null;
  publishedAt: EpochMs | null;
  publishedBy: string | null;
}

export interface SettingsVersionWithDocument extends SettingsVersion {
  settings: PortalSettings;
}

export interface NewSettingsVersion {
  settings: PortalSettings;
  summary: Bilingual[];
  createdBy: string;
  now: EpochMs;
  restoredFrom?: number;
  /**
   * false: a draft. Otherwise published in the same transaction (the classic save,
   * and a restore), refused when portal_settings moved past `expectedVersion`.
   */
  publish: false | { expectedVersion?: number };
}

export type AddVersionResult =
  | { ok: true; version: SettingsVersion; /** portal_settings' new concurrency token; null for a draft. */ token: number | null }
  | { ok: false; reason: 'conflict'; currentVersion: number };

export interface SettingsVersionsStore {
  add(portalId: PortalId, version: NewSettingsVersion): Promise<AddVersionResult>;
  /** Newest first. */
  list(portalId: PortalId, limit: number): Promise<SettingsVersion[]>;
  get(portalId: PortalId, versionNo: number): Promise<SettingsVersionWithDocument | null>;
  /** Makes the version live; null when there is no such version. */
  publish(portalId: PortalId, versionNo: number, meta: { publishedBy: string; now: EpochMs }): Promise<{ version: SettingsVersion; token: number } | null>;
  /** The version published last (null: the portal runs on what was saved before versions existed, or the defaults). */
  live(portalId: PortalId): Promise<SettingsVersion | null>;
  /** Uninstall: the portal's history is purged with its settings. */
  deleteAll(portalId: PortalId): Promise<void>;
}

interface Row {
  version_no: number;
  created_at: number | string;
  created_by: string | null;
  summary: unknown;
  restored_from: number | null;
  published_at: number | string | null;
  published_by: string | null;
  settings?: unknown;
}

// Any constant works; it only has to differ from the other advisory locks (migrate.ts).
const VERSION_LOCK_KEY = 7_460_016;

const COLUMNS = 'version_no, created_at, created_by, summary, restored_from, published_at, published_by';

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toVersion(r: Row): SettingsVersion {
  return {
    versionNo: Number(r.version_no),
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    summary: json(r.summary) as Bilingual[],
    restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
    publishedAt: r.published_at === null ? null : Number(r.published_at),
    publishedBy: r.published_by,
  };
}

async function markPublished(tx: Queryable, portalId: PortalId, versionNo: number, by: string, now: EpochMs): Promise<SettingsVersion> {
  await tx.query('update settings_versions set published_at = $3, published_by = $4 where portal_id = $1 and version_no = $2', [portalId, versionNo, now, by]);
  const { rows } = await tx.query<Row>(`select ${COLUMNS} from settings_versions where portal_id = $1 and version_no = $2`, [portalId, versionNo]);
  return toVersion(rows[0]!);
}

/** Uninstall: the portal's history goes with its settings (token-store.ts purge). */
export async function deleteSettingsVersions(q: Queryable, portalId: PortalId): Promise<void> {
  await q.query('delete from settings_versions where portal_id = $1', [portalId]);
}

export function createSettingsVersionsStore(db: Database): SettingsVersionsStore {
  return {
    add(portalId, v) {
      return db.transaction(async (tx): Promise<AddVersionResult> => {
        // Two admins saving at once must get two numbers, not a primary-key failure: one lock per portal for the numbering.
        await tx.query('select pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)', [VERSION_LOCK_KEY, portalId]);
        let token: number | null = null;
        if (v.publish) {
          const saved = await saveSettingsWithToken(tx, portalId, v.settings, { ...v.publish, updatedBy: v.createdBy, now: v.now });
          if (!saved.ok) return saved;
          token = saved.version;
        }
        const { rows } = await tx.query<{ n: number | null }>('select max(version_no) as n from settings_versions where portal_id = $1', [portalId]);
        const versionNo = Number(rows[0]?.n ?? 0) + 1;
        await tx.query(
          `insert into settings_versions (portal_id, version_no, settings, summary, created_at, created_by, restored_from)
           values ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)`,
          [portalId, versionNo, JSON.stringify(v.settings), JSON.stringify(v.summary), v.now, v.createdBy, v.restoredFrom ?? null],
        );
        if (v.publish) return { ok: true, version: await markPublished(tx, portalId, versionNo, v.createdBy, v.now), token };
        const { rows: out } = await tx.query<Row>(`select ${COLUMNS} from settings_versions where portal_id = $1 and version_no = $2`, [portalId, versionNo]);
        return { ok: true, version: toVersion(out[0]!), token };
      });
    },

    async list(portalId, limit) {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from settings_versions where portal_id = $1 order by version_no desc limit $2`, [portalId, limit]);
      return rows.map(toVersion);
    },

    async get(portalId, versionNo) {
      const { rows } = await db.query<Row>(`select ${COLUMNS}, settings from settings_versions where portal_id = $1 and version_no = $2`, [portalId, versionNo]);
      const row = rows[0];
      if (!row) return null;
      // Old documents gain the defaults of fields added since, like portal_settings.
      const parsed = parseSettings(json(row.settings));
      if (!parsed.ok) throw new InvalidSettingsError(parsed.errors, `設定の版 ${versionNo} が不正です / Settings version ${versionNo} is invalid`);
      return { ...toVersion(row), settings: parsed.settings };
    },

    async publish(portalId, versionNo, meta) {
      const found = await this.get(portalId, versionNo);
      if (!found) return null;
      return db.transaction(async (tx) => {
        const saved = await saveSettingsWithToken(tx, portalId, found.settings, { updatedBy: meta.publishedBy, now: meta.now });
        // Without an expected version the write cannot conflict.
        const token = saved.ok ? saved.version : saved.currentVersion;
        return { version: await markPublished(tx, portalId, versionNo, meta.publishedBy, meta.now), token };
      });
    },

    async live(portalId) {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from settings_versions where portal_id = $1 and published_at is not null order by published_at desc, version_no desc limit 1`,
        [portalId],
      );
      return rows[0] ? toVersion(rows[0]) : null;
    },

    deleteAll: (portalId) => deleteSettingsVersions(db, portalId),
  };
}
