import type { Request } from 'express';
import { boolParam, intParam, listParam, type DefineRoute } from './api-route';
import { hubspotError, notFound, validationError } from './hubspot-errors';
import { runSearch, type SearchRequest } from './crm-search';
import { OBJECT_TYPE_INFO, parseObjectType, type ObjectType } from './object-types';
import type { InlineAssociation } from './crm-store';
import type { PortalState, StoredObject } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * CRM objects v3 (and the 2026-03 date-versioned alias): basic, batch, search, merge.
 * https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide
 * Batch limits: 100 inputs; 50 when propertiesWithHistory is requested.
 * https://developers.hubspot.com/docs/guides/api/crm/objects/contacts#limits
 */
export const BATCH_MAX_INPUTS = 100;
export const BATCH_HISTORY_MAX_INPUTS = 50;
const LIST_MAX_LIMIT = 100;
const PREFIXES = ['/crm/v3/objects', '/crm/objects/2026-03'];

export function objectTypeOf(req: Request): ObjectType {
  const raw = String(req.params.objectType ?? '');
  const t = parseObjectType(raw);
  if (!t) {
    throw hubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}. The sandbox emulates contacts, companies, deals, tasks, notes, calls, emails and meetings.`);
  }
  return t;
}

/** Scopes HubSpot asks for: engagements are covered by the contact scopes. */
export function objectScope(type: ObjectType, access: 'read' | 'write'): string[] {
  const base = type === 'companies' ? 'companies' : type === 'deals' ? 'deals' : 'contacts';
  return [`crm.objects.${base}.${access}`];
}

function batchInputs(req: Request): unknown[] {
  const inputs = (req.body as { inputs?: unknown })?.inputs;
  if (!Array.isArray(inputs)) throw validationError('Request body must be {"inputs": [...]}');
  if (inputs.length > BATCH_MAX_INPUTS) {
    throw validationError(`Batch request has ${inputs.length} inputs but the limit is ${BATCH_MAX_INPUTS}. Split it into batches of at most ${BATCH_MAX_INPUTS}.`, {
      context: { inputs: [String(inputs.length)], limit: [String(BATCH_MAX_INPUTS)] },
    });
  }
  return inputs;
}

function notFoundError(type: ObjectType, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${OBJECT_TYPE_INFO[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    links: {},
    errors: [],
  };
}

function batchEnvelope(startedAt: number, rt: SandboxRuntime, results: unknown[], errors: unknown[]) {
  const out: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(rt.clock.now()).toISOString() };
  if (errors.length > 0) {
    out.numErrors = errors.length;
    out.errors = errors;
  }
  return out;
}

function findBy(rt: SandboxRuntime, portal: PortalState, type: ObjectType, id: string, idProperty: string | undefined): StoredObject | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return rt.store.getObject(portal, type, id);
  if (!portal.properties[type][idProperty]) throw validationError(`idProperty ${idProperty} does not exist on ${type}.`);
  return rt.store.findByProperty(portal, type, idProperty, id);
}

export function registerCrmObjectRoutes(rt: SandboxRuntime, define: DefineRoute): void {
  for (const prefix of PREFIXES) {
    const ep = (suffix: string) => (req: Request) => `${req.method} /crm/v3/objects/${objectTypeOf(req)}${suffix}`;

    define('post', `${prefix}/contacts/merge`, { endpoint: () => 'POST /crm/v3/objects/contacts/merge', scopes: () => ['crm.objects.contacts.write'] }, ({ portal, req }) => {
      const body = req.body as { primaryObjectId?: string; objectIdToMerge?: string };
      if (!body?.primaryObjectId || !body.objectIdToMerge) throw validationError('Body must be {"primaryObjectId": "...", "objectIdToMerge": "..."}');
      const merged = rt.store.mergeObjects(portal, 'contacts', String(body.primaryObjectId), String(body.objectIdToMerge), rt.integrationSource);
      return { body: rt.store.toPublic(portal, 'contacts', merged, { allSetProperties: true }) };
    });

    define('post', `${prefix}/contacts/gdpr-delete`, { endpoint: () => 'POST /crm/v3/objects/contacts/gdpr-delete', scopes: () => ['crm.objects.contacts.write'] }, ({ portal, req }) => {
      const body = req.body as { objectId?: string; idProperty?: string };
      const obj = body?.objectId ? findBy(rt, portal, 'contacts', String(body.objectId), body.idProperty) : undefined;
      if (!obj) throw notFound(`Object not found.  objectId are usually numeric. (CONTACT ${String(body?.objectId)})`);
      rt.store.archiveObject(portal, 'contacts', obj.id, rt.integrationSource, { privacy: true });
      return { status: 204 };
    });

    define('post', `${prefix}/:objectType/search`, { endpoint: ep('/search'), search: true, scopes: (req) => objectScope(objectTypeOf(req), 'read') }, ({ portal, req }) => {
      return { body: runSearch(rt.store, portal, objectTypeOf(req), (req.body ?? {}) as SearchRequest) };
    });

    define('post', `${prefix}/:objectType/batch/read`, { endpoint: ep('/batch/read'), scopes: (req) => objectScope(objectTypeOf(req), 'read') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const startedAt = rt.clock.now();
      const inputs = batchInputs(req) as { id?: string }[];
      const body = req.body as { properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string };
      const withHistory = body.propertiesWithHistory ?? [];
      if (withHistory.length > 0 && inputs.length > BATCH_HISTORY_MAX_INPUTS) {
        throw validationError(`The maximum number of inputs supported in a batch request for property histories is ${BATCH_HISTORY_MAX_INPUTS}. Please reduce the number of items and try again`);
      }
      const results: unknown[] = [];
      const missing: string[] = [];
      for (const input of inputs) {
        const obj = findBy(rt, portal, type, String(input?.id ?? ''), body.idProperty);
        if (obj) results.push(rt.store.toPublic(portal, type, obj, { properties: body.properties, propertiesWithHistory: withHistory }));
        else missing.push(String(input?.id ?? ''));
      }
      const errors = missing.length > 0 ? [notFoundError(type, missing)] : [];
      return { status: errors.length > 0 ? 207 : 200, body: batchEnvelope(startedAt, rt, results, errors) };
    });

    define('post', `${prefix}/:objectType/batch/create`, { endpoint: ep('/batch/create'), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const startedAt = rt.clock.now();
      const inputs = batchInputs(req) as { properties?: Record<string, unknown>; associations?: InlineAssociation[] }[];
      const created = rt.store.createObjects(portal, type, inputs.map((i) => ({ properties: i?.properties ?? {}, associations: i?.associations ?? [] })), rt.integrationSource);
      return { status: 201, body: batchEnvelope(startedAt, rt, created.map((o) => rt.store.toPublic(portal, type, o, { allSetProperties: true })), []) };
    });

    define('post', `${prefix}/:objectType/batch/update`, { endpoint: ep('/batch/update'), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const startedAt = rt.clock.now();
      const inputs = batchInputs(req) as { id?: string; idProperty?: string; properties?: Record<string, unknown> }[];
      const ids = inputs.map((i) => String(i?.id ?? ''));
      const dups = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      if (dups.length > 0) throw validationError(`Duplicate IDs found in batch input: [${dups.join(', ')}]. IDs must be unique`);
      for (const i of inputs) rt.store.validateWrite(portal, type, i?.properties ?? {}, rt.integrationSource);
      const results: unknown[] = [];
      const missing: string[] = [];
      for (const i of inputs) {
        const obj = findBy(rt, portal, type, String(i?.id ?? ''), i?.idProperty);
        if (!obj) {
          missing.push(String(i?.id ?? ''));
          continue;
        }
        const updated = rt.store.updateObject(portal, type, obj.id, i?.properties ?? {}, rt.integrationSource);
        results.push(rt.store.toPublic(portal, type, updated, { allSetProperties: true }));
      }
      const errors = missing.length > 0 ? [notFoundError(type, missing)] : [];
      return { status: errors.length > 0 ? 207 : 200, body: batchEnvelope(startedAt, rt, results, errors) };
    });

    define('post', `${prefix}/:objectType/batch/archive`, { endpoint: ep('/batch/archive'), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const inputs = batchInputs(req) as { id?: string }[];
      for (const i of inputs) if (rt.store.getObject(portal, type, String(i?.id))) rt.store.archiveObject(portal, type, String(i?.id), rt.integrationSource);
      return { status: 204 };
    });

    define('get', `${prefix}/:objectType`, { endpoint: ep(''), scopes: (req) => objectScope(objectTypeOf(req), 'read') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const limit = intParam(req.query.limit, 10);
      if (limit < 1 || limit > LIST_MAX_LIMIT) throw validationError(`limit must be between 1 and ${LIST_MAX_LIMIT} (got ${String(req.query.limit)}).`);
      const after = req.query.after === undefined ? 0 : Number(req.query.after);
      const archived = boolParam(req.query.archived);
      const all = Object.values(portal.objects[type])
        .filter((o) => o.archived === archived && Number(o.id) > after)
        .sort((a, b) => Number(a.id) - Number(b.id));
      const page = all.slice(0, limit);
      const opts = { properties: listParam(req.query.properties), propertiesWithHistory: listParam(req.query.propertiesWithHistory), associations: listParam(req.query.associations).map(parseObjectType).filter((t): t is ObjectType => !!t) };
      const out: Record<string, unknown> = { results: page.map((o) => rt.store.toPublic(portal, type, o, opts)) };
      const last = page[page.length - 1];
      if (all.length > limit && last) out.paging = { next: { after: String(Number(last.id)), link: `${req.baseUrl}${req.path}?after=${last.id}` } };
      return { body: out };
    });

    define('post', `${prefix}/:objectType`, { endpoint: ep(''), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const body = (req.body ?? {}) as { properties?: Record<string, unknown>; associations?: InlineAssociation[] };
      const obj = rt.store.createObject(portal, type, body.properties ?? {}, body.associations ?? [], rt.integrationSource);
      return { status: 201, body: rt.store.toPublic(portal, type, obj, { allSetProperties: true }) };
    });

    define('get', `${prefix}/:objectType/:objectId`, { endpoint: ep('/{objectId}'), scopes: (req) => objectScope(objectTypeOf(req), 'read') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const id = String(req.params.objectId);
      const archived = boolParam(req.query.archived);
      const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined;
      const raw = archived ? portal.objects[type][id] : findBy(rt, portal, type, id, idProperty);
      if (!raw || raw.archived !== archived) throw notFound(`Object not found.  objectId are usually numeric. (${OBJECT_TYPE_INFO[type].upper} ${id})`);
      return {
        body: rt.store.toPublic(portal, type, raw, {
          properties: listParam(req.query.properties),
          propertiesWithHistory: listParam(req.query.propertiesWithHistory),
          associations: listParam(req.query.associations).map(parseObjectType).filter((t): t is ObjectType => !!t),
        }),
      };
    });

    define('patch', `${prefix}/:objectType/:objectId`, { endpoint: ep('/{objectId}'), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined;
      const obj = findBy(rt, portal, type, String(req.params.objectId), idProperty);
      if (!obj) throw notFound(`Object not found.  objectId are usually numeric. (${OBJECT_TYPE_INFO[type].upper} ${String(req.params.objectId)})`);
      const body = (req.body ?? {}) as { properties?: Record<string, unknown> };
      const updated = rt.store.updateObject(portal, type, obj.id, body.properties ?? {}, rt.integrationSource);
      return { body: rt.store.toPublic(portal, type, updated, { allSetProperties: true }) };
    });

    define('delete', `${prefix}/:objectType/:objectId`, { endpoint: ep('/{objectId}'), scopes: (req) => objectScope(objectTypeOf(req), 'write') }, ({ portal, req }) => {
      const type = objectTypeOf(req);
      // HubSpot answers 204 for an id that is already gone.
      if (rt.store.getObject(portal, type, String(req.params.objectId))) rt.store.archiveObject(portal, type, String(req.params.objectId), rt.integrationSource);
      return { status: 204 };
    });
  }
}
