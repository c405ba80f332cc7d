/**
 * `npm run bench -- --participations` — what Marketing Events participations cost a portal
 * (issue 19): 300 events × 500 participants in the sandbox, refreshed by the app's
 * participation provider (app/src/engine/event-participations.ts) through the real
 * gateway and SDK, against a throwaway PostgreSQL database.
 *
 * Reports HubSpot calls per refresh (the sandbox's per-portal request count) for the
 * first refresh, the steady state with no change, with 3 events changed, and once every
 * stored event is older than the safety sweep's period; then a snapshot batch's read
 * (100 contacts: database only). For comparison it runs the previous design on the same
 * portal — list every event, read every participation into one map per portal — and
 * reports its calls and the JS heap that map keeps alive. RSS is the bench process's
 * (sandbox included, so compare the deltas). Figures are printed, never asserted.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { createTestDatabase } from '../throwaway-database';
import { createSandbox } from '../sandbox';
import type { MarketingEventState } from '../sandbox/portal-state';
import { createEventParticipationProvider } from '../../src/engine/event-participations';
import { loadParticipationsOfContacts } from '../../src/storage/event-participation-store';
import { createHubSpotGateway } from '../../src/hubspot/hubspot-gateway';
import type { EventParticipation } from '../../src/domain/types';
import { createManualClock } from '../../src/platform/clock';
import { createMetrics } from '../../src/platform/metrics';

export interface ParticipationsBenchOptions {
  events: number;
  participants: number;
  changed: number;
  log: (line: string) => void;
}

export interface ParticipationsBenchRow {
  phase: string;
  calls: number;
  eventsRead: number;
  ms: number;
  /** JS heap still in use after the phase and a full GC, minus before it. */
  heapRetainedMiB: number;
  rssMiB: number;
}

export interface ParticipationsBenchResult {
  events: number;
  participants: number;
  rows: ParticipationsBenchRow[];
}

const MiB = 1024 * 1024;
const mib = (n: number) => Math.round((n / MiB) * 10) / 10;
const CONTACT_POOL = 60_000;

function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function runParticipationsBench(opts: ParticipationsBenchOptions): Promise<ParticipationsBenchResult> {
  const { log } = opts;
  const start = Date.parse('2026-12-01T00:00:00Z');
  const clock = createManualClock(start);
  // The sandbox answers without its rate limit: the gateway's own per-portal budget
  // (110 / 10 s) runs on the manual clock, so its waits take no real time.
  const sandbox = await createSandbox({ seed: false, rateLimit: false, clock, portalId: 90_000_001 });
  const dbt = await createTestDatabase('postgres');
  try {
    const portalNumber = sandbox.portalId;
    const portalId = String(portalNumber);
    const portal = sandbox.portal(portalNumber);
    const day = 86_400_000;
    portal.marketingEvents = Array.from({ length: opts.events }, (_, i): MarketingEventState => ({
      objectId: String(700_000 + i),
      externalAccountId: 'bench',
      externalEventId: `ev-${i}`,
      eventName: `セミナー ${i + 1}`,
      eventType: 'WEBINAR',
      eventOrganizer: 'tossup bench',
      eventDescription: '',
      eventUrl: '',
      startDateTime: start - (i % 170) * day - 2 * 3600_000,
      endDateTime: start - (i % 170) * day,
      eventCancelled: false,
      eventCompleted: true,
      createdAt: start - 200 * day,
      updatedAt: start - (i % 170) * day,
      participations: Array.from({ length: opts.participants }, (_, j) => ({
        id: `${i}-${j}`,
        contactId: String(1 + ((i * opts.participants + j) % CONTACT_POOL)),
        state: j % 4 === 0 ? ('ATTENDED' as const) : j % 9 === 0 ? ('CANCELLED' as const) : ('REGISTERED' as const),
        occurredAt: start - (i % 170) * day,
        createdAt: start - (i % 170) * day,
      })),
    }));
    // Access tokens expire on the sandbox's (manual) clock too: a fresh one when the last has less than a minute left.
    let token = { value: '', expiresAt: 0 };
    const accessToken = async () => {
      if (clock.now() >= token.expiresAt - 60_000) {
        const g = sandbox.issueTokens(portalNumber);
        token = { value: g.access_token, expiresAt: clock.now() + g.expires_in * 1000 };
      }
      return token.value;
    };
    const gateway = createHubSpotGateway({
      tokens: { getAccessToken: accessToken, refreshNow: accessToken },
      apiBaseUrl: sandbox.url,
      db: dbt.db,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      clock,
      sleep: async (ms) => {
        clock.advance(ms);
      },
    });
    const provider = createEventParticipationProvider({ gateway, db: dbt.db, now: () => clock.now() });
    const calls = () => sandbox.stats().portals[portalId]?.calls ?? 0;
    const rows: ParticipationsBenchRow[] = [];
    const measure = async (phase: string, fn: () => Promise<number>) => {
      fullGc();
      const heapBefore = process.memoryUsage().heapUsed;
      const callsBefore = calls();
      const t0 = performance.now();
      const eventsRead = await fn();
      const ms = Math.round(performance.now() - t0);
      fullGc();
      const mem = process.memoryUsage();
      const row = { phase, calls: calls() - callsBefore, eventsRead, ms, heapRetainedMiB: mib(mem.heapUsed - heapBefore), rssMiB: mib(mem.rss) };
      rows.push(row);
      log(`  ${phase}: ${row.calls} calls, ${row.eventsRead} events read, ${row.ms} ms, heap retained ${row.heapRetainedMiB} MiB, RSS ${row.rssMiB} MiB`);
    };
    const refresh = async () => {
      const r = await provider.refresh(portalId);
      return r.changed.length + r.swept.length;
    };
    const quarter = 15 * 60_000;

    // Warm-up outside the measured phases (SDK client, connection pool, JIT): one list page and one event.
    const [firstEvent] = await gateway.listMarketingEvents(portalId);
    if (firstEvent) await gateway.listEventParticipations(portalId, firstEvent);
    await loadParticipationsOfContacts(dbt.db, portalId, ['1']);

    log(`participations: ${opts.events} events × ${opts.participants} participants (${opts.events * opts.participants} participations) in the sandbox, PostgreSQL`);
    await measure('first refresh', refresh);
    clock.advance(quarter);
    await measure('steady state, no change', refresh);
    for (let k = 0; k < opts.changed; k++) {
      // A contact attends: the event's counters move (and, in the sandbox, its updatedAt).
      const e = portal.marketingEvents[(k * 97) % portal.marketingEvents.length]!;
      const p = e.participations.find((x) => x.state === 'REGISTERED')!;
      p.state = 'ATTENDED';
      p.occurredAt = clock.now();
      e.updatedAt = clock.now();
    }
    clock.advance(quarter);
    await measure(`steady state, ${opts.changed} events changed`, refresh);
    clock.advance(day);
    await measure('after 24 h, safety sweep due (per refresh)', refresh);
    const batch = Array.from({ length: 100 }, (_, i) => String(1 + i * 13));
    let found = 0;
    await measure('snapshot batch read (100 contacts)', async () => {
      found = (await provider.forContacts(portalId, batch)).size;
      return 0;
    });
    log(`  (the batch found participations for ${found} of 100 contacts)`);

    // The previous design (before issue 19): every event's participations into one map per portal.
    let held: Map<string, EventParticipation[]> | undefined;
    await measure('previous design: full read into a per-portal map', async () => {
      const byContact = new Map<string, EventParticipation[]>();
      const events = await gateway.listMarketingEvents(portalId);
      for (const event of events) {
        for (const p of await gateway.listEventParticipations(portalId, event)) {
          const list = byContact.get(p.contactId) ?? [];
          list.push(p.participation);
          byContact.set(p.contactId, list);
        }
      }
      held = byContact;
      return events.length;
    });
    log(`  (the previous map held ${[...held!.values()].reduce((n, l) => n + l.length, 0)} participations of ${held!.size} contacts)`);
    held = undefined;
    return { events: opts.events, participants: opts.participants, rows };
  } finally {
    await sandbox.close();
    await dbt.drop();
  }
}

export function participationsTable(result: ParticipationsBenchResult): string {
  const lines = [
    `Participations (${result.events} events × ${result.participants} participants)`,
    '',
    '| phase | HubSpot calls | events read | ms | JS heap retained MiB | RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...result.rows.map((r) => `| ${r.phase} | ${r.calls} | ${r.eventsRead} | ${r.ms} | ${r.heapRetainedMiB} | ${r.rssMiB} |`),
  ];
  return lines.join('\n');
}
