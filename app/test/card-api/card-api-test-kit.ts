/**
 * In-memory stand-ins for the card API's dependencies (gateway reads, engine,
 * applier, settings store) and a signed-request helper that signs exactly like
 * hubspot.fetch: v3 over METHOD + public URL + raw body + timestamp.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import { mqlScoreThreshold } from '@tossup/shared/rule-threshold';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { loadConfig } from '../../src/platform/config';
import type { CardApiRouterDeps } from '../../src/card-api/card-api-router';
import { createMetrics } from '../../src/platform/metrics';
import { signV3 } from '../../src/platform/hubspot-signature';
import type { Database } from '../../src/storage/database';
import { emptyPlan, type ContactSnapshot, type Owner, type Plan, type PortalDirectory } from '../../src/domain/types';
import type { CardApiDeps, CardEngine, HandoffLogRow, PlanOutcome, PortalUser, StoredSettings, TouchRecord } from '../../src/card-api/card-api-deps';
import { createCardApiRouter, type CardApiRouterOptions } from '../../src/card-api/card-api-router';

export const SECRET = 'card-api-test-secret';
export const PUBLIC_BASE_URL = 'https://tossup.example.com';
export const PORTAL = '12345678';
/** 2026-11-27 10:00 JST */
export const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);

const team = (id: string, name: string) => ({ id, name, primary: true });
export const OWNERS: Owner[] = [
  { id: '101', userId: 9101, firstName: '彩', lastName: '高橋', archived: false, teams: [team('11', 'Marketing')] },
  { id: '201', userId: 9201, firstName: '美咲', lastName: '佐藤', archived: false, teams: [team('12', 'IS Team')] },
  { id: '301', userId: 9301, firstName: '健太', lastName: '鈴木', archived: false, teams: [team('13', 'Field Sales')] },
  { id: '302', userId: 9302, firstName: '次郎', lastName: '伊藤', archived: false, teams: [team('13', 'Field Sales')] },
];

export const USERS: Record<string, PortalUser> = {
  '9101': { userId: '9101', ownerId: '101', superAdmin: false, teams: OWNERS[0]!.teams },
  '9201': { userId: '9201', ownerId: '201', superAdmin: false, teams: OWNERS[1]!.teams },
  '9301': { userId: '9301', ownerId: '301', superAdmin: false, teams: OWNERS[2]!.teams },
  '9302': { userId: '9302', ownerId: '302', superAdmin: false, teams: OWNERS[3]!.teams },
  '9999': { userId: '9999', ownerId: null, superAdmin: true, teams: [] },
};

export function contact(id: string, props: Record<string, string> = {}): ContactSnapshot {
  return {
    portalId: PORTAL,
    contact: {
      id,
      properties: { firstname: '太郎', lastname: '山田', email: `lead${id}@example.co.jp`, tossup_stage: 'mql', tossup_score: '75', hubspot_owner_id: '201', ...props },
    },
    ledger: [],
    observations: [],
  };
}

/** A fake engine with the article's default gate, small enough to reason about in a test. */
export function createFakeEngine(): CardEngine {
  const missing = (s: ContactSnapshot) => {
    const p = s.contact.properties;
    const out: { code: string; params?: Record<string, number> }[] = [];
    const count = Number(p.tossup_bant_count ?? 0);
    if (count < 2) out.push({ code: 'bant_count', params: { have: count, need: 2 } });
    if (!p.tossup_handoff_reason) out.push({ code: 'handoff_reason_present' });
    return out;
  };
  const stageFor = (s: ContactSnapshot, settings: PortalSettings) =>
    Number(s.contact.properties.tossup_score ?? 0) >= (mqlScoreThreshold(settings.rules.mql) ?? 70) ? 'mql' : 'new';
  return {
    assess: (s, settings) => {
      const total = Number(s.contact.properties.tossup_score ?? 0);
      const threshold = mqlScoreThreshold(settings.rules.mql) ?? 70;
      const m = missing(s);
      return {
        score: { total, behavior: total, attribute: 0, lines: [{ rule: 'emailOpen', label_ja: 'メール開封', label_en: 'Email opens', count: total / 5, points: total }] },
        mql: { isMql: total >= threshold, threshold, gap: Math.max(0, threshold - total), firedBy: total >= threshold ? [{ ja: `スコア合計 ≥ ${threshold}`, en: `Total score ≥ ${threshold}` }] : [] },
        reactions: { inquirySubmitted: false, isFirstCallDone: false, surveyAnswered: false },
        followUpDueAt: null,
        gate: { passed: m.length === 0, missing: m },
      };
    },
    evaluateContact: (s, settings) => {
      const plan = emptyPlan(PORTAL, s.contact.id);
      const stage = stageFor(s, settings);
      if (stage !== s.contact.properties.tossup_stage) plan.contactProperties.tossup_stage = stage;
      return plan;
    },
    planHandoff: (s, _settings, _d, now, actor): PlanOutcome => {
      if (s.contact.properties.tossup_stage === 'sql') return { ok: false, code: 'invalid_state', message: { ja: 'トスアップ済みです', en: 'Already handed off' } };
      const m = missing(s);
      if (m.length > 0) return { ok: false, code: 'gate_blocked', missing: m };
      const plan = emptyPlan(PORTAL, s.contact.id);
      plan.contactProperties = { tossup_stage: 'sql', tossup_sql_at: String(now), tossup_handoff_to: '301', tossup_handoff_by: actor.ownerId ?? '', hubspot_owner_id: '301' };
      plan.tasks.push({
        key: `task:handoff:${s.contact.id}:${now}`,
        ownerId: '301',
        subject: 'トスアップ',
        body: '',
        dueAt: now + 24 * 3_600_000,
        priority: 'HIGH',
        type: 'TODO',
        associations: { contactId: s.contact.id },
      });
      plan.handoffLog.push({ dedupeKey: `handoff:${s.contact.id}:${now}`, action: 'handoff', actorOwnerId: actor.ownerId ?? undefined, toOwnerId: '301', details: {}, at: now });
      return { ok: true, plan };
    },
    planAccept: (s, _settings, _d, now, actor): PlanOutcome => {
      if (s.contact.properties.tossup_stage !== 'sql') return { ok: false, code: 'invalid_state' };
      const plan = emptyPlan(PORTAL, s.contact.id);
      plan.contactProperties = { tossup_stage: 'accepted', tossup_sla_status_update: 'met' };
      plan.handoffLog.push({ dedupeKey: `accept:${s.contact.id}`, action: 'accept', actorOwnerId: actor.ownerId, details: {}, at: now });
      return { ok: true, plan };
    },
    planReject: (s, settings, _d, _now, input): PlanOutcome => {
      const reason = settings.recycle.reasons.find((r) => r.code === input.reasonCode);
      if (!reason) return { ok: false, code: 'gate_blocked', missing: [{ code: 'unknown_reason', label: { ja: '不明な理由', en: 'Unknown reason' } }] };
      const plan = emptyPlan(PORTAL, s.contact.id);
      plan.contactProperties = { tossup_stage: 'rejected', tossup_reject_reason: `${reason.ja} / ${reason.en}: ${input.reasonText}` };
      return { ok: true, plan };
    },
    departmentOfTeam: (t, settings) => {
      const mapped = settings.departments.teamMap[t.id];
      if (mapped) return mapped === 'none' ? null : mapped;
      if (/\bIS\b/.test(t.name)) return 'inside_sales';
      if (/marketing/i.test(t.name)) return 'marketing';
      if (/sales/i.test(t.name)) return 'sales';
      return null;
    },
  };
}

export interface FakeWorld {
  deps: CardApiDeps;
  contacts: Map<string, ContactSnapshot>;
  touches: TouchRecord[];
  log: HandoffLogRow[];
  /** Every call of the applier, in order. */
  applied: Plan[][];
  /** Tasks "created in HubSpot", keyed like the side_effects table: a repeated key is not a second task. */
  tasks: Map<string, Plan['tasks'][number]>;
  reads: { snapshot: number; touches: number };
  /** Make the next applier call fail (a gateway 5xx). */
  failNextApply(): void;
  stored: StoredSettings;
}

export function createFakeWorld(): FakeWorld {
  const contacts = new Map<string, ContactSnapshot>();
  const touches: TouchRecord[] = [];
  const log: HandoffLogRow[] = [];
  const applied: Plan[][] = [];
  const tasks = new Map<string, Plan['tasks'][number]>();
  const reads = { snapshot: 0, touches: 0 };
  let failNext = false;
  const directory: PortalDirectory = {
    owners: OWNERS,
    lifecycleStages: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'],
    roundRobinCounts: { inside_sales: {}, sales: {} },
    timeZone: 'Asia/Tokyo',
  };
  const world: FakeWorld = {
    contacts,
    touches,
    log,
    applied,
    tasks,
    reads,
    failNextApply: () => {
      failNext = true;
    },
    stored: { settings: structuredClone(DEFAULT_SETTINGS), version: 0, updatedAt: null },
    deps: undefined as unknown as CardApiDeps,
  };
  world.deps = {
    data: {
      getContactSnapshot: async (_p, id) => {
        reads.snapshot += 1;
        const c = contacts.get(id);
        return c ? structuredClone(c) : null;
      },
      getDealContactIds: async (_p, id) => (id === '8001' ? ['5001'] : null),
      listTouches: async () => {
        reads.touches += 1;
        return touches;
      },
      getDirectory: async () => directory,
      getUser: async (_p, userId) => USERS[userId] ?? null,
      sampleContactSnapshots: async (_p, limit) => ({ snapshots: [...contacts.values()].slice(0, limit), total: contacts.size }),
      listPortalForms: async () => ({ source: 'seen', reason: 'missing_scope', forms: [{ title: 'お問い合わせ', submissions: 3 }] }),
      findContactIdsByEmail: async (_p, email) =>
        [...contacts.values()].filter((c) => c.contact.properties.email?.toLowerCase() === email.trim().toLowerCase()).map((c) => c.contact.id),
    },
    engine: createFakeEngine(),
    applyPlans: async (plans) => {
      applied.push(plans);
      if (failNext) {
        failNext = false;
        throw new Error('HubSpot 502 (simulated)');
      }
      for (const plan of plans) {
        for (const task of plan.tasks) if (!tasks.has(task.key)) tasks.set(task.key, task);
        const c = contacts.get(plan.contactId);
        if (c) Object.assign(c.contact.properties, plan.contactProperties);
      }
    },
    settings: {
      get: async () => world.stored,
      save: async (_p, settings, meta) => {
        if (meta.expectedVersion !== undefined && meta.expectedVersion !== world.stored.version) return { ok: false, reason: 'conflict', currentVersion: world.stored.version };
        world.stored = { settings, version: world.stored.version + 1, updatedAt: meta.now };
        return { ok: true, version: world.stored.version };
      },
    },
    handoffLog: { listForContacts: async (_p, ids) => log.filter((r) => ids.includes(r.contactId)) },
  };
  return world;
}

export function testContext(db: Database, deps: CardApiDeps, clock: ManualClock = createManualClock(T0)): CardApiRouterDeps & { clock: ManualClock } {
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'client-id',
    HUBSPOT_CLIENT_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'silent',
  });
  return {
    config,
    db,
    clock,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    cardApi: deps,
  };
}

export interface CardServer {
  origin: string;
  close(): Promise<void>;
}

export async function startCardApi(ctx: CardApiRouterDeps, options: CardApiRouterOptions = {}): Promise<CardServer> {
  const app = express();
  app.use('/api/v1', createCardApiRouter(ctx, options));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export interface SignedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query as the card sent it, without HubSpot's parameters, e.g. /api/v1/contacts/5001/handoff */
  path: string;
  userId: string;
  body?: unknown;
  portalId?: string;
  timestamp?: number;
}

/** The query HubSpot appends, in HubSpot's order. */
export function hubspotQuery(userId: string, portalId = PORTAL): string {
  return `userId=${userId}&portalId=${portalId}&userEmail=${encodeURIComponent(`user${userId}@example.com`)}&appId=39594762`;
}

export function signedPath(path: string, userId: string, portalId = PORTAL): string {
  return `${path}${path.includes('?') ? '&' : '?'}${hubspotQuery(userId, portalId)}`;
}

/** Sends a request signed the way hubspot.fetch signs it; `sendPath` lets a test send another URL than it signed. */
export async function send<T = Record<string, unknown>>(server: CardServer, req: SignedRequest, tamper: { sendPath?: string; headers?: Record<string, string>; rawBody?: string } = {}) {
  const path = signedPath(req.path, req.userId, req.portalId);
  const body = req.body === undefined ? '' : JSON.stringify(req.body);
  const timestamp = req.timestamp ?? T0;
  const signature = signV3({ clientSecret: SECRET, method: req.method, uri: `${PUBLIC_BASE_URL}${path}`, body, timestamp });
  const res = await fetch(`${server.origin}${tamper.sendPath ?? path}`, {
    method: req.method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(timestamp),
      ...tamper.headers,
    },
    ...(body || tamper.rawBody ? { body: tamper.rawBody ?? body } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as { ok: boolean; data?: T; error?: { code: string; message_ja: string; message_en: string; missing?: { code: string; label_ja: string; label_en: string }[]; fields?: { path: string; message_ja: string; message_en: string }[] } }, bytes: Buffer.byteLength(text) };
}
