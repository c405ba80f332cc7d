import { deletePortalOutOfOffice } from './routing-out-of-office-store';
import { deleteCompanyCache } from './company-cache-store';
import { deletePortalParticipations } from './event-participation-store';
import { deletePortalMarketingEventReads } from './marketing-event-read-store';
import { deleteParticipationRefresh } from './participation-refresh-store';
import type { Queryable } from './database';
import type { TokenCipher } from '../platform/token-crypto';
import { deletePortalSettings } from './portal-settings-store';
import { deleteSettingsVersions } from './settings-versions-store';
import { deletePortalImpactRuns } from './job-store';

/**
 * Installs and their encrypted OAuth tokens. Every method takes the portal id:
 * there is no way to read a token without naming its tenant.
 */
export type InstallStatus = 'active' | 'disconnected' | 'uninstalled';

export interface InstallRow {
  portalId: string;
  status: InstallStatus;
  statusReason: string | null;
  scopes: string[];
  hubDomain: string | null;
  installedAt: number;
  updatedAt: number;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
}

export interface TokenStore {
  saveInstall(portalId: string, tokens: StoredTokens, info: { scopes: string[]; hubDomain?: string | null }, now: number): Promise<void>;
  getInstall(portalId: string): Promise<InstallRow | undefined>;
  listActivePortals(): Promise<string[]>;
  /** Decrypted tokens, or undefined when none are stored. */
  getTokens(portalId: string, q?: Queryable): Promise<StoredTokens | undefined>;
  /** Locks the token row until the surrounding transaction ends (cross-process single-flight refresh). */
  getTokensForUpdate(tx: Queryable, portalId: string): Promise<StoredTokens | undefined>;
  updateTokens(portalId: string, tokens: StoredTokens, now: number, q?: Queryable): Promise<void>;
  markStatus(portalId: string, status: InstallStatus, reason: string, now: number): Promise<void>;
  /**
   * Uninstall: tokens and settings are purged; the install row stays as 'uninstalled'
   * for the audit trail, with the HubSpot user who asked (`by`) and when.
   */
  purge(portalId: string, now: number, by?: string): Promise<void>;
}

interface TokenRow {
  refresh_token_ct: string;
  access_token_ct: string;
  access_expires_at: number;
}

export function createTokenStore(db: Queryable, cipher: TokenCipher): TokenStore {
  const decryptRow = (portalId: string, row: TokenRow): StoredTokens => ({
    accessToken: cipher.decrypt(portalId, row.access_token_ct),
    refreshToken: cipher.decrypt(portalId, row.refresh_token_ct),
    accessExpiresAt: Number(row.access_expires_at),
  });
  const writeTokens = (q: Queryable, portalId: string, t: StoredTokens, now: number) =>
    q.query(
      `insert into oauth_tokens (portal_id, refresh_token_ct, access_token_ct, access_expires_at, updated_at)
       values ($1, $2, $3, $4, $5)
       on conflict (portal_id) do update set refresh_token_ct = excluded.refresh_token_ct,
         access_token_ct = excluded.access_token_ct, access_expires_at = excluded.access_expires_at, updated_at = excluded.updated_at`,
      [portalId, cipher.encrypt(portalId, t.refreshToken), cipher.encrypt(portalId, t.accessToken), t.accessExpiresAt, now],
    );

  return {
    async saveInstall(portalId, tokens, info, now) {
      await db.query(
        `insert into installs (portal_id, hub_domain, scopes, status, status_reason, installed_at, updated_at)
         values ($1, $2, $3, 'active', null, $4, $4)
         on conflict (portal_id) do update set hub_domain = coalesce(excluded.hub_domain, installs.hub_domain),
           scopes = excluded.scopes, status = 'active', status_reason = null, updated_at = excluded.updated_at`,
        [portalId, info.hubDomain ?? null, info.scopes.join(' '), now],
      );
      await writeTokens(db, portalId, tokens, now);
    },
    async getInstall(portalId) {
      const r = await db.query<{
        portal_id: number;
        status: InstallStatus;
        status_reason: string | null;
        scopes: string;
        hub_domain: string | null;
        installed_at: number;
        updated_at: number;
      }>('select * from installs where portal_id = $1', [portalId]);
      const row = r.rows[0];
      if (!row) return undefined;
      return {
        portalId: String(row.portal_id),
        status: row.status,
        statusReason: row.status_reason,
        scopes: row.scopes ? row.scopes.split(' ') : [],
        hubDomain: row.hub_domain,
        installedAt: Number(row.installed_at),
        updatedAt: Number(row.updated_at),
      };
    },
    async listActivePortals() {
      const r = await db.query<{ portal_id: number }>("select portal_id from installs where status = 'active' order by portal_id");
      return r.rows.map((x) => String(x.portal_id));
    },
    async getTokens(portalId, q = db) {
      const r = await q.query<TokenRow>('select * from oauth_tokens where portal_id = $1', [portalId]);
      return r.rows[0] ? decryptRow(portalId, r.rows[0]) : undefined;
    },
    async getTokensForUpdate(tx, portalId) {
      const r = await tx.query<TokenRow>('select * from oauth_tokens where portal_id = $1 for update', [portalId]);
      return r.rows[0] ? decryptRow(portalId, r.rows[0]) : undefined;
    },
    async updateTokens(portalId, tokens, now, q = db) {
      await writeTokens(q, portalId, tokens, now);
    },
    async markStatus(portalId, status, reason, now) {
      await db.query('update installs set status = $2, status_reason = $3, updated_at = $4 where portal_id = $1', [portalId, status, reason, now]);
    },
    async purge(portalId, now, by) {
      await db.query('delete from oauth_tokens where portal_id = $1', [portalId]);
      await deletePortalSettings(db, portalId);
      await deleteSettingsVersions(db, portalId);
      await deletePortalOutOfOffice(db, portalId);
      await deleteCompanyCache(db, portalId);
      await deletePortalParticipations(db, portalId);
      await deletePortalMarketingEventReads(db, portalId);
      await deleteParticipationRefresh(db, portalId);
      await deletePortalImpactRuns(db, portalId);
      await db.query(
        "update installs set status = 'uninstalled', status_reason = 'uninstalled', updated_at = $2, uninstalled_at = $2, uninstalled_by = $3 where portal_id = $1",
        [portalId, now, by ?? null],
      );
    },
  };
}
