import type { Clock } from '../../src/platform/clock';
import { hubspotError, notFound, propertyProblem, propertyValuesNotValid, validationError, type PropertyValidationProblem } from './hubspot-errors';
import { ENGAGEMENT_TYPES, OBJECT_TYPE_INFO, findAssociationType, type ObjectType, ASSOCIATION_TYPES } from './object-types';
import { lifecycleOrder, type AssociationLink, type PortalState, type StoredObject } from './portal-state';
import { DEFAULT_READ_PROPERTIES, type PropertyDefinition } from './default-properties';

/**
 * CRM writes with HubSpot's rules, and the change feed the webhook emulation reads:
 *  - every value is stored and returned as a string;
 *  - unknown properties, bad enumeration options, unknown owners, read-only values → 400
 *    "Property values were not valid" (the whole request fails, nothing is written);
 *  - lifecycle stage only moves forward; a backward value is silently ignored unless the
 *    stage was cleared ("") first, in a separate request
 *    (https://knowledge.hubspot.com/records/use-lifecycle-stages#move-a-record-back-to-a-previous-lifecycle-stage);
 *  - createdate / hs_createdate, lastmodifieddate / hs_lastmodifieddate and hs_object_id are maintained;
 *  - each effective change is recorded in the property history and emitted once.
 */

/** Who made a change: decides the webhook `changeSource`/`sourceId` and the history `sourceType`. */
export interface WriteSource {
  /** Webhook `changeSource`, e.g. INTEGRATION (an app's OAuth token), CRM_UI, FORMS, EMAIL, SALES. */
  changeSource: string;
  /** Webhook `sourceId`: the app id for INTEGRATION, `userId:<id>` for people. */
  sourceId?: string;
  /** History `sourceType` (propertiesWithHistory), e.g. INTEGRATION, CRM_UI, FORM, EMAIL, CALCULATED. */
  historySourceType: string;
  historySourceId?: string;
  userId?: number;
  /** HubSpot itself writing calculated properties (scenario tools): read-only values allowed. */
  internal?: boolean;
}

export type CrmChange = {
  portalId: number;
  occurredAt: number;
  source: WriteSource;
  objectType: ObjectType;
  objectId: string;
} & (
  | { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion' }
  | { kind: 'propertyChange'; propertyName: string; propertyValue: string }
  | { kind: 'merge'; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number }
  | { kind: 'associationChange'; toObjectType: ObjectType; toObjectId: string; associationTypeId: number; associationCategory: string; associationRemoved: boolean; isPrimaryAssociation: boolean }
);

export interface InlineAssociation {
  to: { id: string };
  types: { associationCategory: string; associationTypeId: number }[];
}

export interface ReadOptions {
  properties?: string[];
  propertiesWithHistory?: string[];
  associations?: ObjectType[];
  /** Write responses return every property that has a value. */
  allSetProperties?: boolean;
}

export interface CrmStore {
  createObject(portal: PortalState, type: ObjectType, properties: Record<string, unknown>, associations: InlineAssociation[], source: WriteSource): StoredObject;
  /** Validates every input first, then creates them all (HubSpot batch create fails as a whole on bad values). */
  createObjects(portal: PortalState, type: ObjectType, inputs: { properties: Record<string, unknown>; associations?: InlineAssociation[] }[], source: WriteSource): StoredObject[];
  updateObject(portal: PortalState, type: ObjectType, id: string, properties: Record<string, unknown>, source: WriteSource): StoredObject;
  validateWrite(portal: PortalState, type: ObjectType, properties: Record<string, unknown>, source: WriteSource): void;
  getObject(portal: PortalState, type: ObjectType, id: string): StoredObject | undefined;
  findByProperty(portal: PortalState, type: ObjectType, property: string, value: string): StoredObject | undefined;
  archiveObject(portal: PortalState, type: ObjectType, id: string, source: WriteSource, opts?: { privacy?: boolean }): void;
  mergeObjects(portal: PortalState, type: ObjectType, primaryId: string, mergeId: string, source: WriteSource): StoredObject;
  associate(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, links: AssociationLink[], source: WriteSource): void;
  disassociate(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, source: WriteSource): void;
  associationsOf(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType): { toId: string; links: AssociationLink[] }[];
  toPublic(portal: PortalState, type: ObjectType, obj: StoredObject, opts: ReadOptions): Record<string, unknown>;
  onChange(listener: (change: CrmChange) => void): void;
  nextId(): string;
}

export interface IdSequence {
  next(): number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function toStringValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function parseTime(v: string): number | undefined {
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

export function createCrmStore(deps: { clock: Clock; ids: IdSequence }): CrmStore {
  const listeners: ((c: CrmChange) => void)[] = [];
  const emit = (c: CrmChange) => {
    for (const l of listeners) l(c);
  };

  const timestampProps = (type: ObjectType): { created: string[]; modified: string[] } =>
    type === 'contacts'
      ? { created: ['createdate', 'hs_createdate'], modified: ['lastmodifieddate', 'hs_lastmodifieddate'] }
      : type === 'companies' || type === 'deals'
        ? { created: ['createdate', 'hs_createdate'], modified: ['hs_lastmodifieddate'] }
        : { created: ['hs_createdate'], modified: ['hs_lastmodifieddate'] };

  /** Normalises one value per HubSpot's type rules, or returns a problem. */
  function normalise(portal: PortalState, def: PropertyDefinition, raw: string): { value: string } | { problem: PropertyValidationProblem } {
    const bad = (error: string, message: string) => ({ problem: propertyProblem(portal.portalId, def.name, error, message) });
    if (raw === '') return { value: '' };
    switch (def.type) {
      case 'number':
        return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? { value: raw.trim() } : bad('INVALID_DECIMAL', `${raw} was not a valid number.`);
      case 'bool': {
        const v = raw.toLowerCase();
        return v === 'true' || v === 'false' ? { value: v } : bad('INVALID_BOOLEAN', `${raw} was not a valid boolean; use "true" or "false".`);
      }
      case 'datetime': {
        const ms = parseTime(raw);
        return ms === undefined ? bad('INVALID_DATE', `${raw} was not a valid datetime; use epoch milliseconds or ISO 8601.`) : { value: iso(ms) };
      }
      case 'date': {
        const ms = parseTime(raw);
        if (ms === undefined) return bad('INVALID_DATE', `${raw} was not a valid date; use YYYY-MM-DD or midnight UTC in epoch milliseconds.`);
        return { value: iso(ms).slice(0, 10) };
      }
      case 'enumeration': {
        if (def.referencedObjectType === 'OWNER') {
          return portal.owners.some((o) => o.id === raw)
            ? { value: raw }
            : bad('INVALID_OWNER_ID', `${raw} is not a valid owner id. Read the portal's owners with GET /crm/v3/owners.`);
        }
        if (def.externalOptions) return { value: raw };
        const allowed = def.options.map((o) => o.value);
        const parts = raw.split(';');
        const wrong = parts.find((p) => !allowed.includes(p));
        return wrong === undefined
          ? { value: raw }
          : bad('INVALID_OPTION', `${wrong} was not one of the allowed options: [${allowed.join(', ')}]`);
      }
      default:
        return { value: raw };
    }
  }

  function checkedValues(portal: PortalState, type: ObjectType, properties: Record<string, unknown>, source: WriteSource): Record<string, string> {
    const problems: PropertyValidationProblem[] = [];
    const out: Record<string, string> = {};
    for (const [name, rawValue] of Object.entries(properties ?? {})) {
      const def = portal.properties[type][name];
      if (!def) {
        problems.push(
          propertyProblem(
            portal.portalId,
            name,
            'PROPERTY_DOESNT_EXIST',
            `Property "${name}" does not exist. Create it first with POST /crm/v3/properties/${type}.`,
          ),
        );
        continue;
      }
      if (def.readOnlyValue && !source.internal) {
        problems.push(propertyProblem(portal.portalId, name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`));
        continue;
      }
      const r = normalise(portal, def, toStringValue(rawValue));
      if ('problem' in r) problems.push(r.problem);
      else out[name] = r.value;
    }
    if (problems.length > 0) throw propertyValuesNotValid(problems);
    return out;
  }

  /** Applies already-normalised values; returns the names that actually changed. */
  function apply(portal: PortalState, type: ObjectType, obj: StoredObject, values: Record<string, string>, source: WriteSource, at: number): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      const current = obj.properties[name] ?? '';
      if (name === 'lifecyclestage' && value !== '' && current !== '') {
        const order = lifecycleOrder(portal, type);
        // Forward only: HubSpot silently keeps the later stage.
        if (order.indexOf(value) <= order.indexOf(current)) continue;
      }
      if (value === current) continue;
      if (value === '') delete obj.properties[name];
      else obj.properties[name] = value;
      const h = (obj.history[name] ??= []);
      h.unshift({
        value,
        timestamp: at,
        sourceType: source.historySourceType,
        ...(source.historySourceId ? { sourceId: source.historySourceId } : {}),
        ...(source.userId !== undefined ? { updatedByUserId: source.userId } : {}),
      });
      changed.push(name);
      if (name === 'lifecyclestage' && value !== '') {
        const became = `hs_lifecyclestage_${value}_date`;
        if (portal.properties[type][became] && obj.properties[became] === undefined) {
          obj.properties[became] = iso(at);
          (obj.history[became] ??= []).unshift({ value: iso(at), timestamp: at, sourceType: 'CALCULATED' });
        }
      }
    }
    if (changed.length > 0) {
      obj.updatedAt = at;
      for (const m of timestampProps(type).modified) obj.properties[m] = iso(at);
    }
    return changed;
  }

  function resolveInline(portal: PortalState, type: ObjectType, assocs: InlineAssociation[]): { toType: ObjectType; toId: string; links: AssociationLink[] }[] {
    return assocs.map((a) => {
      const types = a.types ?? [];
      if (!a.to?.id || types.length === 0) throw validationError('Each association needs `to.id` and at least one entry in `types` ({associationCategory, associationTypeId}).');
      let toType: ObjectType | undefined;
      const links: AssociationLink[] = [];
      for (const t of types) {
        const candidates = ASSOCIATION_TYPES.filter((d) => d.from === type && d.typeId === Number(t.associationTypeId));
        const def = candidates[0];
        if (!def || t.associationCategory !== 'HUBSPOT_DEFINED') {
          throw validationError(
            `association type id ${t.associationTypeId} (${t.associationCategory}) is not valid from ${OBJECT_TYPE_INFO[type].upper}; see the AssociationTypes enum of @hubspot/api-client for HUBSPOT_DEFINED ids (e.g. task→contact 204).`,
          );
        }
        if (toType && toType !== def.to) throw validationError('All types of one association must point to the same object type.');
        toType = def.to;
        links.push({ category: 'HUBSPOT_DEFINED', typeId: def.typeId });
      }
      const target = toType ? portal.objects[toType][String(a.to.id)] : undefined;
      if (!toType || !target || target.archived) {
        throw validationError(`Cannot associate: ${toType ? OBJECT_TYPE_INFO[toType].upper : 'object'} ${a.to.id} does not exist in portal ${portal.portalId}.`);
      }
      return { toType, toId: String(a.to.id), links };
    });
  }

  const key = (t: ObjectType, id: string) => `${t}:${id}`;

  function addLinks(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, links: AssociationLink[], source: WriteSource, at: number) {
    const fwd = ((portal.associations[key(fromType, fromId)] ??= {})[key(toType, toId)] ??= []);
    const back = ((portal.associations[key(toType, toId)] ??= {})[key(fromType, fromId)] ??= []);
    for (const link of links) {
      const def = findAssociationType(fromType, toType, link.typeId);
      if (fwd.some((l) => l.typeId === link.typeId)) continue;
      fwd.push(link);
      const inverse: AssociationLink = { category: link.category, typeId: def?.inverseTypeId ?? link.typeId };
      if (!back.some((l) => l.typeId === inverse.typeId)) back.push(inverse);
      const isPrimary = def?.label === 'Primary';
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: fromType, objectId: fromId, kind: 'associationChange', toObjectType: toType, toObjectId: toId, associationTypeId: link.typeId, associationCategory: link.category, associationRemoved: false, isPrimaryAssociation: isPrimary });
      if (!(fromType === toType && fromId === toId)) {
        emit({ portalId: portal.portalId, occurredAt: at, source, objectType: toType, objectId: toId, kind: 'associationChange', toObjectType: fromType, toObjectId: fromId, associationTypeId: inverse.typeId, associationCategory: link.category, associationRemoved: false, isPrimaryAssociation: isPrimary });
      }
    }
    if (fromType === 'contacts' && toType === 'companies' && links.some((l) => l.typeId === 1)) {
      const contact = portal.objects.contacts[fromId];
      if (contact) apply(portal, 'contacts', contact, { associatedcompanyid: toId }, { ...source, historySourceType: 'CALCULATED', internal: true }, at);
    }
  }

  function removeAllLinks(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, source: WriteSource, at: number) {
    const fwd = portal.associations[key(fromType, fromId)]?.[key(toType, toId)] ?? [];
    const back = portal.associations[key(toType, toId)]?.[key(fromType, fromId)] ?? [];
    for (const l of fwd) {
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: fromType, objectId: fromId, kind: 'associationChange', toObjectType: toType, toObjectId: toId, associationTypeId: l.typeId, associationCategory: l.category, associationRemoved: true, isPrimaryAssociation: findAssociationType(fromType, toType, l.typeId)?.label === 'Primary' });
    }
    for (const l of back) {
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: toType, objectId: toId, kind: 'associationChange', toObjectType: fromType, toObjectId: fromId, associationTypeId: l.typeId, associationCategory: l.category, associationRemoved: true, isPrimaryAssociation: findAssociationType(toType, fromType, l.typeId)?.label === 'Primary' });
    }
    delete portal.associations[key(fromType, fromId)]?.[key(toType, toId)];
    delete portal.associations[key(toType, toId)]?.[key(fromType, fromId)];
  }

  function requireLive(portal: PortalState, type: ObjectType, id: string): StoredObject {
    const obj = portal.objects[type][id];
    if (!obj || obj.archived) {
      throw notFound(`Object not found.  objectId are usually numeric. (${OBJECT_TYPE_INFO[type].upper} ${id} does not exist in portal ${portal.portalId})`);
    }
    return obj;
  }

  function prepareCreate(portal: PortalState, type: ObjectType, properties: Record<string, unknown>, assocs: InlineAssociation[], source: WriteSource) {
    const values = checkedValues(portal, type, properties, source);
    if (ENGAGEMENT_TYPES.includes(type) && !values.hs_timestamp) {
      throw propertyValuesNotValid([
        propertyProblem(portal.portalId, 'hs_timestamp', 'REQUIRED_PROPERTY', `hs_timestamp is required for ${type}: set it to the activity time (tasks: the due date) in epoch ms or ISO 8601.`),
      ]);
    }
    if (type === 'contacts' && values.email) {
      const existing = store.findByProperty(portal, 'contacts', 'email', values.email);
      if (existing) throw hubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
    const links = resolveInline(portal, type, assocs);
    return { values, links };
  }

  function commitCreate(portal: PortalState, type: ObjectType, prepared: ReturnType<typeof prepareCreate>, source: WriteSource): StoredObject {
    const at = deps.clock.now();
    const id = String(deps.ids.next());
    const obj: StoredObject = { id, properties: {}, history: {}, createdAt: at, updatedAt: at, archived: false };
    for (const c of timestampProps(type).created) obj.properties[c] = iso(at);
    obj.properties.hs_object_id = id;
    portal.objects[type][id] = obj;
    emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: id, kind: 'creation' });
    const changed = apply(portal, type, obj, prepared.values, source, at);
    for (const m of timestampProps(type).modified) obj.properties[m] = iso(at);
    for (const name of changed) {
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: id, kind: 'propertyChange', propertyName: name, propertyValue: prepared.values[name] ?? '' });
    }
    for (const l of prepared.links) addLinks(portal, type, id, l.toType, l.toId, l.links, source, at);
    if (type === 'contacts') associateCompanyByDomain(portal, obj, at);
    return obj;
  }

  /**
   * The portal setting `autoAssociateCompaniesByDomain` (portal-state.ts): a new contact
   * without a company is linked (primary + unlabeled, as the UI does) to the company whose
   * `domain` is its e-mail domain, by HubSpot itself, so the association events it fires
   * do not name the app that created the contact. UNVERIFIED: the changeSource HubSpot
   * reports for this automation; CALCULATED is used.
   */
  function associateCompanyByDomain(portal: PortalState, contact: StoredObject, at: number) {
    const domain = contact.properties.email?.split('@')[1]?.toLowerCase();
    if (!portal.autoAssociateCompaniesByDomain || !domain || Object.keys(portal.associations[key('contacts', contact.id)] ?? {}).some((k) => k.startsWith('companies:'))) return;
    const company = Object.values(portal.objects.companies).find((c) => !c.archived && c.properties.domain?.toLowerCase() === domain);
    if (!company) return;
    const hubspot: WriteSource = { changeSource: 'CALCULATED', historySourceType: 'CALCULATED', internal: true };
    addLinks(portal, 'contacts', contact.id, 'companies', company.id, [{ category: 'HUBSPOT_DEFINED', typeId: 1 }, { category: 'HUBSPOT_DEFINED', typeId: 279 }], hubspot, at);
  }

  const store: CrmStore = {
    nextId: () => String(deps.ids.next()),
    onChange: (l) => {
      listeners.push(l);
    },
    getObject: (portal, type, id) => {
      const o = portal.objects[type][id];
      return o && !o.archived ? o : undefined;
    },
    findByProperty: (portal, type, property, value) => {
      const needle = property === 'email' ? value.toLowerCase() : value;
      return Object.values(portal.objects[type]).find((o) => !o.archived && (property === 'email' ? o.properties[property]?.toLowerCase() : o.properties[property]) === needle);
    },
    validateWrite: (portal, type, properties, source) => {
      checkedValues(portal, type, properties, source);
    },
    createObject: (portal, type, properties, associations, source) => commitCreate(portal, type, prepareCreate(portal, type, properties, associations, source), source),
    createObjects: (portal, type, inputs, source) => {
      const prepared = inputs.map((i) => prepareCreate(portal, type, i.properties ?? {}, i.associations ?? [], source));
      const emails = prepared.map((p) => p.values.email?.toLowerCase()).filter((e): e is string => !!e);
      const dup = emails.find((e, i) => emails.indexOf(e) !== i);
      if (type === 'contacts' && dup) throw hubspotError(409, 'CONFLICT', `Duplicate email in batch input: ${dup}`);
      return prepared.map((p) => commitCreate(portal, type, p, source));
    },
    updateObject: (portal, type, id, properties, source) => {
      const obj = requireLive(portal, type, id);
      const values = checkedValues(portal, type, properties, source);
      const at = deps.clock.now();
      const changed = apply(portal, type, obj, values, source, at);
      for (const name of changed) {
        emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: id, kind: 'propertyChange', propertyName: name, propertyValue: values[name] ?? '' });
      }
      return obj;
    },
    archiveObject: (portal, type, id, source, opts) => {
      const obj = requireLive(portal, type, id);
      const at = deps.clock.now();
      obj.archived = true;
      obj.archivedAt = at;
      if (opts?.privacy) {
        // A GDPR delete removes the data for good.
        delete portal.objects[type][id];
      }
      for (const toKey of Object.keys(portal.associations[key(type, id)] ?? {})) {
        const [toType, toId] = toKey.split(':') as [ObjectType, string];
        removeAllLinks(portal, type, id, toType, toId, source, at);
      }
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: id, kind: 'deletion' });
      if (opts?.privacy) emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: id, kind: 'privacyDeletion' });
    },
    mergeObjects: (portal, type, primaryId, mergeId, source) => {
      const primary = requireLive(portal, type, primaryId);
      const merged = requireLive(portal, type, mergeId);
      if (primaryId === mergeId) throw validationError('primaryObjectId and objectIdToMerge must be different records.');
      const at = deps.clock.now();
      // Values only the merged record has move to the primary; HubSpot keeps the primary's otherwise.
      const moved: Record<string, string> = {};
      for (const [name, value] of Object.entries(merged.properties)) {
        if (primary.properties[name] === undefined && !portal.properties[type][name]?.readOnlyValue && name !== 'email') moved[name] = value;
      }
      apply(portal, type, primary, moved, { ...source, internal: true }, at);
      for (const toKey of Object.keys(portal.associations[key(type, mergeId)] ?? {})) {
        const [toType, toId] = toKey.split(':') as [ObjectType, string];
        const links = portal.associations[key(type, mergeId)]?.[toKey] ?? [];
        addLinks(portal, type, primaryId, toType, toId, links, source, at);
      }
      merged.archived = true;
      merged.archivedAt = at;
      delete portal.associations[key(type, mergeId)];
      emit({ portalId: portal.portalId, occurredAt: at, source, objectType: type, objectId: primaryId, kind: 'merge', primaryObjectId: primaryId, mergedObjectIds: [mergeId], newObjectId: primaryId, numberOfPropertiesMoved: Object.keys(moved).length });
      return primary;
    },
    associate: (portal, fromType, fromId, toType, toId, links, source) => {
      requireLive(portal, fromType, fromId);
      requireLive(portal, toType, toId);
      for (const l of links) {
        if (l.category !== 'HUBSPOT_DEFINED' || !findAssociationType(fromType, toType, l.typeId)) {
          throw validationError(
            `association type id ${l.typeId} (${l.category}) does not exist between ${OBJECT_TYPE_INFO[fromType].upper} and ${OBJECT_TYPE_INFO[toType].upper}; use a HUBSPOT_DEFINED id from @hubspot/api-client's AssociationTypes.`,
          );
        }
      }
      addLinks(portal, fromType, fromId, toType, toId, links, source, deps.clock.now());
    },
    disassociate: (portal, fromType, fromId, toType, toId, source) => {
      removeAllLinks(portal, fromType, fromId, toType, toId, source, deps.clock.now());
    },
    associationsOf: (portal, fromType, fromId, toType) => {
      const all = portal.associations[key(fromType, fromId)] ?? {};
      return Object.entries(all)
        .filter(([k, links]) => k.startsWith(`${toType}:`) && links.length > 0)
        .map(([k, links]) => ({ toId: k.slice(toType.length + 1), links }))
        .filter((a) => store.getObject(portal, toType, a.toId) !== undefined)
        .sort((a, b) => Number(a.toId) - Number(b.toId));
    },
    toPublic: (portal, type, obj, opts) => {
      let names: string[];
      if (opts.allSetProperties) names = Object.keys(obj.properties);
      else {
        const ts = timestampProps(type);
        const base = ['hs_object_id', ts.created[0] ?? 'hs_createdate', ts.modified[0] ?? 'hs_lastmodifieddate'];
        const requested = opts.properties && opts.properties.length > 0 ? opts.properties : [];
        // HubSpot ignores requested properties that do not exist.
        names = [...new Set([...base, ...(requested.length > 0 ? requested.filter((p) => portal.properties[type][p]) : DEFAULT_READ_PROPERTIES[type])])];
      }
      const properties: Record<string, string | null> = {};
      for (const n of names.sort()) properties[n] = obj.properties[n] ?? null;
      const out: Record<string, unknown> = { id: obj.id, properties, createdAt: iso(obj.createdAt), updatedAt: iso(obj.updatedAt), archived: obj.archived };
      if (obj.archived && obj.archivedAt) out.archivedAt = iso(obj.archivedAt);
      if (opts.propertiesWithHistory && opts.propertiesWithHistory.length > 0) {
        const h: Record<string, unknown[]> = {};
        for (const n of opts.propertiesWithHistory) {
          if (!portal.properties[type][n]) continue;
          h[n] = (obj.history[n] ?? []).map((e) => ({ ...e, timestamp: iso(e.timestamp) }));
        }
        out.propertiesWithHistory = h;
      }
      if (opts.associations && opts.associations.length > 0) {
        const assoc: Record<string, unknown> = {};
        for (const toType of opts.associations) {
          const list = store.associationsOf(portal, type, obj.id, toType);
          if (list.length === 0) continue;
          assoc[toType] = {
            results: list.flatMap((a) =>
              a.links.map((l) => {
                const def = findAssociationType(type, toType, l.typeId);
                const base = `${OBJECT_TYPE_INFO[type].singular}_to_${OBJECT_TYPE_INFO[toType].singular}`;
                return { id: a.toId, type: def?.label ? base : `${base}_unlabeled` };
              }),
            ),
          };
        }
        out.associations = assoc;
      }
      return out;
    },
  };
  return store;
}
