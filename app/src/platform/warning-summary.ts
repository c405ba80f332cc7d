import type { Clock } from './clock';
import type { Logger } from './log';

/**
 * Rejection warnings (bad signatures, oversize bodies…) are what a stranger can
 * make us write at will. The first one per reason in each interval is logged as it
 * happens; the rest are counted and reported as one summary line when the next
 * warning of that reason arrives after the interval — so a flood writes one line
 * per reason per interval instead of one per request. No timer: nothing to stop.
 */
export const DEFAULT_WARNING_INTERVAL_MS = 60_000;

export type RateLimitedWarn = (reason: string, fields: Record<string, unknown>, message: string) => void;

export function createRateLimitedWarn(deps: { logger: Logger; clock: Clock; intervalMs?: number }): RateLimitedWarn {
  const intervalMs = deps.intervalMs ?? DEFAULT_WARNING_INTERVAL_MS;
  const windows = new Map<string, { since: number; suppressed: number }>();
  return (reason, fields, message) => {
    const now = deps.clock.now();
    const w = windows.get(reason);
    if (w && now - w.since < intervalMs) {
      w.suppressed++;
      return;
    }
    if (w && w.suppressed > 0) {
      deps.logger.warn({ reason, suppressed: w.suppressed, sinceMs: now - w.since }, `${w.suppressed} more like this since the last line (summarised): ${message}`);
    }
    windows.set(reason, { since: now, suppressed: 0 });
    deps.logger.warn({ ...fields, reason }, message);
  };
}
