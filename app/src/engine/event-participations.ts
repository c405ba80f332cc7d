import type { EventParticipation } from '../domain/types';
import type { HubSpotGateway, MarketingEventSummary } from '../hubspot/hubspot-gateway-types';
import { HubSpotApiError } from '../hubspot/hubspot-errors';
import type { Database } from '../storage/database';
import { deleteParticipationsOfEvents, loadParticipationsOfContacts, replaceEventParticipations, type StoredParticipation } from '../storage/event-participation-store';
import { deleteMarketingEventReads, loadMarketingEventReads, renameMarketingEvent, saveMarketingEventRead, type MarketingEventRead } from '../storage/marketing-event-read-store';
import { loadParticipationRefreshedAt, saveParticipationRefreshedAt } from '../storage/participation-refresh-store';

/**
 * Marketing Events participations by contact, stored in the database and refreshed at
 * a cost that follows what changed (issue 19).
 *
 * HubSpot sends no webhook for a participation and lists them only per event (no batch by
 * contact). The events list, though, carries each event's participation counters
 * (registrants, attendees, cancellations, noShows) and its `updatedAt`
 * (MarketingEventPublicReadResponseV2, GET /marketing/v3/marketing-events —
 * https://developers.hubspot.com/docs/api-reference/legacy/marketing/marketing-events/get-marketing-events).
 * So a refresh, at most every `ttlSeconds` per portal:
 * 1. lists the events (⌈events / 100⌉ calls), keeping those that ended within the look-back;
 * 2. re-reads the participations of an event only when its fingerprint — the four counters
 *    and `updatedAt` — differs from the one stored with its rows (marketing_event_reads),
 *    replacing that event's rows in one transaction;
 * 3. re-reads, as a safety net, the events whose rows are older than `fullSweepMs`, a few
 *    per refresh (⌈listed × ttl / fullSweepMs⌉ at most): a change that moves neither a
 *    counter nor `updatedAt` (one contact's registration replaced by another's, an
 *    `occurredAt` moved, a merge in HubSpot) is healed within that time;
 * 4. drops the rows of events no longer listed or past the look-back (an event deleted
 *    between the list and its read answers 404 and is skipped, not a failed refresh).
 *
 * UNVERIFIED: whether HubSpot moves an event's `updatedAt` when only a participation
 * changes (the docs do not say). The counters move on every new participation and every
 * state change, `updatedAt` may or may not; the fingerprint takes both, and step 3 covers
 * the changes neither shows. Whether the counters count contacts or participation rows is
 * also unsaid; only their change matters here.
 *
 * Snapshots read the rows of their batch's contacts (`forContacts`), so a process holds
 * no per-portal map: memory is one event's participations during a refresh, whatever the
 * portal's size. Rows, fingerprints and the time of the last completed refresh
 * (participation_refreshes) are shared by every process: when this process's timer says
 * due, it first asks the database whether another process refreshed within `ttlSeconds`,
 * so a portal's events are listed once per period whatever the number of processes. Two
 * processes that find a refresh due at the same moment both refresh (no lock: the second
 * finds the fingerprints stored and pays the list pages, or, on a portal's very first
 * refresh, reads the events twice) — never a snapshot built on a half-done refresh.
 *
 * The refresh time is measured on the injected clock (`now`), not the wall clock, so a
 * backend whose clock is shifted (sandbox, demo, e2e tests) sees an attendance within
 * `ttlSeconds` of its own time — docs/product.md principle 2.
 *
 * Marketing Events are an optional source (docs/hubspot-platform.md §6): a failed refresh
 * throws and the snapshot builder marks the source unavailable (build-snapshots.ts). A 403
 * MISSING_SCOPES is remembered for `ttlSeconds`, so a portal without the scope does not
 * spend a call on it in every drain.
 */
export interface EventParticipationProvider {
  /** The participations of these contacts; refreshes the portal's stored ones first when they are due. */
  forContacts(portalId: string, contactIds: readonly string[]): Promise<Map<string, EventParticipation[]>>;
  /** Refreshes now (due or not) and says what it read. */
  refresh(portalId: string): Promise<ParticipationRefreshReport>;
  /** The next `forContacts` of this process refreshes, whoever refreshed last (the local sandbox says when a participation changed; HubSpot never does). */
  invalidate(portalId: string): void;
}

export interface ParticipationRefreshReport {
  /** Events listed and kept (ended within the look-back, or not ended). */
  events: number;
  /** Events whose fingerprint changed (or new), read again. */
  changed: string[];
  /** Events read again by the slow safety sweep. */
  swept: string[];
  /** Events whose stored rows were dropped (no longer listed, or past the look-back). */
  removed: string[];
  /** Participation rows stored by this refresh. */
  participationsStored: number;
}

export interface EventParticipationOptions {
  gateway: Pick<HubSpotGateway, 'listMarketingEvents' | 'listEventParticipations'>;
  db: Database;
  now: () => number;
  /** Default 900 s: a new attendance scores within 15 minutes. */
  ttlSeconds?: number;
  /** Default 180 days: events that ended before then neither cost a read nor score. */
  lookbackDays?: number;
  /** Default 24 h: every listed event is read again at least this often, whatever its fingerprint. */
  fullSweepMs?: number;
}

export const DEFAULT_PARTICIPATION_FULL_SWEEP_MS = 24 * 60 * 60_000;

/** Counters and updatedAt as one comparable string; a missing field stays distinguishable from 0. */
export function participationFingerprint(event: MarketingEventSummary): string {
  const c = event.counters ?? {};
  const f = (v: number | undefined) => (v === undefined ? '-' : String(v));
  return `r${f(c.registrants)}a${f(c.attendees)}c${f(c.cancellations)}n${f(c.noShows)}u${f(event.updatedAt)}`;
}

/** How many up-to-date events the safety sweep re-reads per refresh: the whole list within `fullSweepMs`. */
export function sweepBudget(listed: number, ttlMs: number, fullSweepMs: number): number {
  if (listed === 0) return 0;
  return Math.ceil((listed * ttlMs) / Math.max(fullSweepMs, ttlMs));
}

export function createEventParticipationProvider(deps: EventParticipationOptions): EventParticipationProvider {
  const ttlMs = (deps.ttlSeconds ?? 900) * 1000;
  const lookbackMs = (deps.lookbackDays ?? 180) * 24 * 60 * 60 * 1000;
  const fullSweepMs = deps.fullSweepMs ?? DEFAULT_PARTICIPATION_FULL_SWEEP_MS;
  // Per portal: the last completed refresh this process knows of (a number per portal, not its data).
  const refreshedAt = new Map<string, number>();
  // Portals whose next forContacts refreshes without asking the database (invalidate).
  const forced = new Set<string>();
  const denied = new Map<string, { error: unknown; expiresAt: number }>();
  // One refresh per portal at a time in this process; concurrent callers wait for it.
  const inFlight = new Map<string, Promise<ParticipationRefreshReport>>();

  /** Stores one event's participations; undefined when the event was deleted since the list (its rows go when it leaves the list). */
  const readEvent = async (portalId: string, event: MarketingEventSummary, readAt: number): Promise<number | undefined> => {
    const rows: StoredParticipation[] = [];
    let listed;
    try {
      listed = await deps.gateway.listEventParticipations(portalId, event);
    } catch (err) {
      if (err instanceof HubSpotApiError && err.status === 404) return undefined;
      throw err;
    }
    for (const p of listed) {
      // Contact ids are numeric in HubSpot; anything else cannot be a contact of a snapshot.
      if (!/^\d+$/.test(p.contactId)) continue;
      rows.push({ participationId: p.participationId, contactId: p.contactId, state: p.participation.state, occurredAt: p.participation.occurredAt });
    }
    await deps.db.transaction(async (tx) => {
      await replaceEventParticipations(tx, portalId, event.id, rows);
      await saveMarketingEventRead(tx, portalId, { eventId: event.id, eventName: event.name, fingerprint: participationFingerprint(event), readAt });
    });
    return rows.length;
  };

  const doRefresh = async (portalId: string): Promise<ParticipationRefreshReport> => {
    const now = deps.now();
    const since = now - lookbackMs;
    const listed = (await deps.gateway.listMarketingEvents(portalId)).filter((e) => !(e.endAt !== undefined && e.endAt < since));
    const stored = await loadMarketingEventReads(deps.db, portalId);
    const changed = listed.filter((e) => stored.get(e.id)?.fingerprint !== participationFingerprint(e));
    const changedIds = new Set(changed.map((e) => e.id));
    const due = listed
      .filter((e) => !changedIds.has(e.id) && stored.get(e.id)!.readAt <= now - fullSweepMs)
      .sort((a, b) => stored.get(a.id)!.readAt - stored.get(b.id)!.readAt)
      .slice(0, sweepBudget(listed.length, ttlMs, fullSweepMs));
    let participationsStored = 0;
    for (const e of [...changed, ...due]) participationsStored += (await readEvent(portalId, e, now)) ?? 0;
    const reread = new Set([...changedIds, ...due.map((e) => e.id)]);
    for (const e of listed) {
      const s: MarketingEventRead | undefined = stored.get(e.id);
      if (s && !reread.has(e.id) && s.eventName !== e.name) await renameMarketingEvent(deps.db, portalId, e.id, e.name);
    }
    const listedIds = new Set(listed.map((e) => e.id));
    const removed = [...stored.keys()].filter((id) => !listedIds.has(id)).sort();
    if (removed.length > 0) {
      await deps.db.transaction(async (tx) => {
        await deleteMarketingEventReads(tx, portalId, removed);
        await deleteParticipationsOfEvents(tx, portalId, removed);
      });
    }
    return { events: listed.length, changed: [...changedIds], swept: due.map((e) => e.id), removed, participationsStored };
  };

  const refresh = (portalId: string): Promise<ParticipationRefreshReport> => {
    const running = inFlight.get(portalId);
    if (running) return running;
    const startedAt = deps.now();
    const p = (async () => {
      try {
        const report = await doRefresh(portalId);
        denied.delete(portalId);
        refreshedAt.set(portalId, startedAt);
        await saveParticipationRefreshedAt(deps.db, portalId, startedAt);
        return report;
      } catch (err) {
        if (err instanceof HubSpotApiError && err.missingScope) denied.set(portalId, { error: err, expiresAt: deps.now() + ttlMs });
        throw err;
      } finally {
        inFlight.delete(portalId);
      }
    })();
    inFlight.set(portalId, p);
    return p;
  };

  return {
    refresh,
    async forContacts(portalId, contactIds) {
      const due = (at: number | undefined) => at === undefined || deps.now() >= at + ttlMs;
      if (due(refreshedAt.get(portalId))) {
        const refused = denied.get(portalId);
        if (refused && deps.now() < refused.expiresAt) throw refused.error;
        const shared = forced.has(portalId) ? undefined : await loadParticipationRefreshedAt(deps.db, portalId);
        if (due(shared)) {
          forced.delete(portalId);
          await refresh(portalId);
        } else {
          refreshedAt.set(portalId, shared!);
        }
      }
      return loadParticipationsOfContacts(deps.db, portalId, contactIds);
    },
    invalidate(portalId) {
      refreshedAt.delete(portalId);
      forced.add(portalId);
    },
  };
}
