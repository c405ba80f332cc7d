import { chunk } from './chunk';
import type { HubSpotCall } from './call-with-retry';
import { HubSpotBatchPartialError } from './hubspot-errors';
import type { AssociatedObject, HubSpotGateway, ReadRecord } from './hubspot-gateway-types';
import { ASSOCIATION_BATCH_LIMIT, BATCH_LIMIT, BATCH_LIMIT_WITH_HISTORY } from './hubspot-limits';
import { toReadRecord, type SdkRecord } from './record-mapping';

/**
 * Batch reads and updates of CRM objects, and associations v4 batch reads, in
 * groups of the sizes HubSpot allows (hubspot-limits.ts).
 */
export type CrmRecords = Pick<HubSpotGateway, 'readContacts' | 'readCompanies' | 'readDeals' | 'readAssociations' | 'updateContacts'>;

/** Batch read of any object type, `BATCH_LIMIT` ids per call (fewer with history). Missing ids are simply absent. */
export async function batchRead(
  call: HubSpotCall,
  portalId: string,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[],
  historyProperties: readonly string[] = [],
): Promise<ReadRecord[]> {
  const unique = [...new Set(ids.map(String))];
  const size = historyProperties.length > 0 ? BATCH_LIMIT_WITH_HISTORY : BATCH_LIMIT;
  const out: ReadRecord[] = [];
  for (const group of chunk(unique, size)) {
    const res = await call(portalId, `${objectType}.batch.read`, 'standard', (a) =>
      a.objectsBatch.read(
        objectType,
        {
          inputs: group.map((id) => ({ id })),
          properties: [...properties],
          propertiesWithHistory: [...historyProperties],
        },
        false,
      ),
    );
    // 207 answers list not-found ids under `errors`; they are simply absent here.
    for (const r of res.results as unknown as SdkRecord[]) out.push(toReadRecord(r));
  }
  return out;
}

export function createCrmRecords(call: HubSpotCall): CrmRecords {
  return {
    readContacts: (portalId, ids, properties, historyProperties = []) => batchRead(call, portalId, 'contacts', ids, properties, historyProperties),
    readCompanies: (portalId, ids, properties) => batchRead(call, portalId, 'companies', ids, properties),
    readDeals: (portalId, ids, properties) => batchRead(call, portalId, 'deals', ids, properties),

    async readAssociations(portalId, fromType, ids, toType) {
      const out = new Map<string, AssociatedObject[]>();
      let pending: { id: string; after?: string }[] = [...new Set(ids.map(String))].map((id) => ({ id }));
      while (pending.length > 0) {
        const next: { id: string; after?: string }[] = [];
        for (const group of chunk(pending, ASSOCIATION_BATCH_LIMIT)) {
          const res = await call(portalId, `associations.${fromType}.${toType}.batch.read`, 'standard', (a) =>
            a.associationsBatch.getPage(fromType, toType, { inputs: group }),
          );
          for (const r of res.results) {
            const fromId = String(r._from.id);
            const list = out.get(fromId) ?? [];
            for (const t of r.to) {
              list.push({
                id: String(t.toObjectId),
                typeIds: t.associationTypes.map((x) => Number(x.typeId)),
                labels: t.associationTypes.map((x) => x.label).filter((l): l is string => typeof l === 'string' && l !== ''),
              });
            }
            out.set(fromId, list);
            const after = r.paging?.next?.after;
            if (after) next.push({ id: fromId, after });
          }
        }
        pending = next;
      }
      return out;
    },

    async updateContacts(portalId, inputs) {
      const missing: string[] = [];
      // One input per contact: the last one wins if the caller passed duplicates.
      const merged = new Map<string, Record<string, string>>();
      for (const i of inputs) merged.set(String(i.id), { ...(merged.get(String(i.id)) ?? {}), ...i.properties });
      const all = [...merged].filter(([, p]) => Object.keys(p).length > 0).map(([id, properties]) => ({ id, properties }));
      for (const group of chunk(all, BATCH_LIMIT)) {
        // Absolute values: repeating the call after a 5xx is safe.
        const res = await call(portalId, 'contacts.batch.update', 'standard', (a) => a.objectsBatch.update('contacts', { inputs: group }));
        const errors = (res as { errors?: { category: string; message: string; context?: Record<string, string[]> }[] }).errors ?? [];
        const failures: { ids: string[]; message: string; category: string }[] = [];
        for (const e of errors) {
          const ids = e.context?.ids ?? [];
          if (e.category === 'OBJECT_NOT_FOUND') missing.push(...ids);
          else failures.push({ ids, message: e.message, category: e.category });
        }
        if (failures.length > 0) throw new HubSpotBatchPartialError('contacts.batch.update', portalId, failures);
      }
      return { missing };
    },
  };
}
