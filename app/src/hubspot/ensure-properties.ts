import { Client } from '@hubspot/api-client';
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { CONTRACT_PROPERTIES, PROPERTY_GROUP } from '@tossup/shared/contract-properties';

/**
 * Creates the `tossup` property group and every contract property on contacts,
 * idempotently: it reads what exists first (2 calls), creates only what is
 * missing, and treats 409 ("already exists", a race with another install) as done.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
export interface EnsurePropertiesResult {
  groupCreated: boolean;
  created: string[];
  existing: string[];
  apiCalls: number;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : undefined;
}

export async function ensureContractProperties(options: { accessToken: string; apiBaseUrl: string }): Promise<EnsurePropertiesResult> {
  const client = new Client({ accessToken: options.accessToken, basePath: options.apiBaseUrl, numberOfApiCallRetries: 0 });
  let apiCalls = 0;

  apiCalls += 1;
  const groups = await client.crm.properties.groupsApi.getAll('contacts');
  let groupCreated = false;
  if (!groups.results.some((g) => g.name === PROPERTY_GROUP.name)) {
    apiCalls += 1;
    try {
      await client.crm.properties.groupsApi.create('contacts', { ...PROPERTY_GROUP });
      groupCreated = true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }

  apiCalls += 1;
  const all = await client.crm.properties.coreApi.getAll('contacts', false);
  const present = new Set(all.results.map((p) => p.name));
  const created: string[] = [];
  const existing: string[] = [];
  for (const p of CONTRACT_PROPERTIES) {
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
      await client.crm.properties.coreApi.create('contacts', input);
      created.push(p.name);
    } catch (err) {
      if (statusOf(err) !== 409) {
        throw new Error(`tossup: could not create contact property ${p.name} (${statusOf(err) ?? 'network'}): ${(err as Error).message}`);
      }
      existing.push(p.name);
    }
  }
  return { groupCreated, created, existing, apiCalls };
}
