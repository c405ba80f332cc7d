import { parseHubSpotTime } from '../domain/hubspot-values';
import { Client } from '@hubspot/api-client';
import type { Filter } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter';
import type { Counter, Histogram } from 'prom-client';
import type { Clock } from '../platform/clock';
import type { Owner } from '../domain/types';
import type { Metrics } from '../platform/metrics';
import type { Logger } from '../platform/log';
import type { TokenService } from './token-service';
import type { Database } from '../storage/database';
import { chunk } from './chunk';
import { HubSpotApiError, HubSpotBatchPartialError } from './hubspot-errors';
import type {
  AssociatedObject,
  ContactParticipation,
  EngagementType,
  HistoryEntry,
  HubSpotCardReads,
  HubSpotGateway,
  MarketingEventSummary,
  ModifiedContact,
  PortalUserRecord,
  ReadRecord,
} from './hubspot-gateway-types';
import {
  ASSOCIATION_BATCH_LIMIT,
  ASSOCIATION_TYPE,
  BATCH_LIMIT,
  BATCH_LIMIT_WITH_HISTORY,
  OWNERS_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  SEARCH_RESULT_CAP,
} from './hubspot-limits';
import { createIdempotently, type CreateSpec } from './idempotent-create';
import { createPortalRateLimiter, realSleep, type Sleep } from './portal-rate-limiter';
import { createMemoryRateBudget, type RateBudget, type RateLane } from './rate-budget';
import { DEFAULT_RETRY_OPTIONS, retryDelay, toHubSpotApiError, type RetryOptions } from './retry-policy';
import { findMarker, sideEffectMarker, withMarker } from './side-effect-marker';

export interface HubSpotGatewayOptions {
  tokens: TokenService;
  /** Origin of every API call: https://api.hubapi.com, or the sandbox in local mode. */
  apiBaseUrl: string;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Per-portal call budget. Default: in-process; pass createDatabaseRateBudget(db) when several processes share portals. */
  rateBudget?: RateBudget;
  retry?: Partial<RetryOptions>;
  /** Injectable wait (tests advance a manual clock instead of sleeping). */
  sleep?: Sleep;
  /**
   * How old a pending side-effect reservation must be before recovery searches
   * HubSpot for it. Search results lag writes by a few seconds
   * (https://developers.hubspot.com/docs/api/crm/search#limitations); 60 s is a safe margin.
   */
  sideEffectRecoveryDelayMs?: number;
}

/** The SDK API objects one portal's calls use. */
interface PortalApis {
  objectsBatch: Client['crm']['objects']['batchApi'];
  objectsSearch: Client['crm']['objects']['searchApi'];
  associationsBatch: Client['crm']['associations']['v4']['batchApi'];
  owners: Client['crm']['owners']['ownersApi'];
  properties: Client['crm']['properties']['coreApi'];
  marketingEvents: Client['marketing']['events']['basicApi'];
  participations: Client['marketing']['events']['retrieveParticipantStateApi'];
  users: Client['settings']['users']['usersApi'];
  raw: (path: string) => Promise<unknown>;
}

type FilterOperator = Filter['operator'];
const op = (o: 'GTE' | 'LT' | 'CONTAINS_TOKEN') => o as unknown as FilterOperator;

export function createHubSpotGateway(options: HubSpotGatewayOptions): HubSpotGateway & HubSpotCardReads {
  const { tokens, apiBaseUrl, db, logger, metrics, clock } = options;
  const sleep = options.sleep ?? realSleep;
  const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  const budget = options.rateBudget ?? createMemoryRateBudget();
  const requests: Counter<'operation' | 'outcome'> = metrics.counter('tossup_hubspot_requests_total', 'HubSpot API calls by operation and outcome', [
    'operation',
    'outcome',
  ]);
  const waits: Counter<'lane'> = metrics.counter('tossup_hubspot_rate_limit_waits_total', 'Times a call waited for the per-portal budget', ['lane']);
  const latency: Histogram<'operation'> = metrics.histogram('tossup_hubspot_request_seconds', 'HubSpot API call latency', ['operation']);
  const limiter = createPortalRateLimiter({ budget, clock, sleep, onWait: (_p, lane) => waits.inc({ lane }) });
  const clients = new Map<string, { token: string; apis: PortalApis }>();

  async function apisFor(portalId: string): Promise<PortalApis> {
    // Throws InstallNotActiveError for uninstalled/disconnected portals: the caller pauses that portal.
    const token = await tokens.getAccessToken(portalId);
    const cached = clients.get(portalId);
    if (cached && cached.token === token) return cached.apis;
    // No limiterOptions and no SDK retries: the SDK's limiter and retry decorators live
    // in a process-wide singleton (ApiDecoratorService) that the last `new Client()`
    // overwrites for everyone, so they cannot be per portal (engineering-anchors §B5,
    // hubspot-platform.md §5.1). The API objects are taken in the same synchronous
    // step as the constructor, which has just reset that registry to "no decorators".
    const client = new Client({ accessToken: token, basePath: apiBaseUrl, numberOfApiCallRetries: 0 });
    const apis: PortalApis = {
      objectsBatch: client.crm.objects.batchApi,
      objectsSearch: client.crm.objects.searchApi,
      associationsBatch: client.crm.associations.v4.batchApi,
      owners: client.crm.owners.ownersApi,
      properties: client.crm.properties.coreApi,
      marketingEvents: client.marketing.events.basicApi,
      participations: client.marketing.events.retrieveParticipantStateApi,
      users: client.settings.users.usersApi,
      raw: async (path) => {
        const res = await fetch(`${apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        const text = await res.text();
        if (!res.ok) {
          const headers: Record<string, string> = {};
          res.headers.forEach((value, name) => {
            headers[name] = value;
          });
          // Same shape as the SDK's ApiException, so one classifier handles both.
          throw { code: res.status, body: text, headers };
        }
        return text ? (JSON.parse(text) as unknown) : {};
      },
    };
    clients.set(portalId, { token, apis });
    return apis;
  }

  /**
   * One HubSpot call: wait for the portal's budget, call, classify failures, retry
   * what is safe to retry. A 429 blocks the portal's lane for every caller sharing
   * the budget (other processes too, with the database budget).
   */
  async function call<T>(
    portalId: string,
    operation: string,
    lane: RateLane,
    fn: (apis: PortalApis) => Promise<T>,
    opts: { retryServerErrors?: boolean } = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(portalId, lane);
      const apis = await apisFor(portalId);
      const stop = latency.startTimer({ operation });
      try {
        const result = await fn(apis);
        stop();
        requests.inc({ operation, outcome: 'ok' });
        return result;
      } catch (raw) {
        stop();
        const err = toHubSpotApiError(raw, operation, portalId, clock.now());
        requests.inc({ operation, outcome: err.category });
        const delay = retryDelay(err, attempt, retry, opts.retryServerErrors ?? true);
        if (err.category === 'daily_limit') logger.error({ portalId, operation }, 'HubSpot daily API limit reached for portal; calls stop until it resets');
        if (delay === undefined) {
          throw new HubSpotApiError(err.operation, err.portalId, err.category, err.status, err.detail, { ...err.options, attempts: attempt });
        }
        logger.warn({ portalId, operation, category: err.category, status: err.status, attempt, delayMs: delay }, 'HubSpot call failed; retrying');
        if (err.category === 'rate_limit' || err.category === 'search_rate') {
          // The limiter waits out the block on the next acquire (and so does every other caller).
          await limiter.block(portalId, lane, clock.now() + delay);
        } else {
          await sleep(delay);
        }
      }
    }
  }

  interface SdkRecord {
    id: string;
    properties: Record<string, string | null>;
    propertiesWithHistory?: Record<string, { value: string; timestamp: Date | string | number }[]>;
  }

  const toMs = (v: Date | string | number): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v));

  function toReadRecord(r: SdkRecord): ReadRecord {
    const record: ReadRecord = { id: String(r.id), properties: { ...r.properties } };
    if (r.propertiesWithHistory) {
      const history: Record<string, HistoryEntry[]> = {};
      for (const [name, entries] of Object.entries(r.propertiesWithHistory)) {
        history[name] = entries.map((e) => ({ value: e.value, timestamp: toMs(e.timestamp) }));
      }
      record.propertiesWithHistory = history;
    }
    return record;
  }

  async function batchRead(
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

  async function searchPage(portalId: string, objectType: string, body: Parameters<PortalApis['objectsSearch']['doSearch']>[1]) {
    return call(portalId, `${objectType}.search`, 'search', (a) => a.objectsSearch.doSearch(objectType, body));
  }

  const gateway: HubSpotGateway & HubSpotCardReads = {
    readContacts: (portalId, ids, properties, historyProperties = []) => batchRead(portalId, 'contacts', ids, properties, historyProperties),
    readCompanies: (portalId, ids, properties) => batchRead(portalId, 'companies', ids, properties),
    readDeals: (portalId, ids, properties) => batchRead(portalId, 'deals', ids, properties),
    readEngagements: (portalId, type: EngagementType, ids, properties) => batchRead(portalId, type, ids, properties),

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

    createTasks: (portalId, tasks) =>
      createIdempotently(
        idempotentDeps('task'),
        portalId,
        tasks.map((t) => {
          const marker = sideEffectMarker(portalId, t.key);
          const properties: Record<string, string> = {
            hs_timestamp: String(t.dueAt),
            hs_task_subject: t.subject,
            hs_task_body: withMarker(t.body, marker),
            hubspot_owner_id: t.ownerId,
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: t.priority,
            hs_task_type: t.type,
          };
          if (t.reminderAt !== undefined) properties.hs_task_reminders = String(t.reminderAt);
          const associations = [
            assoc(t.associations.contactId, ASSOCIATION_TYPE.taskToContact),
            ...(t.associations.companyId ? [assoc(t.associations.companyId, ASSOCIATION_TYPE.taskToCompany)] : []),
            ...(t.associations.dealId ? [assoc(t.associations.dealId, ASSOCIATION_TYPE.taskToDeal)] : []),
          ];
          return { key: t.key, kind: 'task', marker, contactId: t.associations.contactId, input: { properties, associations } } satisfies CreateSpec;
        }),
      ),

    createNotes: (portalId, notes) =>
      createIdempotently(
        idempotentDeps('note'),
        portalId,
        notes.map((n) => {
          const marker = sideEffectMarker(portalId, n.key);
          const properties: Record<string, string> = { hs_timestamp: String(n.timestamp), hs_note_body: withMarker(n.body, marker) };
          if (n.ownerId) properties.hubspot_owner_id = n.ownerId;
          const associations = [
            assoc(n.associations.contactId, ASSOCIATION_TYPE.noteToContact),
            ...(n.associations.companyId ? [assoc(n.associations.companyId, ASSOCIATION_TYPE.noteToCompany)] : []),
            ...(n.associations.dealId ? [assoc(n.associations.dealId, ASSOCIATION_TYPE.noteToDeal)] : []),
          ];
          return { key: n.key, kind: 'note', marker, contactId: n.associations.contactId, input: { properties, associations } } satisfies CreateSpec;
        }),
      ),

    async findByMarkers(portalId, kind, markers) {
      const objectType = kind === 'task' ? 'tasks' : 'notes';
      const bodyProperty = kind === 'task' ? 'hs_task_body' : 'hs_note_body';
      const found = new Map<string, string>();
      // Filter groups are OR-ed; HubSpot allows 5 per search request.
      // https://developers.hubspot.com/docs/api/crm/search#filter-search-results
      for (const group of chunk([...markers], 5)) {
        const res = await searchPage(portalId, objectType, {
          filterGroups: group.map((m) => ({ filters: [{ propertyName: bodyProperty, operator: op('CONTAINS_TOKEN'), value: m }] })),
          properties: [bodyProperty],
          limit: SEARCH_PAGE_SIZE,
        });
        for (const r of res.results) {
          const marker = findMarker(r.properties[bodyProperty]);
          if (marker && group.includes(marker) && !found.has(marker)) found.set(marker, String(r.id));
        }
      }
      return found;
    },

    async searchContactsModifiedSince(portalId, sinceMs, untilMs, after) {
      const res = await searchPage(portalId, 'contacts', {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_lastmodifieddate', operator: op('GTE'), value: String(sinceMs) },
              { propertyName: 'hs_lastmodifieddate', operator: op('LT'), value: String(untilMs) },
            ],
          },
        ],
        // The SDK types sorts as string[]; HubSpot documents the object form.
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
        properties: ['hs_lastmodifieddate'],
        limit: SEARCH_PAGE_SIZE,
        ...(after ? { after } : {}),
      });
      return {
        results: res.results.map((r) => ({ id: String(r.id), lastModifiedAt: parseHubSpotTime(r.properties.hs_lastmodifieddate) ?? sinceMs })),
        total: res.total,
        ...(res.paging?.next?.after ? { after: res.paging.next.after } : {}),
      };
    },

    async searchRecentlyModifiedContacts(portalId, limit) {
      const ids: string[] = [];
      let total = 0;
      let after: string | undefined;
      // A query cannot page past 10,000 results (hubspot-limits.ts), so neither can the sample.
      const wanted = Math.max(0, Math.min(limit, SEARCH_RESULT_CAP));
      do {
        const res = await searchPage(portalId, 'contacts', {
          // No filter: every contact counts towards `total`.
          filterGroups: [],
          // The SDK types sorts as string[]; HubSpot documents the object form.
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }] as unknown as string[],
          properties: ['hs_lastmodifieddate'],
          limit: Math.max(1, Math.min(SEARCH_PAGE_SIZE, wanted - ids.length)),
          ...(after ? { after } : {}),
        });
        total = res.total;
        for (const r of res.results) if (ids.length < wanted) ids.push(String(r.id));
        after = res.paging?.next?.after;
      } while (after && ids.length < wanted);
      return { ids, total };
    },

    async listContactsModifiedBetween(portalId, sinceMs, untilMs) {
      const out: ModifiedContact[] = [];
      const windows: [number, number][] = [[sinceMs, untilMs]];
      while (windows.length > 0) {
        const [from, to] = windows.shift()!;
        let page = await gateway.searchContactsModifiedSince(portalId, from, to);
        // A query cannot page past 10,000 results: halve the window until each half fits.
        if (page.total > SEARCH_RESULT_CAP && to - from > 1) {
          const mid = from + Math.floor((to - from) / 2);
          windows.unshift([from, mid], [mid, to]);
          continue;
        }
        out.push(...page.results);
        while (page.after) {
          page = await gateway.searchContactsModifiedSince(portalId, from, to, page.after);
          out.push(...page.results);
        }
      }
      return out;
    },

    async listOwners(portalId) {
      const owners: Owner[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'owners.list', 'standard', (a) => a.owners.getPage(undefined, after, OWNERS_PAGE_SIZE, false));
        for (const o of res.results) {
          owners.push({
            id: String(o.id),
            ...(o.userId !== undefined ? { userId: o.userId } : {}),
            ...(o.email ? { email: o.email } : {}),
            ...(o.firstName ? { firstName: o.firstName } : {}),
            ...(o.lastName ? { lastName: o.lastName } : {}),
            archived: o.archived === true,
            teams: (o.teams ?? []).map((t) => ({ id: String(t.id), name: t.name, primary: t.primary === true })),
          });
        }
        after = res.paging?.next?.after;
      } while (after);
      return owners;
    },

    async getUser(portalId, userId): Promise<PortalUserRecord | null> {
      try {
        // settings.users.read scope; https://developers.hubspot.com/docs/api-reference/settings-user-provisioning-v3/guide
        const u = await call(portalId, 'settings.users.get', 'standard', (a) => a.users.getById(userId));
        const teamIds = [...(u.primaryTeamId ? [u.primaryTeamId] : []), ...(u.secondaryTeamIds ?? [])].map(String);
        return { id: String(u.id), email: u.email, superAdmin: u.superAdmin === true, teamIds };
      } catch (err) {
        // Unknown and deactivated users answer 404: not a user of this portal (the caller refuses them).
        if (err instanceof HubSpotApiError && err.category === 'not_found') return null;
        throw err;
      }
    },

    async getLifecycleStages(portalId) {
      const prop = await call(portalId, 'properties.contacts.lifecyclestage', 'standard', (a) => a.properties.getByName('contacts', 'lifecyclestage', false));
      // Stages are customisable per portal; their pipeline order is displayOrder.
      return [...prop.options].sort((x, y) => (x.displayOrder ?? 0) - (y.displayOrder ?? 0)).map((o) => o.value);
    },

    async getPortalTimeZone(portalId) {
      // Account details are not in @hubspot/api-client 14; plain GET with the same token.
      // https://developers.hubspot.com/docs/api/settings/account-information-api
      const details = (await call(portalId, 'account-info.details', 'standard', (a) => a.raw('/account-info/v3/details'))) as { timeZone?: unknown };
      return typeof details.timeZone === 'string' && details.timeZone !== '' ? details.timeZone : 'UTC';
    },

    async listMarketingEvents(portalId) {
      const events: MarketingEventSummary[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'marketing-events.list', 'standard', (a) => a.marketingEvents.getAll(after, 100));
        for (const e of res.results) {
          events.push({
            id: String(e.objectId),
            name: e.eventName,
            ...(e.startDateTime ? { startAt: toMs(e.startDateTime) } : {}),
            ...(e.endDateTime ? { endAt: toMs(e.endDateTime) } : {}),
          });
        }
        after = res.paging?.next?.after;
      } while (after);
      return events;
    },

    async listEventParticipations(portalId, event) {
      const out: ContactParticipation[] = [];
      let after: string | undefined;
      do {
        const res = await call(portalId, 'marketing-events.participations', 'standard', (a) =>
          a.participations.getParticipationsBreakdownByMarketingEventId(Number(event.id), undefined, undefined, 100, after),
        );
        for (const p of res.results) {
          const state = String(p.properties.attendanceState);
          if (state !== 'REGISTERED' && state !== 'ATTENDED' && state !== 'CANCELLED' && state !== 'NO_SHOW') continue;
          out.push({
            contactId: String(p.associations.contact.contactId),
            participation: { eventId: event.id, eventName: event.name, state, occurredAt: Number(p.properties.occurredAt) },
          });
        }
        after = res.paging?.next?.after;
      } while (after);
      return out;
    },
  };

  function assoc(id: string, typeId: number) {
    return { to: { id: String(id) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] };
  }

  function idempotentDeps(kind: 'task' | 'note') {
    const objectType = kind === 'task' ? 'tasks' : 'notes';
    const bodyProperty = kind === 'task' ? 'hs_task_body' : 'hs_note_body';
    return {
      db,
      clock,
      recoveryDelayMs: options.sideEffectRecoveryDelayMs ?? 60_000,
      findByMarkers: (portalId: string, markers: string[]) => gateway.findByMarkers(portalId, kind, markers),
      async create(portalId: string, specs: CreateSpec[]) {
        const created = new Map<string, string>();
        for (const group of chunk(specs, BATCH_LIMIT)) {
          // Not retried on 5xx/timeouts: HubSpot may have created the objects; the
          // reservations stay pending and recovery finds them by marker instead.
          const res = await call(
            portalId,
            `${objectType}.batch.create`,
            'standard',
            (a) => a.objectsBatch.create(objectType, { inputs: group.map((s) => s.input) as never }),
            { retryServerErrors: false },
          );
          // Batch create does not promise input order; map results back by marker.
          for (const r of res.results) {
            const marker = findMarker(r.properties[bodyProperty]);
            if (marker) created.set(marker, String(r.id));
          }
        }
        return created;
      },
    };
  }

  return gateway;
}

