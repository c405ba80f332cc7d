import { pino } from 'pino';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import type { ContactSnapshot, Plan, PortalDirectory } from '../../src/domain/types';
import { emptyPlan } from '../../src/domain/types';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import type { AssociatedObject, HubSpotGateway, ReadRecord } from '../../src/hubspot/hubspot-gateway-types';
import { createIdempotently } from '../../src/hubspot/idempotent-create';
import { sideEffectMarker } from '../../src/hubspot/side-effect-marker';
import type { Database } from '../../src/storage/database';
import { createInboxWorker, type InboxWorker, type InboxWorkerOptions } from '../../src/worker/inbox-worker';
import { createCachedCompanyReader } from '../../src/engine/company-cache';
import type { PortalDirectoryProvider } from '../../src/engine/portal-directory';
import { storeWebhookEvents } from '../../src/storage/inbox-store';
import type { WebhookEvent } from '../../src/domain/webhook-event';

export const T0 = 1_760_000_000_000;
export const PORTAL = '62515';
export const APP_ID = '39594762';

/**
 * An in-memory HubSpot behind the gateway interface: records every call, keeps
 * contacts/companies/associations, and creates tasks and notes through the real
 * side_effects idempotency (so "created once" is checked against the database).
 */
export class FakeHubSpot implements HubSpotGateway {
  calls: { method: string; portalId: string; ids?: string[] }[] = [];
  contacts = new Map<string, Record<string, string>>();
  companies = new Map<string, Record<string, string>>();
  /** `${fromType}:${id}:${toType}` → ids */
  associations = new Map<string, string[]>();
  updates: { id: string; properties: Record<string, string> }[] = [];
  /** Objects "created in HubSpot": marker → id. */
  created = new Map<string, { id: string; kind: string; contactId: string }>();
  failWith: Error | undefined;
  private nextId = 10_000;

  constructor(
    private readonly db: Database,
    private readonly clock: ManualClock,
    private readonly latency: () => Promise<void> = async () => undefined,
  ) {}

  private async record(method: string, portalId: string, ids?: readonly string[]) {
    this.calls.push({ method, portalId, ...(ids ? { ids: [...ids] } : {}) });
    await this.latency();
    if (this.failWith) throw this.failWith;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async readContacts(portalId: string, ids: readonly string[], _p: readonly string[], history?: readonly string[]): Promise<ReadRecord[]> {
    await this.record(history && history.length > 0 ? 'readContactsHistory' : 'readContacts', portalId, ids);
    return ids.filter((id) => this.contacts.has(id)).map((id) => ({ id, properties: { ...this.contacts.get(id)! } }));
  }
  async readCompanies(portalId: string, ids: readonly string[]): Promise<ReadRecord[]> {
    await this.record('readCompanies', portalId, ids);
    return ids.filter((id) => this.companies.has(id)).map((id) => ({ id, properties: { ...this.companies.get(id)! } }));
  }
  async readDeals(portalId: string, ids: readonly string[]): Promise<ReadRecord[]> {
    await this.record('readDeals', portalId, ids);
    return [];
  }
  async readEngagements(portalId: string, _type: string, ids: readonly string[]): Promise<ReadRecord[]> {
    await this.record('readEngagements', portalId, ids);
    return ids.map((id) => ({ id, properties: { hs_timestamp: String(T0), hubspot_owner_id: '77' } }));
  }
  async readAssociations(portalId: string, fromType: string, ids: readonly string[], toType: string): Promise<Map<string, AssociatedObject[]>> {
    await this.record(`readAssociations:${fromType}:${toType}`, portalId, ids);
    const out = new Map<string, AssociatedObject[]>();
    for (const id of ids) {
      const to = this.associations.get(`${fromType}:${id}:${toType}`);
      if (to) out.set(id, to.map((t) => ({ id: t, typeIds: [], labels: [] })));
    }
    return out;
  }
  async updateContacts(portalId: string, inputs: readonly { id: string; properties: Record<string, string> }[]) {
    await this.record('updateContacts', portalId, inputs.map((i) => i.id));
    const missing: string[] = [];
    for (const i of inputs) {
      if (!this.contacts.has(i.id)) missing.push(i.id);
      else {
        Object.assign(this.contacts.get(i.id)!, i.properties);
        this.updates.push({ id: i.id, properties: i.properties });
      }
    }
    return { missing };
  }
  private createVia(kind: 'task' | 'note', portalId: string, items: { key: string; contactId: string }[]) {
    return createIdempotently(
      {
        db: this.db,
        clock: this.clock,
        recoveryDelayMs: 60_000,
        findByMarkers: async (_p, markers) => new Map(markers.filter((m) => this.created.has(m)).map((m) => [m, this.created.get(m)!.id])),
        create: async (p, specs) => {
          await this.record(kind === 'task' ? 'createTasks' : 'createNotes', p, specs.map((s) => s.key));
          const out = new Map<string, string>();
          for (const s of specs) {
            const id = String(this.nextId++);
            this.created.set(s.marker, { id, kind, contactId: s.contactId });
            out.set(s.marker, id);
          }
          return out;
        },
      },
      portalId,
      items.map((i) => ({ key: i.key, kind, contactId: i.contactId, marker: sideEffectMarker(portalId, i.key), input: {} })),
    );
  }
  createTasks(portalId: string, tasks: readonly Plan['tasks'][number][]) {
    return this.createVia('task', portalId, tasks.map((t) => ({ key: t.key, contactId: t.associations.contactId })));
  }
  createNotes(portalId: string, notes: readonly Plan['notes'][number][]) {
    return this.createVia('note', portalId, notes.map((n) => ({ key: n.key, contactId: n.associations.contactId })));
  }
  async searchContactsModifiedSince(): Promise<never> {
    throw new Error('not used');
  }
  modified: { id: string; lastModifiedAt: number }[] = [];
  async listContactsModifiedBetween(portalId: string, since: number, until: number) {
    await this.record('listContactsModifiedBetween', portalId);
    return this.modified.filter((m) => m.lastModifiedAt >= since && m.lastModifiedAt < until);
  }
  async listOwners(portalId: string) {
    await this.record('listOwners', portalId);
    return [];
  }
  async getLifecycleStages(portalId: string) {
    await this.record('getLifecycleStages', portalId);
    return ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
  }
  async getPortalTimeZone() {
    return 'Asia/Tokyo';
  }
  async listMarketingEvents() {
    return [];
  }
  async listEventParticipations() {
    return [];
  }
  async findByMarkers() {
    return new Map<string, string>();
  }
}

export const staticDirectory: PortalDirectoryProvider = {
  get: async (): Promise<PortalDirectory> => ({
    owners: [],
    lifecycleStages: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead'],
    roundRobinCounts: { inside_sales: {}, sales: {} },
    timeZone: 'Asia/Tokyo',
  }),
  invalidate: () => undefined,
};

/**
 * A small stand-in for the engine's evaluateContact: records every evaluation and
 * plans what `plan` returns (default: nothing to do).
 */
export function fakeEvaluator(plan: (s: ContactSnapshot, now: number) => Partial<Plan> = () => ({})) {
  const evaluations: ContactSnapshot[] = [];
  const evaluate = (s: ContactSnapshot, _settings: { threshold: number }, _d: PortalDirectory, now: number): Plan => {
    evaluations.push(s);
    return { ...emptyPlan(s.portalId, s.contact.id), ...plan(s, now) };
  };
  return { evaluate, evaluations, loadSettings: async () => ({ threshold: 70 }) };
}

export interface WorkerKit {
  worker: InboxWorker;
  clock: ManualClock;
  hubspot: FakeHubSpot;
  metrics: Metrics;
  evaluations: ContactSnapshot[];
}

export function workerKit(
  db: Database,
  opts: { plan?: Parameters<typeof fakeEvaluator>[0]; options?: Partial<InboxWorkerOptions>; instanceId?: string; clock?: ManualClock; hubspot?: FakeHubSpot; companyCache?: boolean } = {},
): WorkerKit {
  const clock = opts.clock ?? createManualClock(T0);
  const hubspot = opts.hubspot ?? new FakeHubSpot(db, clock);
  const metrics = createMetrics({ defaultMetrics: false });
  const ev = fakeEvaluator(opts.plan);
  const worker = createInboxWorker({
    db,
    clock,
    logger: pino({ level: 'silent' }),
    metrics,
    gateway: hubspot,
    instanceId: opts.instanceId ?? 'worker-a',
    evaluate: ev.evaluate,
    loadSettings: ev.loadSettings,
    directory: staticDirectory,
    // Wired as startPipeline does: the company cache on the worker's database and clock.
    ...(opts.companyCache ? { readCompanies: createCachedCompanyReader(hubspot, { db, now: () => clock.now() }) } : {}),
    appId: APP_ID,
    options: { random: () => 1, ...opts.options },
  });
  return { worker, clock, hubspot, metrics, evaluations: ev.evaluations };
}

let eventSeq = 1;
export function contactEvent(objectId: string, extra: Partial<WebhookEvent> = {}): WebhookEvent {
  const n = eventSeq++;
  return {
    eventId: String(n),
    subscriptionId: '42',
    portalId: PORTAL,
    appId: APP_ID,
    occurredAt: T0 - 10_000 + n,
    subscriptionType: 'contact.propertyChange',
    objectId,
    propertyName: 'jobtitle',
    propertyValue: '部長',
    changeSource: 'CRM_UI',
    ...extra,
  };
}

export async function enqueue(db: Database, events: WebhookEvent[], now = T0) {
  return storeWebhookEvents(db, events, now);
}

export async function inboxStatuses(db: Database): Promise<Record<string, number>> {
  const r = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from webhook_inbox group by status');
  return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
}
