import type { Config } from './config';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { Database } from './storage/database';
import type { Metrics } from './http/metrics';

/**
 * Everything a request handler or worker needs, built once in main.ts (or by a
 * test) and passed down. Modules add their own services here as optional fields
 * and read them with requireService() so a missing wiring fails with a clear message.
 */
export interface AppContext {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Unique id of this backend process (worker claims, leases). */
  instanceId: string;
  services: Partial<AppServices>;
}

/**
 * Services registered by modules. Each owner module declares its service type and
 * fills its slot during start-up (see main.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppServices {}

export function requireService<K extends keyof AppServices>(ctx: AppContext, key: K): AppServices[K] {
  const s = ctx.services[key];
  if (s === undefined) throw new Error(`tossup: service '${String(key)}' is not wired; it must be registered in main.ts before use`);
  return s as AppServices[K];
}
