import type { Request } from 'express';
import { intParam, type DefineRoute } from './api-route';
import { hubspotError, validationError } from './hubspot-errors';
import { OBJECT_TYPE_INFO, defaultAssociationType, findAssociationType, parseObjectType, type ObjectType } from './object-types';
import { objectScope } from './crm-object-routes';
import type { AssociationLink, PortalState } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * Associations v4: list for one object, batch read, create (labelled and default), archive;
 * and the v3 object endpoints' single association create/delete
 * (PUT/DELETE /crm/v3/objects/{type}/{id}/associations/{toType}/{toId}/{associationType}),
 * used to associate an engagement in a later call than its creation.
 * Every create/delete fires one associationChange per side (crm-store.ts addLinks/removeAllLinks).
 * https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide
 * Batch read is limited to 100 ids since 2024:
 * https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api
 */
const BATCH_MAX = 100;
const LIST_MAX_LIMIT = 500;

function typeParam(req: Request, name: string): ObjectType {
  const raw = String(req.params[name] ?? '');
  const t = parseObjectType(raw);
  if (!t) throw validationError(`Unknown object type ${raw}; the sandbox emulates contacts, companies, deals, tasks, notes, calls, emails and meetings.`);
  return t;
}

function labelled(from: ObjectType, to: ObjectType, links: AssociationLink[]) {
  return links.map((l) => ({ category: l.category, typeId: l.typeId, label: findAssociationType(from, to, l.typeId)?.label ?? null }));
}

function requireObject(rt: SandboxRuntime, portal: PortalState, type: ObjectType, id: string) {
  if (!rt.store.getObject(portal, type, id)) {
    throw hubspotError(404, 'OBJECT_NOT_FOUND', `${OBJECT_TYPE_INFO[type].upper} ${id} does not exist in portal ${portal.portalId}.`);
  }
}

export function registerAssociationRoutes(rt: SandboxRuntime, define: DefineRoute): void {
  const readScopes = (req: Request) => objectScope(typeParam(req, 'fromObjectType' in req.params ? 'fromObjectType' : 'objectType'), 'read');
  const writeScopes = (req: Request) => objectScope(typeParam(req, 'fromObjectType' in req.params ? 'fromObjectType' : 'objectType'), 'write');

  define(
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
    { endpoint: (req) => `POST /crm/v4/associations/${typeParam(req, 'fromObjectType')}/${typeParam(req, 'toObjectType')}/batch/read`, scopes: readScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'fromObjectType');
      const to = typeParam(req, 'toObjectType');
      const startedAt = rt.clock.now();
      const inputs = (req.body as { inputs?: { id?: string }[] })?.inputs;
      if (!Array.isArray(inputs)) throw validationError('Request body must be {"inputs": [{"id": "..."}]}');
      if (inputs.length > BATCH_MAX) throw validationError(`Batch request has ${inputs.length} inputs but the limit is ${BATCH_MAX}. Split it into batches of at most ${BATCH_MAX}.`);
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of inputs) {
        const id = String(input?.id ?? '');
        const list = rt.store.getObject(portal, from, id) ? rt.store.associationsOf(portal, from, id, to) : [];
        if (list.length === 0) {
          errors.push({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: `No ${OBJECT_TYPE_INFO[to].singular}s is associated with ${OBJECT_TYPE_INFO[from].singular} ${id}.`,
            context: { fromObjectId: [id] },
            links: {},
            errors: [],
          });
          continue;
        }
        results.push({ from: { id }, to: list.map((a) => ({ toObjectId: Number(a.toId), associationTypes: labelled(from, to, a.links) })) });
      }
      const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(rt.clock.now()).toISOString() };
      if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
      return { status: errors.length > 0 ? 207 : 200, body };
    },
  );

  define(
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/create',
    { endpoint: (req) => `POST /crm/v4/associations/${typeParam(req, 'fromObjectType')}/${typeParam(req, 'toObjectType')}/batch/create`, scopes: writeScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'fromObjectType');
      const to = typeParam(req, 'toObjectType');
      const startedAt = rt.clock.now();
      const inputs = (req.body as { inputs?: { from?: { id?: string }; to?: { id?: string }; types?: { associationCategory: string; associationTypeId: number }[] }[] })?.inputs;
      if (!Array.isArray(inputs)) throw validationError('Request body must be {"inputs": [{"from": {"id"}, "to": {"id"}, "types": [...]}]}');
      if (inputs.length > BATCH_MAX) throw validationError(`Batch request has ${inputs.length} inputs but the limit is ${BATCH_MAX}.`);
      const results = inputs.map((i) => {
        const fromId = String(i?.from?.id ?? '');
        const toId = String(i?.to?.id ?? '');
        const links = (i?.types ?? []).map((t) => ({ category: t.associationCategory as AssociationLink['category'], typeId: Number(t.associationTypeId) }));
        rt.store.associate(portal, from, fromId, to, toId, links, rt.integrationSource);
        return { fromObjectTypeId: OBJECT_TYPE_INFO[from].typeId, fromObjectId: Number(fromId), toObjectTypeId: OBJECT_TYPE_INFO[to].typeId, toObjectId: Number(toId), labels: links.map((l) => findAssociationType(from, to, l.typeId)?.label).filter(Boolean) };
      });
      return { status: 201, body: { status: 'COMPLETE', results, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(rt.clock.now()).toISOString() } };
    },
  );

  define(
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default',
    { endpoint: (req) => `POST /crm/v4/associations/${typeParam(req, 'fromObjectType')}/${typeParam(req, 'toObjectType')}/batch/associate/default`, scopes: writeScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'fromObjectType');
      const to = typeParam(req, 'toObjectType');
      const startedAt = rt.clock.now();
      const def = defaultAssociationType(from, to);
      if (!def) throw validationError(`There is no default association between ${from} and ${to} in the sandbox.`);
      const inputs = (req.body as { inputs?: { from?: { id?: string }; to?: { id?: string } }[] })?.inputs ?? [];
      if (inputs.length > BATCH_MAX) throw validationError(`Batch request has ${inputs.length} inputs but the limit is ${BATCH_MAX}.`);
      const results = inputs.map((i) => {
        const fromId = String(i?.from?.id ?? '');
        const toId = String(i?.to?.id ?? '');
        rt.store.associate(portal, from, fromId, to, toId, [{ category: 'HUBSPOT_DEFINED', typeId: def.typeId }], rt.integrationSource);
        return { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId } };
      });
      return { body: { status: 'COMPLETE', results, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(rt.clock.now()).toISOString() } };
    },
  );

  define(
    'post',
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive',
    { endpoint: (req) => `POST /crm/v4/associations/${typeParam(req, 'fromObjectType')}/${typeParam(req, 'toObjectType')}/batch/archive`, scopes: writeScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'fromObjectType');
      const to = typeParam(req, 'toObjectType');
      const inputs = (req.body as { inputs?: { from?: { id?: string }; to?: { id?: string }[] }[] })?.inputs ?? [];
      for (const i of inputs) for (const t of i?.to ?? []) rt.store.disassociate(portal, from, String(i?.from?.id ?? ''), to, String(t?.id ?? ''), rt.integrationSource);
      return { status: 204 };
    },
  );

  define(
    'put',
    '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId',
    { endpoint: (req) => `PUT /crm/v4/objects/${typeParam(req, 'fromObjectType')}/{id}/associations/default/${typeParam(req, 'toObjectType')}/{id}`, scopes: writeScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'fromObjectType');
      const to = typeParam(req, 'toObjectType');
      const def = defaultAssociationType(from, to);
      if (!def) throw validationError(`There is no default association between ${from} and ${to} in the sandbox.`);
      const fromId = String(req.params.fromObjectId);
      const toId = String(req.params.toObjectId);
      rt.store.associate(portal, from, fromId, to, toId, [{ category: 'HUBSPOT_DEFINED', typeId: def.typeId }], rt.integrationSource);
      const now = new Date(rt.clock.now()).toISOString();
      return {
        body: {
          status: 'COMPLETE',
          results: [{ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId } }],
          startedAt: now,
          completedAt: now,
        },
      };
    },
  );

  define(
    'get',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType',
    { endpoint: (req) => `GET /crm/v4/objects/${typeParam(req, 'objectType')}/{objectId}/associations/${typeParam(req, 'toObjectType')}`, scopes: readScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'objectType');
      const to = typeParam(req, 'toObjectType');
      const id = String(req.params.objectId);
      requireObject(rt, portal, from, id);
      const limit = intParam(req.query.limit, LIST_MAX_LIMIT);
      if (limit < 1 || limit > LIST_MAX_LIMIT) throw validationError(`limit must be between 1 and ${LIST_MAX_LIMIT}.`);
      const offset = intParam(req.query.after, 0);
      const all = rt.store.associationsOf(portal, from, id, to);
      const page = all.slice(offset, offset + limit);
      const out: Record<string, unknown> = { results: page.map((a) => ({ toObjectId: Number(a.toId), associationTypes: labelled(from, to, a.links) })) };
      if (offset + limit < all.length) out.paging = { next: { after: String(offset + limit), link: `${req.path}?after=${offset + limit}` } };
      return { body: out };
    },
  );

  define(
    'put',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    { endpoint: (req) => `PUT /crm/v4/objects/${typeParam(req, 'objectType')}/{objectId}/associations/${typeParam(req, 'toObjectType')}/{toObjectId}`, scopes: writeScopes },
    ({ portal, req }) => {
      const from = typeParam(req, 'objectType');
      const to = typeParam(req, 'toObjectType');
      const specs = req.body as { associationCategory: string; associationTypeId: number }[];
      if (!Array.isArray(specs) || specs.length === 0) throw validationError('Body must be a non-empty array of {"associationCategory", "associationTypeId"}.');
      const links = specs.map((s) => ({ category: s.associationCategory as AssociationLink['category'], typeId: Number(s.associationTypeId) }));
      rt.store.associate(portal, from, String(req.params.objectId), to, String(req.params.toObjectId), links, rt.integrationSource);
      return {
        status: 201,
        body: {
          fromObjectTypeId: OBJECT_TYPE_INFO[from].typeId,
          fromObjectId: Number(req.params.objectId),
          toObjectTypeId: OBJECT_TYPE_INFO[to].typeId,
          toObjectId: Number(req.params.toObjectId),
          labels: links.map((l) => findAssociationType(from, to, l.typeId)?.label).filter(Boolean),
        },
      };
    },
  );

  define(
    'delete',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    { endpoint: (req) => `DELETE /crm/v4/objects/${typeParam(req, 'objectType')}/{objectId}/associations/${typeParam(req, 'toObjectType')}/{toObjectId}`, scopes: writeScopes },
    ({ portal, req }) => {
      rt.store.disassociate(portal, typeParam(req, 'objectType'), String(req.params.objectId), typeParam(req, 'toObjectType'), String(req.params.toObjectId), rt.integrationSource);
      return { status: 204 };
    },
  );

  // v3: `associationType` is a HUBSPOT_DEFINED type id ("194") or its v3 name ("call_to_contact").
  // https://developers.hubspot.com/docs/api-reference/crm-calls-v3/basic/put-crm-v3-objects-calls-callId-associations-toObjectType-toObjectId-associationType
  const v3Link = (from: ObjectType, to: ObjectType, raw: string): AssociationLink => {
    const byName = raw.toLowerCase() === `${OBJECT_TYPE_INFO[from].singular}_to_${OBJECT_TYPE_INFO[to].singular}` ? defaultAssociationType(from, to) : undefined;
    const typeId = byName?.typeId ?? Number(raw);
    if (!Number.isInteger(typeId) || !findAssociationType(from, to, typeId)) throw validationError(`associationType ${raw} is not a HUBSPOT_DEFINED type between ${from} and ${to}; use a type id such as ${defaultAssociationType(from, to)?.typeId ?? '(none)'}.`);
    return { category: 'HUBSPOT_DEFINED', typeId };
  };
  const v3Path = '/crm/v3/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId/:associationType';
  const v3Endpoint = (method: string) => (req: Request) => `${method} /crm/v3/objects/${typeParam(req, 'objectType')}/{id}/associations/${typeParam(req, 'toObjectType')}/{toId}/{associationType}`;

  define('put', v3Path, { endpoint: v3Endpoint('PUT'), scopes: writeScopes }, ({ portal, req }) => {
    const from = typeParam(req, 'objectType');
    const to = typeParam(req, 'toObjectType');
    const id = String(req.params.objectId);
    rt.store.associate(portal, from, id, to, String(req.params.toObjectId), [v3Link(from, to, String(req.params.associationType))], rt.integrationSource);
    const obj = rt.store.getObject(portal, from, id)!;
    return { body: rt.store.toPublic(portal, from, obj, { associations: [to] }) };
  });

  define('delete', v3Path, { endpoint: v3Endpoint('DELETE'), scopes: writeScopes }, ({ portal, req }) => {
    rt.store.disassociate(portal, typeParam(req, 'objectType'), String(req.params.objectId), typeParam(req, 'toObjectType'), String(req.params.toObjectId), rt.integrationSource);
    return { status: 204 };
  });
}
