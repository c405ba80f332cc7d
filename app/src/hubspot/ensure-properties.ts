import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { contractProperties, dealContractProperties, PROPERTY_GROUP, type ContractProperty, type PropertyLanguage } from '@tossup/shared/contract-properties';
import { createSystemClock } from '../platform/clock';
import { createLogger } from '../platform/log';
import { createMetrics } from '../platform/metrics';
import { createCallWithRetry, type HubSpotCall } from './call-with-retry';
import { HubSpotApiError } from './hubspot-errors';
import { createPortalClients } from './portal-clients';

/**
 * Creates the `tossup` property group and every contract property on contacts,
 * idempotently: it reads what exists first (2 calls), creates only what is
 * missing, and treats 409 ("already exists", a race with another install) as done.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 *
 * Every call goes through the gateway's call path (call-with-retry.ts): the
 * portal's budget, and retries on 429/423/5xx. Repeating a create after a 5xx is
 * safe because a repeat that finds the property already made answers 409.
 */
export interface EnsurePropertiesResult {
  groupCreated: boolean;
  created: string[];
  existing: string[];
  apiCalls: number;
}

const isConflict = (err: unknown) => err instanceof HubSpotApiError && err.status === 409;

/**
 * Through a gateway's call path: the gateway's own ensureContractProperties(portalId).
 * Labels are created in `language` (the portal's, default 日本語); a property that
 * exists is left as it is, whatever its label.
 */
export function ensureContractProperties(call: HubSpotCall, portalId: string, language?: PropertyLanguage): Promise<EnsurePropertiesResult>;
/**
 * With a bare access token, for tools that run no gateway (the benchmark's naive
 * baseline): the same call path, with an in-process budget of its own.
 */
export function ensureContractProperties(target: { accessToken: string; apiBaseUrl: string }): Promise<EnsurePropertiesResult>;
export function ensureContractProperties(
  target: HubSpotCall | { accessToken: string; apiBaseUrl: string },
  portalId = 'access-token',
  language: PropertyLanguage = 'ja',
): Promise<EnsurePropertiesResult> {
  if (typeof target === 'function') return ensureThrough(target, portalId, 'contacts', contractProperties(language));
  const { accessToken, apiBaseUrl } = target;
  const call = createCallWithRetry({
    clients: createPortalClients({ tokens: { getAccessToken: async () => accessToken }, apiBaseUrl }),
    logger: createLogger({ level: 'warn' }),
    metrics: createMetrics({ defaultMetrics: false }),
    clock: createSystemClock(),
  });
  return ensureThrough(call, portalId);
}

/** The deal side of the contract (group `tossup` on deals), the same way. */
export function ensureDealContractProperties(call: HubSpotCall, portalId: string, language: PropertyLanguage = 'ja'): Promise<EnsurePropertiesResult> {
  return ensureThrough(call, portalId, 'deals', dealContractProperties(language));
}

async function ensureThrough(
  call: HubSpotCall,
  portalId: string,
  objectType: 'contacts' | 'deals' = 'contacts',
  properties: readonly ContractProperty[] = contractProperties('ja'),
): Promise<EnsurePropertiesResult> {
  let apiCalls = 0;

  apiCalls += 1;
  const groups = await call(portalId, `properties.${objectType}.groups.list`, 'standard', (a) => a.propertyGroups.getAll(objectType));
  let groupCreated = false;
  if (!groups.results.some((g) => g.name === PROPERTY_GROUP.name)) {
    apiCalls += 1;
    try {
      await call(portalId, `properties.${objectType}.groups.create`, 'standard', (a) => a.propertyGroups.create(objectType, { ...PROPERTY_GROUP }));
      groupCreated = true;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  apiCalls += 1;
  const all = await call(portalId, `properties.${objectType}.list`, 'standard', (a) => a.properties.getAll(objectType, false));
  const present = new Set(all.results.map((p) => p.name));
  const created: string[] = [];
  const existing: string[] = [];
  for (const p of properties) {
    if (present.has(p.name)) {
      existing.push(p.name);
      continue;
    }
    const input = {
      name: p.name,
      label: p.label,
      description: p.description,
      groupName: PROPERTY_GROUP.name,
      type: p.type,
      fieldType: p.fieldType,
      formField: false,
      ...(p.options ? { options: p.options.map((o, i) => ({ ...o, displayOrder: i, hidden: false })) } : {}),
      ...(p.referencedObjectType ? { referencedObjectType: p.referencedObjectType, externalOptions: p.externalOptions ?? true } : {}),
    } as PropertyCreate;
    apiCalls += 1;
    try {
      await call(portalId, `properties.${objectType}.create`, 'standard', (a) => a.properties.create(objectType, input));
      created.push(p.name);
    } catch (err) {
      if (!isConflict(err)) {
        const status = err instanceof HubSpotApiError ? err.status : undefined;
        throw new Error(`tossup: could not create ${objectType === 'contacts' ? 'contact' : 'deal'} property ${p.name} (${status ?? 'network'}): ${(err as Error).message}`, { cause: err });
      }
      existing.push(p.name);
    }
  }
  return { groupCreated, created, existing, apiCalls };
}
