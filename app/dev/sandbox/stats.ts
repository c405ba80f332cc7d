/**
 * Per-portal, per-endpoint counters for the benchmark and the tests
 * (GET /__sandbox/stats and sandbox.stats()). Endpoint keys are
 * `METHOD /path/pattern` with the object type filled in, e.g.
 * `POST /crm/v3/objects/contacts/batch/read`.
 */
export interface EndpointStats {
  calls: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** 429s (ten-secondly, search-secondly and injected). */
  rateLimited: number;
}

export interface PortalStats {
  calls: number;
  rateLimited: number;
  searchRateLimited: number;
  injectedFaults: number;
  endpoints: Record<string, EndpointStats>;
}

export interface WebhookStats {
  /** Events produced by CRM changes that matched a subscription. */
  eventsQueued: number;
  /** POSTs answered 2xx. */
  batchesDelivered: number;
  eventsDelivered: number;
  /** POSTs that failed (non-2xx, timeout, connection error). */
  failedAttempts: number;
  /** Events given up after the last retry. */
  eventsDropped: number;
  /** Duplicates injected by the duplicateRate knob. */
  duplicatesInjected: number;
  pending: number;
}

export interface SandboxStats {
  portals: Record<string, PortalStats>;
  webhooks: WebhookStats;
  /** Card requests sent by cardFetch(). */
  cardRequests: number;
}

export interface StatsRecorder {
  record(portalId: string, endpoint: string, status: number, flags?: { rateLimited?: boolean; search?: boolean; injected?: boolean }): void;
  webhooks: Omit<WebhookStats, 'pending'>;
  cardRequests(): number;
  countCardRequest(): void;
  snapshot(pendingWebhooks: number): SandboxStats;
  reset(): void;
}

export function createStatsRecorder(): StatsRecorder {
  let portals: Record<string, PortalStats> = {};
  let cards = 0;
  const emptyWebhooks = (): Omit<WebhookStats, 'pending'> => ({ eventsQueued: 0, batchesDelivered: 0, eventsDelivered: 0, failedAttempts: 0, eventsDropped: 0, duplicatesInjected: 0 });
  const rec: StatsRecorder = {
    webhooks: emptyWebhooks(),
    record: (portalId, endpoint, status, flags = {}) => {
      const p = (portals[portalId] ??= { calls: 0, rateLimited: 0, searchRateLimited: 0, injectedFaults: 0, endpoints: {} });
      const e = (p.endpoints[endpoint] ??= { calls: 0, statuses: {}, rateLimited: 0 });
      p.calls++;
      e.calls++;
      e.statuses[String(status)] = (e.statuses[String(status)] ?? 0) + 1;
      if (flags.injected) p.injectedFaults++;
      if (status === 429) {
        e.rateLimited++;
        if (flags.search) p.searchRateLimited++;
        else p.rateLimited++;
      }
    },
    cardRequests: () => cards,
    countCardRequest: () => {
      cards++;
    },
    snapshot: (pending) => ({ portals: structuredClone(portals), webhooks: { ...rec.webhooks, pending }, cardRequests: cards }),
    reset: () => {
      portals = {};
      cards = 0;
      Object.assign(rec.webhooks, emptyWebhooks());
    },
  };
  return rec;
}
