/**
 * The card and settings-page API (`/api/v1`, called by hubspot.fetch).
 *
 * Order of every request: raw body → v3 signature (401 before routing, unknown
 * paths too) → route → zod-parse the body → authorise by team and role (403 with a
 * bilingual message) → claim the idempotency key (mutations) → engine → applier →
 * answer. Business outcomes (gate blocked, conflict, timeout) are HTTP 200
 * `{ ok: false, error }` because how hubspot.fetch hands non-2xx bodies to the card
 * is unverified (hubspot-platform.md §2.1); auth failures keep their 401/403 status
 * and a bilingual body the client also understands.
 */
import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import {
  acceptBodySchema,
  bantUpdateBodySchema,
  BANT_ITEMS,
  rejectBodySchema,
  settingsPreviewBodySchema,
  settingsSaveBodySchema,
  timelineQuerySchema,
  tossUpBodySchema,
  type ApiError,
  type ApiResult,
  type DepartmentCode,
  type HandoffView,
  type MissingItem,
  type MutationView,
  type SettingsPreviewView,
  type SettingsView,
  type SettingsWarning,
  type StageTransitionCount,
  type TeamRef,
  type TimelineView,
  type TossupStageCode,
} from '@tossup/shared/card-dto';
import { serializeBantNotes, parseBantNotes } from '@tossup/shared/bant-notes';
import { parseSettings, settingsWarnings, type PortalSettings } from '@tossup/shared/settings-schema';
import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';
import { emptyPlan, type ContactSnapshot, type Plan, type PortalDirectory } from '../domain/types';
import { ERRORS, splitBilingual } from './api-errors';
import { InstallNotActiveError } from '../hubspot/token-service';
import {
  buildHandoffView,
  buildSummary,
  departmentsOf,
  describeSla,
  findOverlaps,
  labelMissing,
  ownerName,
  permissionsFor,
  stageOf,
  timeOf,
  timelineItems,
  viewerView,
} from './build-views';
import type { CardApiDeps, PortalUser } from './card-api-deps';
import { cacheKeys, createCardApiCache, type CardApiCache } from './card-api-cache';
import { createIdempotencyStore, type IdempotencyStore } from '../storage/idempotency-store';
import { createVerifyCardRequest, MAX_CARD_REQUEST_BYTES, rawBody, verifiedLocals, type SignedIdentity } from './verify-card-request';
import { withoutNul } from '../domain/webhook-event';

/**
 * hubspot.fetch waits 15 s by default
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data);
 * answer well before that so the card gets our message rather than a platform timeout.
 */
export const CARD_API_DEADLINE_MS = 12_000;

/** Contacts evaluated by the settings preview: enough to be telling, few enough for the deadline and the API budget. */
export const PREVIEW_SAMPLE_SIZE = 200;

/** A deal's summary looks at its first few contacts (primary first). */
const DEAL_SUMMARY_CONTACTS = 5;

export interface CardApiRouterOptions {
  deadlineMs?: number;
  cache?: CardApiCache;
  idempotency?: IdempotencyStore;
}

interface Answer {
  status: number;
  body: ApiResult<unknown>;
}

const ok = <T,>(data: T): Answer => ({ status: 200, body: { ok: true, data } });
const fail = (error: ApiError, status = 200): Answer => ({ status, body: { ok: false, error } });

/** Thrown inside handlers to answer at once (403, 404, 400). */
class AnswerNow extends Error {
  constructor(public readonly answer: Answer) {
    super(answer.body.ok ? 'answer' : answer.body.error.code);
  }
}

interface Call {
  req: Request;
  identity: SignedIdentity;
  deps: CardApiDeps;
  /** The request's clock: for a retried mutation, the first attempt's. */
  now: number;
  body: unknown;
}

const idParam = /^\d{1,20}$/;

function param(req: Request, name: string): string {
  const v = req.params[name];
  if (typeof v !== 'string' || !idParam.test(v)) throw new AnswerNow(fail(ERRORS.invalidRequest(`${name} must be a numeric HubSpot id`), 400));
  return v;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new AnswerNow(fail(ERRORS.invalidRequest(details), 400));
  }
  return r.data;
}

function applyProperties(snapshot: ContactSnapshot, properties: Record<string, string>): ContactSnapshot {
  return { ...snapshot, contact: { ...snapshot.contact, properties: { ...snapshot.contact.properties, ...properties } } };
}

export interface CardApiRouterDeps extends BaseDeps {
  db: Database;
  /** The card API's services; absent only in a process without app credentials. */
  cardApi: CardApiDeps | undefined;
}

export function createCardApiRouter(ctx: CardApiRouterDeps, options: CardApiRouterOptions = {}): Router {
  const router = Router();
  const cache = options.cache ?? createCardApiCache();
  const idempotency = options.idempotency ?? createIdempotencyStore(ctx.db);
  const deadlineMs = options.deadlineMs ?? CARD_API_DEADLINE_MS;
  const requests = ctx.metrics.counter('tossup_card_api_requests_total', 'Card API requests by route and outcome', ['route', 'outcome']);

  router.use(rawBody);
  router.use(createVerifyCardRequest(ctx));

  // -------------------------------------------------------------------------
  // Cached reads

  const settingsOf = (deps: CardApiDeps, portalId: string) => cache.get(cacheKeys.settings(portalId), () => deps.settings.get(portalId));
  const directoryOf = (deps: CardApiDeps, portalId: string) => cache.get(cacheKeys.directory(portalId), () => deps.data.getDirectory(portalId));
  const snapshotOf = (deps: CardApiDeps, portalId: string, contactId: string, fresh = false) =>
    fresh ? deps.data.getContactSnapshot(portalId, contactId) : cache.get(cacheKeys.contact(portalId, contactId), () => deps.data.getContactSnapshot(portalId, contactId));

  async function viewer(call: Call, settings: PortalSettings): Promise<{ user: PortalUser; departments: DepartmentCode[] }> {
    const { portalId, userId } = call.identity;
    const user = await cache.get(cacheKeys.user(portalId, userId), () => call.deps.data.getUser(portalId, userId));
    if (!user) throw new AnswerNow(fail(ERRORS.unknownUser(), 403));
    return { user, departments: departmentsOf(user, settings, call.deps.engine) };
  }

  async function requireContact(call: Call, contactId: string, fresh: boolean): Promise<ContactSnapshot> {
    const snapshot = await snapshotOf(call.deps, call.identity.portalId, contactId, fresh);
    if (!snapshot) throw new AnswerNow(fail(ERRORS.notFound(`コンタクト ${contactId} / Contact ${contactId}`)));
    return snapshot;
  }

  function handoffView(call: Call, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, who: { user: PortalUser; departments: DepartmentCode[] }): HandoffView {
    const assessment = call.deps.engine.assess(snapshot, settings, directory, call.now);
    return buildHandoffView({ snapshot, assessment, directory, user: who.user, departments: who.departments, now: call.now });
  }

  /** Applies the plan, then answers with the state after it (no second CRM read). */
  async function applyAndView(call: Call, plan: Plan, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, who: { user: PortalUser; departments: DepartmentCode[] }): Promise<Answer> {
    await call.deps.applyPlans([plan]);
    cache.invalidateContact(call.identity.portalId, snapshot.contact.id);
    const after = applyProperties(snapshot, plan.contactProperties);
    const data: MutationView = { handoff: handoffView(call, after, settings, directory, who) };
    return ok(data);
  }

  // -------------------------------------------------------------------------
  // Route plumbing: deadline, idempotency, errors

  function route(name: string, handler: (call: Call) => Promise<Answer>, mutation?: { schema: z.ZodType<{ idempotencyKey: string }> }): RequestHandler {
    return async (req: Request, res: Response) => {
      const { identity, rawBody: raw } = verifiedLocals(res);
      const send = (a: Answer, outcome: string) => {
        requests.inc({ route: name, outcome });
        if (!res.headersSent) res.status(a.status).json(a.body);
      };
      let body: unknown = {};
      if (raw.length > 0) {
        try {
          // Well-formed text from here on: a NUL or a lone surrogate (valid JSON escapes)
          // would otherwise reach jsonb (the stored answer) and fail after the write was made.
          body = withoutNul(JSON.parse(raw.toString('utf8')));
        } catch {
          send(fail(ERRORS.invalidRequest('body is not JSON'), 400), 'bad_request');
          return;
        }
      }
      const deps = ctx.cardApi;
      if (!deps) throw new Error('tossup: the card API is not wired in this process (no app credentials)');
      let now = ctx.clock.now();
      let key: string | undefined;
      try {
        // Path ids first: a malformed URL must not claim (and burn) the idempotency key.
        for (const name of Object.keys(req.params)) param(req, name);
        if (mutation) {
          key = parseWith(mutation.schema, body).idempotencyKey;
          const hash = createHash('sha256')
            .update(`${req.method} ${req.baseUrl}${req.path} ${identity.userId}\n`)
            .update(raw)
            .digest('hex');
          const claim = await idempotency.claim(identity.portalId, key, hash, now);
          if (claim.kind === 'replay') return send({ status: claim.statusCode, body: claim.response as ApiResult<unknown> }, 'replayed');
          if (claim.kind === 'in_progress') return send(fail(ERRORS.inProgress()), 'in_progress');
          if (claim.kind === 'mismatch') return send(fail(ERRORS.keyReused(), 422), 'key_reused');
          now = claim.clockAt;
        }
      } catch (err) {
        if (err instanceof AnswerNow) return send(err.answer, 'rejected');
        throw err;
      }

      const call: Call = { req, identity, deps, now, body };
      const work = (async (): Promise<Answer> => {
        let answer: Answer;
        try {
          answer = await handler(call);
        } catch (err) {
          if (!(err instanceof AnswerNow)) {
            if (key) await idempotency.release(identity.portalId, key).catch(() => undefined);
            throw err;
          }
          answer = err.answer;
        }
        // Stored for replay: a retry of this very request gets this very answer.
        if (key) await idempotency.complete(identity.portalId, key, answer.status, answer.body, ctx.clock.now());
        return answer;
      })();

      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
      });
      try {
        const result = await Promise.race([work, timedOut]);
        if (result === 'timeout') {
          // The work goes on (a mutation still completes its idempotency record); only the answer is cut short.
          work.catch((err: unknown) => ctx.logger.error({ err, route: name }, 'card API: work failed after the deadline answer'));
          return send(fail(ERRORS.timeout()), 'timeout');
        }
        send(result, result.body.ok ? 'ok' : result.body.error.code);
      } catch (err) {
        if (err instanceof InstallNotActiveError) {
          // Not a server fault: the portal has to reinstall; say so instead of a generic 500.
          send(fail(ERRORS.notInstalled(), 409), 'not_installed');
          return;
        }
        ctx.logger.error({ err, route: name, portalId: identity.portalId }, 'card API request failed');
        send(fail(ERRORS.internal(), 500), 'error');
      } finally {
        clearTimeout(timer);
      }
    };
  }

  // -------------------------------------------------------------------------
  // Sidebar card

  router.get(
    '/contacts/:id/handoff',
    route('get_handoff', async (call) => {
      const contactId = param(call.req, 'id');
      const { portalId } = call.identity;
      const stored = await settingsOf(call.deps, portalId);
      const [who, directory, snapshot] = await Promise.all([viewer(call, stored.settings), directoryOf(call.deps, portalId), requireContact(call, contactId, false)]);
      return ok(handoffView(call, snapshot, stored.settings, directory, who));
    }),
  );

  router.put(
    '/contacts/:id/bant',
    route(
      'put_bant',
      async (call) => {
        const contactId = param(call.req, 'id');
        const body = parseWith(bantUpdateBodySchema, call.body);
        const { portalId } = call.identity;
        const { settings } = await settingsOf(call.deps, portalId);
        const who = await viewer(call, settings);
        if (!permissionsFor(who.user, who.departments, null).canEditBant) throw new AnswerNow(fail(ERRORS.notInsideSales(), 403));
        const [directory, snapshot] = await Promise.all([directoryOf(call.deps, portalId), requireContact(call, contactId, true)]);
        const current = snapshot.contact.properties;
        // Keep whatever a person typed into the property by hand that is not one of the four items.
        const { other } = parseBantNotes(current.tossup_bant_notes);
        const wanted: Record<string, string> = {
          tossup_bant_count: String(BANT_ITEMS.filter((i) => body.bant[i]).length),
          tossup_bant_notes: serializeBantNotes(body.notes, other),
          tossup_handoff_reason: body.reason.trim(),
        };
        for (const item of BANT_ITEMS) wanted[`tossup_bant_${item}`] = String(body.bant[item]);
        const plan = emptyPlan(portalId, contactId);
        for (const [name, value] of Object.entries(wanted)) if ((current[name] ?? '') !== value) plan.contactProperties[name] = value;
        plan.explanations.push(`card: BANT/reason updated by user ${call.identity.userId}`);
        if (Object.keys(plan.contactProperties).length === 0) return ok({ handoff: handoffView(call, snapshot, settings, directory, who) } satisfies MutationView);
        return applyAndView(call, plan, snapshot, settings, directory, who);
      },
      { schema: bantUpdateBodySchema },
    ),
  );

  router.post(
    '/contacts/:id/handoff',
    route(
      'post_handoff',
      async (call) => {
        const contactId = param(call.req, 'id');
        parseWith(tossUpBodySchema, call.body);
        const { portalId } = call.identity;
        const { settings } = await settingsOf(call.deps, portalId);
        const who = await viewer(call, settings);
        if (!permissionsFor(who.user, who.departments, null).canTossUp) throw new AnswerNow(fail(ERRORS.notInsideSales(), 403));
        // Decide on the newest state: a cached snapshot could toss up a lead someone else just handed off.
        const [directory, snapshot] = await Promise.all([directoryOf(call.deps, portalId), requireContact(call, contactId, true)]);
        const outcome = call.deps.engine.planHandoff(snapshot, settings, directory, call.now, { ownerId: who.user.ownerId });
        if (!outcome.ok) return fail(blocked(outcome));
        return applyAndView(call, outcome.plan, snapshot, settings, directory, who);
      },
      { schema: tossUpBodySchema },
    ),
  );

  function blocked(outcome: Extract<ReturnType<CardApiDeps['engine']['planHandoff']>, { ok: false }>): ApiError {
    const missing = labelMissing(outcome.missing ?? []);
    if (outcome.code === 'gate_blocked') {
      return {
        code: 'gate_blocked',
        message_ja: outcome.message_ja ?? `トスアップ条件を満たしていません: ${missing.map((m) => m.label_ja).join('、')}`,
        message_en: outcome.message_en ?? `The hand-off conditions are not met: ${missing.map((m) => m.label_en).join(', ')}`,
        ...(missing.length > 0 ? { missing } : {}),
      };
    }
    return {
      code: 'invalid_state',
      message_ja: outcome.message_ja ?? 'このリードの現在の段階ではこの操作はできません。再読み込みしてください。',
      message_en: outcome.message_en ?? 'This action is not possible at the lead’s current stage; reload the card.',
    };
  }

  // -------------------------------------------------------------------------
  // Accept / reject (tab card)

  async function respond(call: Call, decide: (snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, ownerId: string) => ReturnType<CardApiDeps['engine']['planAccept']>): Promise<Answer> {
    const contactId = param(call.req, 'id');
    const { portalId } = call.identity;
    const { settings } = await settingsOf(call.deps, portalId);
    const who = await viewer(call, settings);
    const [directory, snapshot] = await Promise.all([directoryOf(call.deps, portalId), requireContact(call, contactId, true)]);
    const ownerId = who.user.ownerId;
    if (!ownerId || !permissionsFor(who.user, who.departments, snapshot.contact.properties).canRespond) throw new AnswerNow(fail(ERRORS.notAssignedRep(), 403));
    const outcome = decide(snapshot, settings, directory, ownerId);
    if (!outcome.ok) return fail(blocked(outcome));
    return applyAndView(call, outcome.plan, snapshot, settings, directory, who);
  }

  router.post(
    '/contacts/:id/accept',
    route(
      'post_accept',
      async (call) => {
        parseWith(acceptBodySchema, call.body);
        return respond(call, (s, settings, d, ownerId) => call.deps.engine.planAccept(s, settings, d, call.now, { ownerId }));
      },
      { schema: acceptBodySchema },
    ),
  );

  router.post(
    '/contacts/:id/reject',
    route(
      'post_reject',
      async (call) => {
        const body = parseWith(rejectBodySchema, call.body);
        return respond(call, (s, settings, d, ownerId) => call.deps.engine.planReject(s, settings, d, call.now, { ownerId, reasonCode: body.reasonCode, reasonText: body.reason }));
      },
      { schema: rejectBodySchema },
    ),
  );

  // -------------------------------------------------------------------------
  // Timeline (tab card on contacts and deals)

  async function timeline(call: Call, objectType: 'contacts' | 'deals'): Promise<Answer> {
    const objectId = param(call.req, 'id');
    const query = parseWith(timelineQuerySchema, call.req.query);
    const { portalId } = call.identity;
    const { settings } = await settingsOf(call.deps, portalId);
    const [who, directory] = await Promise.all([viewer(call, settings), directoryOf(call.deps, portalId)]);

    let contactIds: string[];
    if (objectType === 'contacts') {
      contactIds = [objectId];
    } else {
      const ids = await cache.get(cacheKeys.dealContacts(portalId, objectId), () => call.deps.data.getDealContactIds(portalId, objectId));
      if (ids === null) throw new AnswerNow(fail(ERRORS.notFound(`取引 ${objectId} / Deal ${objectId}`)));
      contactIds = ids;
    }
    const summaryCandidates = (
      await Promise.all(contactIds.slice(0, DEAL_SUMMARY_CONTACTS).map((id) => snapshotOf(call.deps, portalId, id)))
    ).filter((s): s is ContactSnapshot => s !== null);
    if (objectType === 'contacts' && summaryCandidates.length === 0) throw new AnswerNow(fail(ERRORS.notFound(`コンタクト ${objectId} / Contact ${objectId}`)));
    // For a deal: the contact most recently handed off speaks for it; else the primary contact.
    const focus =
      [...summaryCandidates].sort((a, b) => (timeOf(b.contact.properties.tossup_sql_at) ?? -1) - (timeOf(a.contact.properties.tossup_sql_at) ?? -1))[0] ?? null;

    const logContacts = contactIds.slice(0, 20);
    const [touches, log] = await Promise.all([
      cache.get(cacheKeys.touches(portalId, objectType, objectId), () => call.deps.data.listTouches(portalId, { objectType, objectId })),
      cache.get(cacheKeys.handoffLog(portalId, logContacts), () => call.deps.handoffLog.listForContacts(portalId, logContacts)),
    ]);
    const all = timelineItems({ touches, log, directory, settings, engine: call.deps.engine });
    const filtered = query.department === 'all' ? all : all.filter((i) => i.department === query.department);
    const pageCount = Math.max(1, Math.ceil(filtered.length / query.pageSize));
    const page = Math.min(query.page, pageCount);
    const view: TimelineView = {
      items: filtered.slice((page - 1) * query.pageSize, page * query.pageSize),
      page,
      pageCount,
      pageSize: query.pageSize,
      total: filtered.length,
      department: query.department,
      overlaps: findOverlaps(all),
      contactId: focus?.contact.id ?? null,
      summary: focus ? buildSummary(focus, directory) : null,
      sla: focus ? describeSla(focus, call.now) : null,
      permissions: permissionsFor(who.user, who.departments, focus?.contact.properties ?? null),
      viewer: viewerView(who.user, who.departments),
      rejectReasons: settings.recycle.reasons.map((r) => ({ code: r.code, label_ja: r.ja, label_en: r.en })),
      now: call.now,
    };
    return ok(view);
  }

  router.get('/contacts/:id/timeline', route('get_contact_timeline', (call) => timeline(call, 'contacts')));
  router.get('/deals/:id/timeline', route('get_deal_timeline', (call) => timeline(call, 'deals')));

  // -------------------------------------------------------------------------
  // Settings page

  function teamsOf(directory: PortalDirectory): TeamRef[] {
    const byId = new Map<string, TeamRef>();
    for (const owner of directory.owners) for (const t of owner.teams) byId.set(t.id, { id: t.id, name: t.name });
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  function warningsFor(deps: CardApiDeps, settings: PortalSettings, directory: PortalDirectory): SettingsWarning[] {
    const teams = teamsOf(directory).map((t) => ({ ...t, department: deps.engine.departmentOfTeam({ id: t.id, name: t.name }, settings) }));
    return settingsWarnings(settings, teams).map((w) => {
      const { ja, en } = splitBilingual(w.message);
      return { code: w.code, message_ja: ja, message_en: en };
    });
  }

  function settingsView(deps: CardApiDeps, settings: PortalSettings, version: number, updatedAt: number | null, directory: PortalDirectory, user: PortalUser): SettingsView<PortalSettings> {
    return {
      settings,
      version,
      updatedAt,
      warnings: warningsFor(deps, settings, directory),
      teams: teamsOf(directory),
      owners: directory.owners
        .filter((o) => !o.archived)
        .map((o) => ({ ownerId: o.id, name: ownerName(o) ?? `#${o.id}` }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      canEdit: user.superAdmin,
    };
  }

  function settingsErrors(errors: { path: string; message: string }[]): MissingItem[] {
    return errors.map((e) => {
      const { ja, en } = splitBilingual(e.message);
      return { code: e.path || '(settings)', label_ja: ja, label_en: en };
    });
  }

  router.get(
    '/settings',
    route('get_settings', async (call) => {
      const { portalId } = call.identity;
      const stored = await settingsOf(call.deps, portalId);
      const [who, directory] = await Promise.all([viewer(call, stored.settings), directoryOf(call.deps, portalId)]);
      return ok(settingsView(call.deps, stored.settings, stored.version, stored.updatedAt, directory, who.user));
    }),
  );

  router.put(
    '/settings',
    route(
      'put_settings',
      async (call) => {
        const body = parseWith(settingsSaveBodySchema, call.body);
        const { portalId, userId } = call.identity;
        const current = await settingsOf(call.deps, portalId);
        const who = await viewer(call, current.settings);
        if (!who.user.superAdmin) throw new AnswerNow(fail(ERRORS.notSuperAdmin(), 403));
        const parsed = parseSettings(body.settings);
        if (!parsed.ok) return fail(ERRORS.invalidSettings(settingsErrors(parsed.errors)));
        const saved = await call.deps.settings.save(portalId, parsed.settings, {
          ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}),
          updatedBy: userId,
          now: call.now,
        });
        if (!saved.ok) return fail(ERRORS.settingsConflict());
        // New rules change every view of the portal (departments, gate, scores).
        cache.invalidatePortal(portalId);
        const directory = await directoryOf(call.deps, portalId);
        return ok(settingsView(call.deps, parsed.settings, saved.version, saved.version, directory, who.user));
      },
      { schema: settingsSaveBodySchema },
    ),
  );

  router.post(
    '/settings/preview',
    route('post_settings_preview', async (call) => {
      const body = parseWith(settingsPreviewBodySchema, call.body);
      const { portalId } = call.identity;
      const current = await settingsOf(call.deps, portalId);
      const who = await viewer(call, current.settings);
      if (!who.user.superAdmin) throw new AnswerNow(fail(ERRORS.notSuperAdmin(), 403));
      const parsed = parseSettings(body.settings);
      if (!parsed.ok) return fail(ERRORS.invalidSettings(settingsErrors(parsed.errors)));
      const [directory, sample] = await Promise.all([directoryOf(call.deps, portalId), call.deps.data.sampleContactSnapshots(portalId, PREVIEW_SAMPLE_SIZE)]);
      // The effect of the edit alone: the stage each contact reaches under the current
      // rules versus under the edited ones (pipeline lag does not count as a change).
      const transitions = new Map<string, StageTransitionCount>();
      let changed = 0;
      for (const snapshot of sample.snapshots) {
        const stageUnder = (settings: PortalSettings): TossupStageCode => {
          const plan = call.deps.engine.evaluateContact(snapshot, settings, directory, call.now);
          return stageOf({ ...snapshot.contact.properties, ...plan.contactProperties });
        };
        const before = stageUnder(current.settings);
        const after = stageUnder(parsed.settings);
        if (before === after) continue;
        changed += 1;
        const k = `${before}>${after}`;
        const t = transitions.get(k) ?? { from: before, to: after, count: 0 };
        t.count += 1;
        transitions.set(k, t);
      }
      const view: SettingsPreviewView = {
        evaluated: sample.snapshots.length,
        changed,
        truncated: sample.total > sample.snapshots.length,
        transitions: [...transitions.values()].sort((a, b) => b.count - a.count),
        warnings: warningsFor(call.deps, parsed.settings, directory),
      };
      return ok(view);
    }),
  );

  // Verified but unknown: still our bilingual envelope, never Express's default page.
  router.use((_req, res) => {
    requests.inc({ route: 'unknown', outcome: 'not_found' });
    res.status(404).json({ ok: false, error: ERRORS.unknownRoute() });
  });

  // Body-reader errors (over the 1 MB cap, aborted or undecodable bodies) and malformed
  // URL escapes: the card's envelope too, so it can show the message.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (res.headersSent || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return next(err);
    const tooLarge = e.type === 'entity.too.large';
    requests.inc({ route: 'unreadable', outcome: tooLarge ? 'too_large' : 'bad_request' });
    res
      .status(tooLarge ? 413 : 400)
      .json({ ok: false, error: ERRORS.invalidRequest(tooLarge ? `body exceeds ${MAX_CARD_REQUEST_BYTES} bytes (hubspot.fetch allows 1 MB)` : 'the request body or URL could not be read') });
  });

  return router;
}
