import { chunk } from './chunk';
import type { HubSpotCall } from './call-with-retry';
import { HubSpotApiError, HubSpotBatchPartialError } from './hubspot-errors';
import type { AssociatedObject, HubSpotGateway, ReadRecord } from './hubspot-gateway-types';
import { ASSOCIATION_BATCH_LIMIT, BATCH_LIMIT, BATCH_LIMIT_WITH_HISTORY } from './hubspot-limits';
import { toReadRecord, type SdkRecord } from './record-mapping';

/**
 * Batch reads and updates of CRM objects, and associations v4 batch reads, in
 * groups of the sizes HubSpot allows (hubspot-limits.ts).
 */
export type CrmRecords = Pick<HubSpotGateway, 'readContacts' | 'readCompanies' | 'readDeals' | 'readAssociations' | 'updateContacts' | 'updateDeals'>;

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

type BatchFailure = { ids: string[]; message: string; category: string };
type UpdateInput = { id: string; properties: Record<string, string> };

/**
 * One batch update, answered either 207 with per-id `errors` (the rest was written)
 * or, for some inputs, a whole-batch 4xx that names the offending ids (context.ids,
 * or ids quoted in the message): those are then left out and the rest sent again.
 * A 4xx naming no id of the batch fails as before.
 */
async function updateGroup(call: HubSpotCall, portalId: string, group: readonly UpdateInput[], objectType: 'contacts' | 'deals' = 'contacts'): Promise<BatchFailure[]> {
  const out: BatchFailure[] = [];
  let pending = [...group];
  while (pending.length > 0) {
    try {
      // Absolute values: repeating the call after a 5xx is safe.
      const res = await call(portalId, `${objectType}.batch.update`, 'standard', (a) => a.objectsBatch.update(objectType, { inputs: pending }));
      const errors = (res as { errors?: { category: string; message: string; context?: Record<string, string[]> }[] }).errors ?? [];
      for (const e of errors) out.push({ ids: e.context?.ids ?? [], message: e.message, category: e.category });
      return out;
    } catch (err) {
      const named = err instanceof HubSpotApiError ? rejectedIds(err, pending) : [];
      if (named.length === 0) throw err;
      const e = err as HubSpotApiError;
      out.push({ ids: named, message: e.detail, category: e.options.hubspotCategory ?? (e.category === 'not_found' ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR') });
      pending = pending.filter((i) => !named.includes(i.id));
    }
  }
  return out;
}

/** The ids of `pending` a whole-batch 4xx names; only ids of this batch count, so a stray number in a message cannot drop a contact. */
function rejectedIds(err: HubSpotApiError, pending: readonly UpdateInput[]): string[] {
  if (err.status === undefined || err.status < 400 || err.status >= 500 || err.category === 'auth' || err.category === 'rate_limit') return [];
  const inBatch = new Set(pending.map((i) => i.id));
  // e.g. "No contact with ID '7' exists", "ids [7, 9] were not found".
  const quoted = [...err.detail.matchAll(/\bids?\b\W{0,4}((?:\d+\W{0,3})+)/gi)].flatMap((m) => m[1]?.match(/\d+/g) ?? []);
  return [...new Set([...(err.options.namedIds ?? []), ...quoted])].filter((id) => inBatch.has(id));
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
      const failures: BatchFailure[] = [];
      // One input per contact: the last one wins if the caller passed duplicates.
      const merged = new Map<string, Record<string, string>>();
      for (const i of inputs) merged.set(String(i.id), { ...(merged.get(String(i.id)) ?? {}), ...i.properties });
      const all = [...merged].filter(([, p]) => Object.keys(p).length > 0).map(([id, properties]) => ({ id, properties }));
      // Every group is sent even when an earlier one had failures: one bad contact
      // never holds back the writes of the others.
      for (const group of chunk(all, BATCH_LIMIT)) {
        for (const e of await updateGroup(call, portalId, group)) {
          if (e.category === 'OBJECT_NOT_FOUND') missing.push(...e.ids);
          else failures.push(e);
        }
      }
      if (failures.length > 0) throw new HubSpotBatchPartialError('contacts.batch.update', portalId, failures);
      return { missing };
    },

    // The hand-off's attribution on deals (docs/product.md, deal properties); a deal deleted meanwhile is skipped.
    async updateDeals(portalId, inputs) {
      const missing: string[] = [];
      for (const group of chunk(inputs.map((i) => ({ id: String(i.id), properties: i.properties })), BATCH_LIMIT)) {
        const failures = await updateGroup(call, portalId, group, 'deals');
        missing.push(...failures.filter((e) => e.category === 'OBJECT_NOT_FOUND').flatMap((e) => e.ids));
        const other = failures.filter((e) => e.category !== 'OBJECT_NOT_FOUND');
        if (other.length > 0) throw new HubSpotBatchPartialError('deals.batch.update', portalId, other);
      }
      return { missing };
    },
  };
}
