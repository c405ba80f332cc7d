import type { Server } from 'node:http';

/**
 * Limits of the HTTP server (https://nodejs.org/api/http.html#class-httpserver),
 * set where it is created (app/src/composition/create-backend.ts):
 * - requestTimeout 30 s (Node's default is 300 s): HubSpot abandons a webhook after
 *   5 s and hubspot.fetch after 15 s, so nothing legitimate takes longer to send.
 * - headersTimeout 10 s: a client that trickles its headers is cut early.
 * - keepAliveTimeout 5 s (Node's default): an idle kept-alive socket is not held.
 * - maxConnections 1,000: beyond it new sockets are refused instead of exhausting
 *   file descriptors and memory (HubSpot sends at most 10 concurrent webhook requests
 *   per app, webhooks-hsmeta.json maxConcurrentRequests).
 */
export const SERVER_LIMITS = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000 } as const;

export function applyServerLimits(server: Server, limits: typeof SERVER_LIMITS = SERVER_LIMITS): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
