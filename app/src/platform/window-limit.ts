import type { Clock } from './clock';

/**
 * At most `max` takes per key in a fixed window, in memory (per process). Used to
 * bound what unauthenticated callers can make us store (OAuth states). Keys whose
 * window has ended are dropped once the map holds `maxKeys`, so it stays bounded too.
 */
export interface WindowLimit {
  take(key: string): boolean;
}

export function createWindowLimit(deps: { clock: Clock; windowMs: number; max: number; maxKeys?: number }): WindowLimit {
  const maxKeys = deps.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const now = deps.clock.now();
      if (windows.size >= maxKeys) {
        for (const [k, w] of windows) if (now - w.start >= deps.windowMs) windows.delete(k);
      }
      let w = windows.get(key);
      if (!w || now - w.start >= deps.windowMs) {
        if (!w && windows.size >= maxKeys) return false;
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= deps.max) return false;
      w.count++;
      return true;
    },
  };
}
