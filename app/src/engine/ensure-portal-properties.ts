import type { PropertyLanguage } from '@tossup/shared/contract-properties';
import type { EnsurePropertiesResult } from '../hubspot/ensure-properties';
import type { HubSpotPortalSetup } from '../hubspot/hubspot-gateway-types';
import type { Logger } from '../platform/log';

/**
 * The contract properties of one portal (docs/product.md "HubSpot properties"), at
 * install and at start-up: the contact group and properties (required), then the deal
 * group and properties. The deal side needs crm.schemas.deals.write, an optional
 * scope: a portal that did not grant it keeps working without deal attribution.
 */
export async function ensurePortalProperties(gateway: HubSpotPortalSetup, portalId: string, logger: Logger, language: PropertyLanguage = 'ja'): Promise<EnsurePropertiesResult> {
  const contacts = await gateway.ensureContractProperties(portalId, language);
  if (gateway.ensureDealContractProperties) {
    try {
      const deals = await gateway.ensureDealContractProperties(portalId, language);
      if (deals.created.length > 0) logger.info({ portalId, created: deals.created }, 'deal contract properties created');
    } catch (err) {
      logger.warn({ err, portalId }, 'deal contract properties not created (crm.schemas.deals.write not granted?); deal attribution is skipped');
    }
  }
  return contacts;
}

/**
 * Existing portals upgrade: properties added to the contract since a portal was
 * installed are created at start-up, idempotently (what exists is read first and
 * left alone). One portal failing never stops the others or the process.
 */
export async function upgradeInstalledPortals(deps: {
  gateway: HubSpotPortalSetup;
  logger: Logger;
  listActivePortals: () => Promise<string[]>;
  /** The portal's language (settings `portalLanguage`) for the labels of properties created now; default 日本語. */
  languageOf?: (portalId: string) => Promise<PropertyLanguage>;
  /** Per portal once its properties exist: the reject-reason options sync (never throws). */
  afterEnsure?: (portalId: string) => Promise<void>;
}): Promise<{ upgraded: string[]; failed: string[] }> {
  const upgraded: string[] = [];
  const failed: string[] = [];
  let portals: string[] = [];
  try {
    portals = await deps.listActivePortals();
  } catch (err) {
    deps.logger.warn({ err }, 'could not list installed portals; contract properties are not upgraded at this start');
    return { upgraded, failed };
  }
  for (const portalId of portals) {
    try {
      const r = await ensurePortalProperties(deps.gateway, portalId, deps.logger, deps.languageOf ? await deps.languageOf(portalId) : 'ja');
      if (r.created.length > 0) deps.logger.info({ portalId, created: r.created }, 'contract properties upgraded');
      await deps.afterEnsure?.(portalId);
      upgraded.push(portalId);
    } catch (err) {
      failed.push(portalId);
      deps.logger.warn({ err, portalId }, 'contract properties could not be upgraded for this portal; retried at the next start');
    }
  }
  return { upgraded, failed };
}
