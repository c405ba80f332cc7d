import { boolParam, intParam, type DefineRoute } from './api-route';
import { notFound, validationError } from './hubspot-errors';
import type { MarketingEventState, OwnerState, PortalState } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * Owners (with teams), users/teams/roles settings, and Marketing Events with their
 * participations: the read endpoints @hubspot/api-client 14 exposes for them.
 * Owners: https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide
 * Users: https://developers.hubspot.com/docs/api-reference/settings-user-provisioning-v3/guide
 * Marketing events: https://developers.hubspot.com/docs/api-reference/marketing-marketing-events-v3/guide
 */
const OWNERS_MAX_LIMIT = 500;
const USERS_MAX_LIMIT = 100;
const EVENTS_MAX_LIMIT = 100;
const PARTICIPATIONS_MAX_LIMIT = 100;

const iso = (ms: number) => new Date(ms).toISOString();

function publicOwner(portal: PortalState, o: OwnerState) {
  return {
    id: o.id,
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    ...(o.archived ? {} : { userId: o.userId }),
    userIdIncludingInactive: o.userId,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    archived: o.archived,
    teams: o.teamIds.map((id, i) => ({ id, name: portal.teams.find((t) => t.id === id)?.name ?? id, primary: i === 0 })),
  };
}

function publicUser(o: OwnerState) {
  return {
    id: String(o.userId),
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    roleIds: o.roleIds,
    ...(o.roleIds[0] ? { roleId: o.roleIds[0] } : {}),
    ...(o.teamIds[0] ? { primaryTeamId: o.teamIds[0] } : {}),
    secondaryTeamIds: o.teamIds.slice(1),
    superAdmin: o.superAdmin,
  };
}

/** Offset paging with HubSpot's `paging.next.after` cursor. */
function page<T>(items: T[], after: unknown, limit: number, path: string): { results: T[]; paging?: unknown } {
  const offset = intParam(after, 0);
  const results = items.slice(offset, offset + limit);
  const next = offset + results.length;
  return next < items.length ? { results, paging: { next: { after: String(next), link: `${path}?after=${next}` } } } : { results };
}

function publicEvent(e: MarketingEventState, appId: number) {
  const count = (s: string) => e.participations.filter((p) => p.state === s).length;
  return {
    objectId: e.objectId,
    externalEventId: e.externalEventId,
    eventName: e.eventName,
    eventType: e.eventType,
    eventOrganizer: e.eventOrganizer,
    eventDescription: e.eventDescription,
    eventUrl: e.eventUrl,
    startDateTime: iso(e.startDateTime),
    endDateTime: iso(e.endDateTime),
    eventCancelled: e.eventCancelled,
    eventCompleted: e.eventCompleted,
    eventStatus: e.eventCancelled ? 'CANCELLED' : e.eventCompleted ? 'PAST' : 'UPCOMING',
    customProperties: [],
    appInfo: { id: String(appId), name: 'tossup sandbox events' },
    registrants: count('REGISTERED') + count('ATTENDED') + count('NO_SHOW'),
    attendees: count('ATTENDED'),
    cancellations: count('CANCELLED'),
    noShows: count('NO_SHOW'),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export function registerDirectoryRoutes(rt: SandboxRuntime, define: DefineRoute): void {
  const ownersScope = () => ['crm.objects.owners.read'];
  const usersScope = () => ['settings.users.read', 'settings.users.write'];
  const eventsScope = () => ['crm.objects.marketing_events.read', 'crm.objects.marketing_events.write'];

  // Forms API v3: the list of forms, paged (`after`, `limit`), filtered by `formTypes` and
  // `archived`; scope `forms`. Sandbox forms are all HubSpot forms (formType `hubspot`).
  // https://developers.hubspot.com/docs/api-reference/marketing-forms-v3/guide
  // Fields: @hubspot/api-client marketing/forms HubSpotFormDefinition (the SDK model).
  define('get', '/marketing/v3/forms', { endpoint: () => 'GET /marketing/v3/forms', scopes: () => ['forms'] }, ({ portal, req }) => {
    const limit = intParam(req.query.limit, 20);
    if (limit < 1) throw validationError('limit must be a positive integer.');
    const types = ([] as unknown[]).concat(req.query.formTypes ?? []).flatMap((t) => String(t).split(','));
    const wanted = types.length === 0 || types.includes('hubspot') || types.includes('all');
    const archived = String(req.query.archived ?? 'false') === 'true';
    const forms = wanted && !archived ? portal.forms : [];
    const rows = forms.map((f) => ({
      id: f.id,
      name: f.name,
      formType: 'hubspot',
      createdAt: iso(f.createdAt),
      updatedAt: iso(f.createdAt),
      archived: false,
      fieldGroups: [],
      configuration: {},
      displayOptions: {},
      legalConsentOptions: { type: 'none' },
    }));
    return { body: page(rows, req.query.after, limit, '/marketing/v3/forms/') };
  });

  // Account details (time zone for business-hours SLAs). Any valid token may read it.
  // https://developers.hubspot.com/docs/api/settings/account-information-api
  define('get', '/account-info/v3/details', { endpoint: () => 'GET /account-info/v3/details', scopes: () => [] }, ({ portal }) => ({
    body: {
    portalId: portal.portalId,
    accountType: 'STANDARD',
    timeZone: portal.timeZone,
    companyCurrency: 'JPY',
    additionalCurrencies: [],
    utcOffset: '+09:00',
    utcOffsetMilliseconds: 9 * 3600 * 1000,
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
    },
  }));

  define('get', '/crm/v3/owners', { endpoint: () => 'GET /crm/v3/owners', scopes: ownersScope }, ({ portal, req }) => {
    const limit = intParam(req.query.limit, 100);
    if (limit < 1 || limit > OWNERS_MAX_LIMIT) throw validationError(`limit must be between 1 and ${OWNERS_MAX_LIMIT}.`);
    const archived = boolParam(req.query.archived);
    const email = typeof req.query.email === 'string' ? req.query.email.toLowerCase() : undefined;
    const owners = portal.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
    return { body: page(owners.map((o) => publicOwner(portal, o)), req.query.after, limit, '/crm/v3/owners/') };
  });

  define('get', '/crm/v3/owners/:ownerId', { endpoint: () => 'GET /crm/v3/owners/{ownerId}', scopes: ownersScope }, ({ portal, req }) => {
    const byUser = req.query.idProperty === 'userId';
    const archived = boolParam(req.query.archived);
    const id = String(req.params.ownerId);
    const o = portal.owners.find((x) => (byUser ? String(x.userId) === id : x.id === id) && x.archived === archived);
    if (!o) throw notFound(`Owner ${id} not found${archived ? '' : ' (pass archived=true for deactivated owners)'}.`);
    return { body: publicOwner(portal, o) };
  });

  for (const path of ['/settings/v3/users', '/settings/users/v3']) {
    define('get', path, { endpoint: () => `GET ${path}`, scopes: usersScope }, ({ portal, req }) => {
      const limit = intParam(req.query.limit, 100);
      if (limit < 1 || limit > USERS_MAX_LIMIT) throw validationError(`limit must be between 1 and ${USERS_MAX_LIMIT}.`);
      return { body: page(portal.owners.filter((o) => !o.archived).map(publicUser), req.query.after, limit, path) };
    });
  }

  define('get', '/settings/v3/users/teams', { endpoint: () => 'GET /settings/v3/users/teams', scopes: () => ['settings.users.teams.read', 'settings.users.read'] }, ({ portal }) => ({
    body: {
      results: portal.teams.map((t) => ({
        id: t.id,
        name: t.name,
        userIds: portal.owners.filter((o) => !o.archived && o.teamIds[0] === t.id).map((o) => String(o.userId)),
        secondaryUserIds: portal.owners.filter((o) => !o.archived && o.teamIds.slice(1).includes(t.id)).map((o) => String(o.userId)),
      })),
    },
  }));

  define('get', '/settings/v3/users/roles', { endpoint: () => 'GET /settings/v3/users/roles', scopes: usersScope }, ({ portal }) => ({
    body: { results: portal.roles.map((r) => ({ id: r.id, name: r.name, requiresBillingWrite: false })) },
  }));

  define('get', '/settings/v3/users/:userId', { endpoint: () => 'GET /settings/v3/users/{userId}', scopes: usersScope }, ({ portal, req }) => {
    const id = String(req.params.userId);
    const byEmail = req.query.idProperty === 'EMAIL';
    const o = portal.owners.find((x) => !x.archived && (byEmail ? x.email.toLowerCase() === id.toLowerCase() : String(x.userId) === id));
    if (!o) throw notFound(`User ${id} not found in portal ${portal.portalId}.`);
    return { body: publicUser(o) };
  });

  // Marketing events.
  const eventById = (portal: PortalState, id: string) => {
    const e = portal.marketingEvents.find((x) => x.objectId === id);
    if (!e) throw notFound(`Marketing event ${id} not found in portal ${portal.portalId}.`);
    return e;
  };
  const eventByExternal = (portal: PortalState, account: string, external: string) => {
    const e = portal.marketingEvents.find((x) => x.externalAccountId === account && x.externalEventId === external);
    if (!e) throw notFound(`Marketing event ${account}/${external} not found in portal ${portal.portalId}.`);
    return e;
  };
  const counters = (e: MarketingEventState) => {
    const c = (s: string) => e.participations.filter((p) => p.state === s).length;
    return { attended: c('ATTENDED'), registered: c('REGISTERED') + c('ATTENDED') + c('NO_SHOW'), cancelled: c('CANCELLED'), noShows: c('NO_SHOW') };
  };
  const breakdown = (portal: PortalState, events: MarketingEventState[], q: Record<string, unknown>, path: string) => {
    const limit = intParam(q.limit, 10);
    if (limit < 1 || limit > PARTICIPATIONS_MAX_LIMIT) throw validationError(`limit must be between 1 and ${PARTICIPATIONS_MAX_LIMIT}.`);
    const state = typeof q.state === 'string' ? q.state : undefined;
    const contactFilter = typeof q.contactIdentifier === 'string' ? resolveContact(portal, q.contactIdentifier) : undefined;
    const rows = events.flatMap((e) =>
      e.participations
        .filter((p) => (!state || p.state === state) && (!contactFilter || p.contactId === contactFilter))
        .map((p) => {
          const c = rt.store.getObject(portal, 'contacts', p.contactId);
          return {
            id: p.id,
            createdAt: iso(p.createdAt),
            associations: {
              marketingEvent: { marketingEventId: e.objectId, externalEventId: e.externalEventId, externalAccountId: e.externalAccountId, name: e.eventName },
              contact: { contactId: p.contactId, email: c?.properties.email ?? '', firstname: c?.properties.firstname, lastname: c?.properties.lastname },
            },
            properties: { occurredAt: p.occurredAt, attendanceState: p.state, ...(p.attendanceDurationSeconds !== undefined ? { attendanceDurationSeconds: p.attendanceDurationSeconds } : {}) },
          };
        }),
    );
    return { total: rows.length, ...page(rows, q.after, limit, path) };
  };
  function resolveContact(portal: PortalState, identifier: string): string {
    if (/^\d+$/.test(identifier)) return identifier;
    return rt.store.findByProperty(portal, 'contacts', 'email', identifier)?.id ?? '__none__';
  }

  define('get', '/marketing/v3/marketing-events', { endpoint: () => 'GET /marketing/v3/marketing-events', scopes: eventsScope }, ({ portal, req }) => {
    const limit = intParam(req.query.limit, 10);
    if (limit < 1 || limit > EVENTS_MAX_LIMIT) throw validationError(`limit must be between 1 and ${EVENTS_MAX_LIMIT}.`);
    return { body: page(portal.marketingEvents.map((e) => publicEvent(e, rt.appId)), req.query.after, limit, '/marketing/v3/marketing-events/') };
  });

  define(
    'get',
    '/marketing/v3/marketing-events/participations/contacts/:contactIdentifier/breakdown',
    { endpoint: () => 'GET /marketing/v3/marketing-events/participations/contacts/{contactIdentifier}/breakdown', scopes: eventsScope },
    ({ portal, req }) => ({
      body: breakdown(portal, portal.marketingEvents, { ...req.query, contactIdentifier: String(req.params.contactIdentifier) }, req.path),
    }),
  );

  define('get', '/marketing/v3/marketing-events/participations/:marketingEventId/breakdown', { endpoint: () => 'GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown', scopes: eventsScope }, ({ portal, req }) => ({
    body: breakdown(portal, [eventById(portal, String(req.params.marketingEventId))], req.query, req.path),
  }));

  define(
    'get',
    '/marketing/v3/marketing-events/participations/:externalAccountId/:externalEventId/breakdown',
    { endpoint: () => 'GET /marketing/v3/marketing-events/participations/{externalAccountId}/{externalEventId}/breakdown', scopes: eventsScope },
    ({ portal, req }) => ({
      body: breakdown(portal, [eventByExternal(portal, String(req.params.externalAccountId), String(req.params.externalEventId))], req.query, req.path),
    }),
  );

  define('get', '/marketing/v3/marketing-events/participations/:externalAccountId/:externalEventId', { endpoint: () => 'GET /marketing/v3/marketing-events/participations/{externalAccountId}/{externalEventId}', scopes: eventsScope }, ({ portal, req }) => ({
    body: counters(eventByExternal(portal, String(req.params.externalAccountId), String(req.params.externalEventId))),
  }));

  define('get', '/marketing/v3/marketing-events/participations/:marketingEventId', { endpoint: () => 'GET /marketing/v3/marketing-events/participations/{marketingEventId}', scopes: eventsScope }, ({ portal, req }) => ({
    body: counters(eventById(portal, String(req.params.marketingEventId))),
  }));

  define('get', '/marketing/v3/marketing-events/:objectId', { endpoint: () => 'GET /marketing/v3/marketing-events/{objectId}', scopes: eventsScope }, ({ portal, req }) => ({
    body: publicEvent(eventById(portal, String(req.params.objectId)), rt.appId),
  }));
}
