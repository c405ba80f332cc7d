import NodeCache from 'node-cache';
import type { PortalDirectory } from '../domain/types';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
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
