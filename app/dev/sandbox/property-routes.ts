import type { Request } from 'express';
import { listParam, type DefineRoute } from './api-route';
import { hubspotError, notFound, validationError } from './hubspot-errors';
import { parseObjectType, type ObjectType } from './object-types';
import type { PropertyDefinition, PropertyGroupDefinition, PropertyType } from './default-properties';
import type { PortalState } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * Properties v3 and property groups: list, read (incl. the portal's lifecycle stages),
 * create (201; 409 when it exists), update, batch create/read.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 * Types and field types as in @hubspot/api-client's PropertyCreate model.
 */
const TYPES: PropertyType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'file', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'phonenumber', 'html'];

function typeOf(req: Request): ObjectType {
  const raw = String(req.params.objectType ?? '');
  const t = parseObjectType(raw);
  if (!t) throw validationError(`Unable to infer object type from: ${raw}. The sandbox emulates contacts, companies, deals, tasks, notes, calls, emails and meetings.`);
  return t;
}

const schemaBase = (t: ObjectType) => (t === 'companies' ? 'companies' : t === 'deals' ? 'deals' : 'contacts');
const readScopes = (req: Request) => [`crm.schemas.${schemaBase(typeOf(req))}.read`, `crm.objects.${schemaBase(typeOf(req))}.read`];
const writeScopes = (req: Request) => [`crm.schemas.${schemaBase(typeOf(req))}.write`];

export function publicProperty(p: PropertyDefinition): Record<string, unknown> {
  return {
    name: p.name,
    label: p.label,
    description: p.description,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
    options: p.options.map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden, ...(o.description ? { description: o.description } : {}) })),
    displayOrder: p.displayOrder,
    calculated: false,
    externalOptions: p.externalOptions ?? false,
    ...(p.referencedObjectType ? { referencedObjectType: p.referencedObjectType } : {}),
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    formField: p.formField,
    archived: false,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
  };
}

function propertyNamed(portal: PortalState, type: ObjectType, name: string): PropertyDefinition {
  const p = portal.properties[type][name];
  if (!p) throw notFound(`Unable to find property ${name} for object type ${type}. Create it first with POST /crm/v3/properties/${type}.`);
  return p;
}

type PropertyInput = Partial<Omit<PropertyDefinition, 'options'>> & { options?: { label: string; value: string; displayOrder?: number; hidden?: boolean; description?: string }[] };

function buildProperty(portal: PortalState, type: ObjectType, input: PropertyInput, now: number): PropertyDefinition {
  const problems: string[] = [];
  if (!input.name || !/^[a-z][a-z0-9_]*$/.test(input.name)) problems.push(`name must be lower case letters, digits and underscores, starting with a letter (got ${String(input.name)})`);
  if (!input.label) problems.push('label is required');
  if (!input.type || !TYPES.includes(input.type)) problems.push(`type must be one of ${TYPES.join(', ')} (got ${String(input.type)})`);
  if (!input.fieldType || !FIELD_TYPES.includes(input.fieldType)) problems.push(`fieldType must be one of ${FIELD_TYPES.join(', ')} (got ${String(input.fieldType)})`);
  if (!input.groupName || !portal.groups[type][input.groupName]) problems.push(`groupName ${String(input.groupName)} does not exist for ${type}; create it first with POST /crm/v3/properties/${type}/groups`);
  if (input.type === 'enumeration' && !input.externalOptions && !input.referencedObjectType && (input.options ?? []).length === 0) problems.push('enumeration properties need options (or externalOptions with referencedObjectType)');
  if (problems.length > 0) throw validationError(`Invalid property definition: ${problems.join('; ')}`);
  return {
    name: input.name as string,
    label: input.label as string,
    description: input.description ?? '',
    type: input.type as PropertyType,
    fieldType: input.fieldType as string,
    groupName: input.groupName as string,
    options: (input.options ?? []).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, ...(o.description ? { description: o.description } : {}) })),
    displayOrder: input.displayOrder ?? -1,
    hubspotDefined: false,
    readOnlyValue: false,
    ...(input.referencedObjectType ? { referencedObjectType: input.referencedObjectType } : {}),
    ...(input.externalOptions !== undefined ? { externalOptions: input.externalOptions } : {}),
    hasUniqueValue: input.hasUniqueValue ?? false,
    formField: input.formField ?? false,
    hidden: input.hidden ?? false,
    createdAt: now,
    updatedAt: now,
  };
}

const alreadyExists = (name: string) => hubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, { subCategory: 'PropertyValidationError.PROPERTY_ALREADY_EXISTS' });

function publicGroup(g: PropertyGroupDefinition) {
  return { name: g.name, label: g.label, displayOrder: g.displayOrder, archived: g.archived };
}

export function registerPropertyRoutes(rt: SandboxRuntime, define: DefineRoute): void {
  const ep = (suffix: string) => (req: Request) => `${req.method} /crm/v3/properties/${typeOf(req)}${suffix}`;

  define('get', '/crm/v3/properties/:objectType/groups', { endpoint: ep('/groups'), scopes: readScopes }, ({ portal, req }) => ({
    body: { results: Object.values(portal.groups[typeOf(req)]).map(publicGroup) },
  }));

  define('post', '/crm/v3/properties/:objectType/groups', { endpoint: ep('/groups'), scopes: writeScopes }, ({ portal, req }) => {
    const type = typeOf(req);
    const body = (req.body ?? {}) as Partial<PropertyGroupDefinition>;
    if (!body.name || !/^[a-z][a-z0-9_]*$/.test(body.name) || !body.label) throw validationError('A property group needs a lower-case `name` and a `label`.');
    if (portal.groups[type][body.name]) throw hubspotError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${body.name}' already exists.`);
    const g: PropertyGroupDefinition = { name: body.name, label: body.label, displayOrder: body.displayOrder ?? -1, archived: false };
    portal.groups[type][g.name] = g;
    return { status: 201, body: publicGroup(g) };
  });

  define('get', '/crm/v3/properties/:objectType/groups/:groupName', { endpoint: ep('/groups/{groupName}'), scopes: readScopes }, ({ portal, req }) => {
    const g = portal.groups[typeOf(req)][String(req.params.groupName)];
    if (!g) throw notFound(`Unable to find property group ${String(req.params.groupName)}.`);
    return { body: publicGroup(g) };
  });

  define('patch', '/crm/v3/properties/:objectType/groups/:groupName', { endpoint: ep('/groups/{groupName}'), scopes: writeScopes }, ({ portal, req }) => {
    const g = portal.groups[typeOf(req)][String(req.params.groupName)];
    if (!g) throw notFound(`Unable to find property group ${String(req.params.groupName)}.`);
    const body = (req.body ?? {}) as Partial<PropertyGroupDefinition>;
    if (body.label !== undefined) g.label = body.label;
    if (body.displayOrder !== undefined) g.displayOrder = body.displayOrder;
    return { body: publicGroup(g) };
  });

  define('post', '/crm/v3/properties/:objectType/batch/create', { endpoint: ep('/batch/create'), scopes: writeScopes }, ({ portal, req }) => {
    const type = typeOf(req);
    const startedAt = rt.clock.now();
    const inputs = (req.body as { inputs?: PropertyInput[] })?.inputs;
    if (!Array.isArray(inputs)) throw validationError('Request body must be {"inputs": [...]}');
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      if (input?.name && portal.properties[type][input.name]) {
        const e = alreadyExists(input.name);
        errors.push({ ...e.body, context: { name: [input.name] }, links: {}, errors: [] });
        continue;
      }
      const p = buildProperty(portal, type, input ?? {}, rt.clock.now());
      portal.properties[type][p.name] = p;
      results.push(publicProperty(p));
    }
    const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(rt.clock.now()).toISOString() };
    if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
    return { status: errors.length > 0 ? 207 : 201, body };
  });

  define('post', '/crm/v3/properties/:objectType/batch/read', { endpoint: ep('/batch/read'), scopes: readScopes }, ({ portal, req }) => {
    const type = typeOf(req);
    const now = new Date(rt.clock.now()).toISOString();
    const inputs = (req.body as { inputs?: { name: string }[] })?.inputs ?? [];
    const results = inputs.map((i) => portal.properties[type][i.name]).filter((p): p is PropertyDefinition => !!p).map(publicProperty);
    return { body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  });

  define('get', '/crm/v3/properties/:objectType', { endpoint: ep(''), scopes: readScopes }, ({ portal, req }) => {
    const wanted = listParam(req.query.properties);
    const all = Object.values(portal.properties[typeOf(req)]).filter((p) => wanted.length === 0 || wanted.includes(p.name));
    return { body: { results: all.map(publicProperty) } };
  });

  define('post', '/crm/v3/properties/:objectType', { endpoint: ep(''), scopes: writeScopes }, ({ portal, req }) => {
    const type = typeOf(req);
    const input = (req.body ?? {}) as PropertyInput;
    if (input.name && portal.properties[type][input.name]) throw alreadyExists(input.name);
    const p = buildProperty(portal, type, input, rt.clock.now());
    portal.properties[type][p.name] = p;
    return { status: 201, body: publicProperty(p) };
  });

  define('get', '/crm/v3/properties/:objectType/:propertyName', { endpoint: ep('/{propertyName}'), scopes: readScopes }, ({ portal, req }) => ({
    body: publicProperty(propertyNamed(portal, typeOf(req), String(req.params.propertyName))),
  }));

  define('patch', '/crm/v3/properties/:objectType/:propertyName', { endpoint: ep('/{propertyName}'), scopes: writeScopes }, ({ portal, req }) => {
    const type = typeOf(req);
    const p = propertyNamed(portal, type, String(req.params.propertyName));
    const body = (req.body ?? {}) as PropertyInput;
    if (p.hubspotDefined && p.name !== 'lifecyclestage') throw validationError(`${p.name} is a HubSpot-defined property; its definition is read only.`);
    if (body.label !== undefined) p.label = body.label;
    if (body.description !== undefined) p.description = body.description;
    if (body.groupName !== undefined) {
      if (!portal.groups[type][body.groupName]) throw validationError(`groupName ${body.groupName} does not exist for ${type}.`);
      p.groupName = body.groupName;
    }
    if (body.options !== undefined) p.options = body.options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false }));
    if (body.displayOrder !== undefined) p.displayOrder = body.displayOrder;
    p.updatedAt = rt.clock.now();
    return { body: publicProperty(p) };
  });
}
