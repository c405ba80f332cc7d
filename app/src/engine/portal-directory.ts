import NodeCache from 'node-cache';
import type { EventParticipation, PortalDirectory } from '../domain/types';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { HubSpotApiError } from '../hubspot/hubspot-errors';
import type { Queryable } from '../storage/database';
import { loadAllRoundRobinCounts, roundRobinPools } from '../storage/round-robin-store';
import { loadOwnerLoads } from '../storage/routing-owner-load-store';
import { listOutOfOffice } from '../storage/routing-out-of-office-store';

/**
 * Portal-wide facts for the core, read once and cached per portal (owners with
 * teams, lifecycle stages, time zone): a drain of 100 contacts costs no extra calls
 * for them. Round-robin counts are not cached: they must be fresh and shared by
 * every process (round_robin_counts).
 */
export interface PortalDirectoryProvider {
  get(portalId: string): Promise<PortalDirectory>;
  invalidate(portalId: string): void;
}

type Cached = Omit<PortalDirectory, 'roundRobinCounts' | 'routing'>;

export function createPortalDirectoryProvider(deps: { gateway: HubSpotGateway; db: Queryable; ttlSeconds?: number; now?: () => number }): PortalDirectoryProvider {
  const cache = new NodeCache({ stdTTL: deps.ttlSeconds ?? 300, useClones: false });
  return {
    async get(portalId) {
      let cached = cache.get<Cached>(portalId);
      if (!cached) {
        const [owners, lifecycleStages, timeZone] = [
          await deps.gateway.listOwners(portalId),
          await deps.gateway.getLifecycleStages(portalId),
          await deps.gateway.getPortalTimeZone(portalId),
        ];
        cached = { owners, lifecycleStages, timeZone };
        cache.set(portalId, cached);
      }
      // Load and away days are fresh on every read, like the round-robin counts: another
      // process may have routed a lead or a rep may have set 「不在」 a second ago (issue 17).
      // Ranges that ended more than two days ago (any time zone) cannot matter any more.
      const since = deps.now ? new Date(deps.now() - 2 * 86_400_000).toISOString().slice(0, 10) : '0000-01-01';
      // One read of the counters serves both the department pools and the named pools.
      const [poolCounts, openHandoffs, outOfOffice] = [
        await loadAllRoundRobinCounts(deps.db, portalId),
        await loadOwnerLoads(deps.db, portalId),
        await listOutOfOffice(deps.db, portalId, since),
      ];
      return { ...cached, roundRobinCounts: roundRobinPools(poolCounts), routing: { openHandoffs, poolCounts, outOfOffice } };
    },
    invalidate: (portalId) => {
      cache.del(portalId);
    },
  };
}

/**
 * Marketing Events participations by contact, cached per portal. HubSpot lists
 * them per event (no batch by contact), so one refresh costs 1 + (events) calls;
 * caching for 15 minutes and skipping events that ended long ago keeps that a
 * small share of the portal's budget.
 *
 * The 15 minutes are measured on the injected clock (`now`), not the wall clock:
 * participations emit no webhook, so a cache that only a wall-clock timer expires
 * would hide an attendance forever from a backend whose clock is shifted (the
 * sandbox, the demo, the end-to-end tests) — docs/product.md principle 2.
 *
 * Marketing Events are an optional source (docs/hubspot-platform.md §6): a failure throws, and the
 * snapshot builder marks the source unavailable instead of failing the batch
 * (build-snapshots.ts). A 403 MISSING_SCOPES is remembered for the same 15 minutes,
 * so a portal without the scope does not spend a call on it in every drain.
 */
export interface EventParticipationProvider {
  get(portalId: string): Promise<Map<string, EventParticipation[]>>;
  /** Forgets a portal's participations (the local sandbox says when they changed; HubSpot never does). */
  invalidate(portalId: string): void;
}

export function createEventParticipationProvider(deps: {
  gateway: HubSpotGateway;
  now: () => number;
  ttlSeconds?: number;
  lookbackDays?: number;
}): EventParticipationProvider {
  const ttlMs = (deps.ttlSeconds ?? 900) * 1000;
  const cache = new Map<string, { byContact: Map<string, EventParticipation[]>; expiresAt: number }>();
  const denied = new Map<string, { error: unknown; expiresAt: number }>();
  const lookbackMs = (deps.lookbackDays ?? 180) * 24 * 60 * 60 * 1000;
  const read = async (portalId: string) => {
    const byContact = new Map<string, EventParticipation[]>();
    const since = deps.now() - lookbackMs;
    for (const event of await deps.gateway.listMarketingEvents(portalId)) {
      if (event.endAt !== undefined && event.endAt < since) continue;
      for (const p of await deps.gateway.listEventParticipations(portalId, event)) {
        const list = byContact.get(p.contactId) ?? [];
        list.push(p.participation);
        byContact.set(p.contactId, list);
      }
    }
    return byContact;
  };
  return {
    async get(portalId) {
      const hit = cache.get(portalId);
      if (hit && deps.now() < hit.expiresAt) return hit.byContact;
      const refused = denied.get(portalId);
      if (refused && deps.now() < refused.expiresAt) throw refused.error;
      try {
        const byContact = await read(portalId);
        denied.delete(portalId);
        cache.set(portalId, { byContact, expiresAt: deps.now() + ttlMs });
        return byContact;
      } catch (err) {
        if (err instanceof HubSpotApiError && err.missingScope) denied.set(portalId, { error: err, expiresAt: deps.now() + ttlMs });
        throw err;
      }
    },
    invalidate(portalId) {
      cache.delete(portalId);
    },
  };
}
