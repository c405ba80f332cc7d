/**
 * End-to-end harness: the local HubSpot sandbox and the real backend in one process,
 * on one manual clock, with the app installed through the real OAuth flow.
 *
 *   sandbox (port 0, seeded, rate limits on)  ⇄  backend (createBackend, in-memory PGlite)
 *
 * Nothing runs by itself (no timers): tests, the demo and the backfill tests drive the
 * pipeline with `settle()` and the SLA sweep with `tickSla()`, and move time with
 * `advance()`. Assertions read the sandbox's state — HubSpot is the source of truth
 * (docs/product.md, principle 1) — never the app's own view of it.
 *
 * Plain TypeScript with no test-runner imports, so `npm run demo` uses the very same
 * start-up the tests prove.
 */
import { randomBytes } from 'node:crypto';
import { createBackend, type Backend } from '../../src/composition/create-backend';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { loadConfig, type Config } from '../../src/platform/config';
import type { PipelineRuntime } from '../../src/worker/start-pipeline';
import { createSandbox, type Sandbox, type SeedSummary } from '../sandbox';
import type { ObjectType } from '../sandbox/object-types';
import type { OwnerState, StoredObject } from '../sandbox/portal-state';
import { loadPortalSettings, savePortalSettings } from '../../src/storage/portal-settings-store';
import type { SlaTickResult } from '../../src/sla/sla-scheduler';
import { createDatabase, type Database } from '../../src/storage/database';
import type { RunningServices } from '../../src/composition/wire-services';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';

/** 2026-04-06 09:00 JST, a Monday: a fixed start so every run tells the same story. */
export const E2E_START = Date.UTC(2026, 3, 6, 0, 0, 0);

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export interface E2EOptions {
  /** Epoch ms the manual clock starts at (default E2E_START). */
  startMs?: number;
  /** HubSpot's 110/10 s and 5/s search limits in the sandbox (default on, as at HubSpot). */
  rateLimit?: boolean;
  /**
   * How the backend's gateway waits for the portal's budget (default: real time). The manual
   * clock does not move by itself, so a run that spends more than the budget passes
   * `advanceClock` (the wait moves the shared clock) instead of waiting forever.
   */
  gatewaySleep?: 'real' | 'advance-clock';
}

export interface SettleReport {
  rounds: number;
  webhooksDelivered: number;
  eventsProcessed: number;
}

export interface E2E {
  clock: ManualClock;
  sandbox: Sandbox;
  backend: Backend;
  ctx: PipelineRuntime;
  services: RunningServices;
  /** The seeded portal, as the app stores it (a string). */
  portalId: string;
  seed: SeedSummary;
  /** Webhooks → inbox → pipeline, repeated until nothing moves (the app's own writes come back as webhooks). */
  settle(): Promise<SettleReport>;
  /** One SLA sweep at the current clock. */
  tickSla(): Promise<SlaTickResult>;
  /** Moves the shared clock (the sandbox and the backend see the same time). */
  advance(ms: number): void;
  /** A contact's properties in the sandbox (throws if it does not exist). */
  contact(contactId: string): Record<string, string>;
  /** A seeded owner of the portal (throws if it does not exist). */
  owner(ownerId: string): OwnerState;
  /** Objects of `type` associated with the contact in the sandbox, oldest first. */
  associated(contactId: string, type: ObjectType): StoredObject[];
  /** Ids of objects of `toType` associated with `type` object `id`. */
  associationIds(type: ObjectType, id: string, toType: ObjectType): string[];
  /** Every non-archived task of the portal (any contact). */
  allTasks(): StoredObject[];
  settings(): Promise<PortalSettings>;
  saveSettings(change: (s: PortalSettings) => void): Promise<PortalSettings>;
  /** Sales rejects a hand-off with the tab card's reject button (signed card API call as the rep); returns the card's answer. */
  reject(contactId: string, repOwnerId: string, reasonCode: string, reasonText?: string): Promise<unknown>;
  close(): Promise<void>;
}

const SETTLE_MAX_ROUNDS = 25;

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const clock = createManualClock(options.startMs ?? E2E_START);
  const sandbox = await createSandbox({ port: 0, clock, seed: true, rateLimit: options.rateLimit ?? true });
  let db: Database | undefined;
  let backend: Backend | undefined;
  try {
    db = await createDatabase({ kind: 'pglite' });
    const base = loadConfig({
      LOG_LEVEL: 'silent',
      PORT: '0',
      // A fresh key per run: nothing is read from or written to ./.data.
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    // Exactly what sandbox-mode.ts does: the sandbox's app credentials and API origin.
    const config: Config = {
      ...base,
      hubspot: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, appId: String(sandbox.appId), apiBaseUrl: sandbox.url },
    };
    const gateway = options.gatewaySleep === 'advance-clock' ? { sleep: async (ms: number) => clock.advance(ms) } : undefined;
    backend = await createBackend(config, { clock, db, wire: { startTimers: false, ...(gateway ? { gateway } : {}) } });
    const { port } = await backend.listen(0);
    const origin = `http://127.0.0.1:${port}`;
    // The port is known only now. Config is read per request (OAuth redirect URI, the
    // URL webhook and card signatures cover), so pointing it at the real origin here is
    // what PUBLIC_BASE_URL would have said had the port been fixed.
    config.port = port;
    config.publicBaseUrl = origin;
    config.redirectUri = `${origin}/oauth/callback`;
    sandbox.configureApp({ webhookUrl: `${origin}/webhooks/hubspot`, publicBaseUrl: origin, baseUrl: origin });

    const install = await sandbox.installApp(`${origin}/oauth/install`);
    if (install.status !== 200) {
      throw new Error(`e2e: installing the app into the sandbox failed with HTTP ${install.status} (${install.trail.join(' → ')}): ${install.text.slice(0, 300)}`);
    }
    const services = backend.services;
    if (!services) throw new Error('e2e: the backend started without its services; createBackend needs the sandbox credentials and wire options');
    const seed = sandbox.seed;
    if (!seed) throw new Error('e2e: the sandbox portal was not seeded');

    const portalId = String(sandbox.portalId);
    const ctx = backend.runtime;
    const portal = () => sandbox.portal();

    const failedInboxEvents = async (): Promise<string> => {
      const res = await ctx.db.query<{ subscription_type: string; object_id: string | null; last_error: string | null }>(
        `select subscription_type, object_id, last_error from webhook_inbox where last_error is not null and status in ('pending', 'parked') limit 5`,
      );
      return res.rows.map((r) => `${r.subscription_type} ${r.object_id ?? ''}: ${r.last_error ?? ''}`).join('\n  ');
    };

    const e2e: E2E = {
      clock,
      sandbox,
      backend,
      ctx,
      services,
      portalId,
      seed,
      async settle() {
        const report: SettleReport = { rounds: 0, webhooksDelivered: 0, eventsProcessed: 0 };
        for (let round = 1; round <= SETTLE_MAX_ROUNDS; round++) {
          report.rounds = round;
          const flushed = await sandbox.flushWebhooks();
          const drained = await services.pipeline.worker.drainOnce();
          report.webhooksDelivered += flushed.delivered;
          report.eventsProcessed += drained.eventsDone;
          // A failed batch waits for its backoff on the (frozen) clock: say why instead of hanging on it.
          if (drained.eventsFailed > 0 || drained.eventsParked > 0 || flushed.dropped > 0) {
            throw new Error(`e2e: the pipeline failed to process webhook events (failed ${drained.eventsFailed}, parked ${drained.eventsParked}, dropped ${flushed.dropped}):\n  ${await failedInboxEvents()}`);
          }
          if (flushed.delivered === 0 && drained.eventsDone === 0 && sandbox.stats().webhooks.pending === 0) return report;
        }
        throw new Error(`e2e: webhooks and the pipeline did not settle after ${SETTLE_MAX_ROUNDS} rounds (a write loop?)`);
      },
      tickSla: () => services.sla.tick(),
      advance: (ms) => clock.advance(ms),
      owner(ownerId) {
        const o = portal().owners.find((x) => x.id === ownerId);
        if (!o) throw new Error(`e2e: no owner ${ownerId} in the seed`);
        return o;
      },
      contact(contactId) {
        const c = portal().objects.contacts[contactId];
        if (!c || c.archived) throw new Error(`e2e: contact ${contactId} does not exist in the sandbox portal`);
        return c.properties;
      },
      associationIds(type, id, toType) {
        const links = portal().associations[`${type}:${id}`] ?? {};
        return Object.keys(links)
          .filter((k) => k.startsWith(`${toType}:`))
          .map((k) => k.slice(toType.length + 1));
      },
      associated(contactId, type) {
        const objects = portal().objects[type];
        return e2e
          .associationIds('contacts', contactId, type)
          .map((id) => objects[id])
          .filter((o): o is StoredObject => !!o && !o.archived)
          .sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
      },
      allTasks: () => Object.values(portal().objects.tasks).filter((t) => !t.archived),
      settings: () => loadPortalSettings(ctx.db, portalId),
      async saveSettings(change) {
        const next = structuredClone(await loadPortalSettings(ctx.db, portalId));
        change(next);
        return savePortalSettings(ctx.db, portalId, next, 'e2e', clock.now());
      },
      async reject(contactId, repOwnerId, reasonCode, reasonText) {
        const rep = portal().owners.find((o) => o.id === repOwnerId);
        if (!rep) throw new Error(`e2e: owner ${repOwnerId} does not exist in the sandbox portal`);
        // The tab card's reject button: hubspot.fetch, signed, as the rep's HubSpot user.
        const res = await sandbox.cardFetch({
          path: `/api/v1/contacts/${contactId}/reject`,
          method: 'POST',
          userId: rep.userId,
          body: { idempotencyKey: `e2e-reject-${contactId}-${clock.now()}`, reasonCode, reason: reasonText ?? '' },
        });
        // cardFetch answers through HubSpot's proxy envelope; read the app's own answer out of it.
        // "Not allowed" is a 200 refusal now (docs/card-api-errors.md) and still fails the story, as its 403 did.
        const answer = readProxyAnswer(res.status, res.json);
        const forbidden = (answer.body as { error?: { code?: string } } | undefined)?.error?.code === 'forbidden';
        if (answer.appStatus !== 200 || forbidden) throw new Error(`e2e: the card API refused the reject with HTTP ${answer.appStatus}: ${res.text.slice(0, 300)}`);
        return answer.body;
      },
      async close() {
        await backend?.close();
        await sandbox.close();
        await db?.close();
      },
    };
    return e2e;
  } catch (err) {
    await backend?.close().catch(() => undefined);
    await sandbox.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    throw err;
  }
}

/** HubSpot datetimes arrive as epoch-ms strings or ISO strings; undefined when empty. */
export function timeOf(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
