import type { Owner } from '../domain/types';
import type { PublicOwner } from '@hubspot/api-client/lib/codegen/crm/owners/models/PublicOwner';
import type { HistoryEntry, ReadRecord } from './hubspot-gateway-types';

/**
 * Pure conversions between the SDK's shapes and the gateway's (ids as strings,
 * times as epoch ms, absent fields left out rather than set to undefined).
 */
export interface SdkRecord {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, { value: string; timestamp: Date | string | number; sourceType?: string; sourceId?: string; updatedByUserId?: number }[]>;
}

/** The SDK hands times back as Date, ISO string or epoch ms depending on the endpoint. */
export const toMs = (v: Date | string | number): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v));

export function toReadRecord(r: SdkRecord): ReadRecord {
  const record: ReadRecord = { id: String(r.id), properties: { ...r.properties } };
  if (r.propertiesWithHistory) {
    const history: Record<string, HistoryEntry[]> = {};
    for (const [name, entries] of Object.entries(r.propertiesWithHistory)) {
      // Who made the change: credits the hand-off to a person (domain/handoff-credit.ts).
      history[name] = entries.map((e) => ({
        value: e.value,
        timestamp: toMs(e.timestamp),
        ...(e.sourceType ? { sourceType: e.sourceType } : {}),
        ...(e.sourceId ? { sourceId: e.sourceId } : {}),
        ...(e.updatedByUserId !== undefined ? { updatedByUserId: e.updatedByUserId } : {}),
      }));
    }
    record.propertiesWithHistory = history;
  }
  return record;
}

export function toOwner(o: PublicOwner): Owner {
  return {
    id: String(o.id),
    ...(o.userId !== undefined ? { userId: o.userId } : {}),
    ...(o.email ? { email: o.email } : {}),
    ...(o.firstName ? { firstName: o.firstName } : {}),
    ...(o.lastName ? { lastName: o.lastName } : {}),
    archived: o.archived === true,
    teams: (o.teams ?? []).map((t) => ({ id: String(t.id), name: t.name, primary: t.primary === true })),
  };
}

/** An inline association of a create request (HubSpot-defined type ids: hubspot-limits.ts ASSOCIATION_TYPE). */
export function inlineAssociation(id: string, typeId: number) {
  return { to: { id: String(id) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] };
}
