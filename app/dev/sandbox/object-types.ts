/**
 * The CRM object types the sandbox emulates, with HubSpot's three spellings of
 * each: the plural used in API paths (`contacts`), the object type id (`0-1`)
 * and the singular used by webhook subscriptions (`contact`, `meeting_event`).
 *
 * Object type ids: https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm#object-type-ids
 * Webhook object names: https://developers.hubspot.com/docs/guides/webhooks/create-generic-webhook-subscriptions
 */

export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tasks', 'notes', 'calls', 'emails', 'meetings'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ENGAGEMENT_TYPES: readonly ObjectType[] = ['tasks', 'notes', 'calls', 'emails', 'meetings'];

interface ObjectTypeInfo {
  typeId: string;
  /** Singular name used in webhook subscriptions and association labels. */
  singular: string;
  /** Upper-case name used in association type names (`CONTACT_TO_COMPANY`) and error messages. */
  upper: string;
}

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  contacts: { typeId: '0-1', singular: 'contact', upper: 'CONTACT' },
  companies: { typeId: '0-2', singular: 'company', upper: 'COMPANY' },
  deals: { typeId: '0-3', singular: 'deal', upper: 'DEAL' },
  tasks: { typeId: '0-27', singular: 'task', upper: 'TASK' },
  notes: { typeId: '0-46', singular: 'note', upper: 'NOTE' },
  meetings: { typeId: '0-47', singular: 'meeting_event', upper: 'MEETING' },
  calls: { typeId: '0-48', singular: 'call', upper: 'CALL' },
  emails: { typeId: '0-49', singular: 'email', upper: 'EMAIL' },
};

/** Marketing events are CRM objects too (0-54), but only reached through the marketing API here. */
export const MARKETING_EVENT_TYPE_ID = '0-54';

/**
 * Accepts every spelling HubSpot accepts in a path: `contacts`, `contact`, `0-1`,
 * and also `meeting`/`meeting_event` for meetings. Returns undefined for types
 * the sandbox does not emulate.
 */
export function parseObjectType(raw: string): ObjectType | undefined {
  const v = raw.toLowerCase();
  for (const t of OBJECT_TYPES) {
    const info = OBJECT_TYPE_INFO[t];
    if (v === t || v === info.typeId || v === info.singular || v === info.upper.toLowerCase()) return t;
  }
  if (v === 'meeting') return 'meetings';
  return undefined;
}

export function objectTypeBySingular(singular: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => OBJECT_TYPE_INFO[t].singular === singular) ?? parseObjectType(singular);
}

export interface AssociationTypeDef {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** The type id of the same association seen from the other side. */
  inverseTypeId: number;
  /** HubSpot labels only the primary company associations ("Primary"); defaults are unlabeled. */
  label: string | null;
  /** Whether this is the default (unlabeled) type used by the "default" association endpoints. */
  isDefault: boolean;
}

/**
 * HubSpot-defined association type ids between the emulated types, taken from
 * @hubspot/api-client's AssociationTypes enum (lib/src/enums/AssociationTypes.d.ts).
 * Each row is [from, to, typeId, inverse typeId]; primary rows carry the "Primary" label.
 * https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4#association-type-id-values
 */
const PAIRS: [ObjectType, ObjectType, number, number, 'primary'?][] = [
  ['contacts', 'companies', 279, 280],
  ['contacts', 'companies', 1, 2, 'primary'],
  ['deals', 'contacts', 3, 4],
  ['deals', 'companies', 341, 342],
  ['deals', 'companies', 5, 6, 'primary'],
  ['companies', 'calls', 181, 182],
  ['companies', 'emails', 185, 186],
  ['companies', 'meetings', 187, 188],
  ['companies', 'notes', 189, 190],
  ['companies', 'tasks', 191, 192],
  ['contacts', 'calls', 193, 194],
  ['contacts', 'emails', 197, 198],
  ['contacts', 'meetings', 199, 200],
  ['contacts', 'notes', 201, 202],
  ['contacts', 'tasks', 203, 204],
  ['deals', 'calls', 205, 206],
  ['deals', 'emails', 209, 210],
  ['deals', 'meetings', 211, 212],
  ['deals', 'notes', 213, 214],
  ['deals', 'tasks', 215, 216],
  ['calls', 'meetings', 399, 400],
  ['contacts', 'contacts', 449, 449],
  ['companies', 'companies', 450, 450],
  ['deals', 'deals', 451, 451],
];

export const ASSOCIATION_TYPES: readonly AssociationTypeDef[] = PAIRS.flatMap(([a, b, ab, ba, primary]) => {
  const label = primary ? 'Primary' : null;
  const forward: AssociationTypeDef = { from: a, to: b, typeId: ab, inverseTypeId: ba, label, isDefault: !primary };
  if (a === b) return [forward];
  return [forward, { from: b, to: a, typeId: ba, inverseTypeId: ab, label, isDefault: !primary }];
});

export function findAssociationType(from: ObjectType, to: ObjectType, typeId: number): AssociationTypeDef | undefined {
  return ASSOCIATION_TYPES.find((d) => d.from === from && d.to === to && d.typeId === typeId);
}

export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationTypeDef | undefined {
  return ASSOCIATION_TYPES.find((d) => d.from === from && d.to === to && d.isDefault);
}
