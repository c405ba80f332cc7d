/**
 * Read cache of the card API (node-cache), keyed per portal and object, so opening
 * a record, switching timeline pages or department filters does not spend the
 * portal's API budget (110 requests / 10 s for OAuth apps,
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 *
 * Entries are short-lived because other people and webhooks change records too;
 * our own writes invalidate the object at once so the card never shows its own
 * change as missing.
 */
import NodeCache from 'node-cache';

export const CARD_CACHE_TTL_SECONDS = 30;

export interface CardApiCache {
  /** Runs `load` on a miss; a rejected load is not cached. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  invalidateContact(portalId: string, contactId: string): void;
  /** Everything of the portal (settings changes alter every view). */
  invalidatePortal(portalId: string): void;
  keys(): string[];
}

export const cacheKeys = {
  contact: (portalId: string, contactId: string) => `p:${portalId}:contact:${contactId}:snapshot`,
  touches: (portalId: string, objectType: string, objectId: string) => `p:${portalId}:${objectType === 'deals' ? 'deal' : 'contact'}:${objectId}:touches`,
  dealContacts: (portalId: string, dealId: string) => `p:${portalId}:deal:${dealId}:contacts`,
  directory: (portalId: string) => `p:${portalId}:directory`,
  user: (portalId: string, userId: string) => `p:${portalId}:user:${userId}`,
  settings: (portalId: string) => `p:${portalId}:settings`,
  handoffLog: (portalId: string, contactIds: readonly string[]) => `p:${portalId}:contact:${contactIds.join(',')}:handofflog`,
};

export function createCardApiCache(options: { ttlSeconds?: number; maxKeys?: number } = {}): CardApiCache {
  // useClones: false — values are treated as immutable by the card API, and cloning
  // snapshots with long histories on every hit would cost more than the cache saves.
  const cache = new NodeCache({ stdTTL: options.ttlSeconds ?? CARD_CACHE_TTL_SECONDS, checkperiod: 60, useClones: false, maxKeys: options.maxKeys ?? 20_000 });
  const inflight = new Map<string, Promise<unknown>>();
  // Bumped on every invalidation of a portal: a load that started before our own
  // write must not put its (now stale) answer into the cache when it finishes.
  const epochs = new Map<string, number>();
  const portalOf = (key: string) => key.split(':')[1] ?? '';
  const bump = (portalId: string) => epochs.set(portalId, (epochs.get(portalId) ?? 0) + 1);
  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = cache.get<T>(key);
      if (hit !== undefined) return hit;
      // Single flight: a card opening fires several requests for the same record at once.
      const pending = inflight.get(key) as Promise<T> | undefined;
      if (pending) return pending;
      const epoch = epochs.get(portalOf(key)) ?? 0;
      const p = load()
        .then((value) => {
          try {
            if ((epochs.get(portalOf(key)) ?? 0) === epoch) cache.set(key, value);
          } catch {
            // maxKeys reached: serve uncached rather than fail the card.
          }
          return value;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, p);
      return p;
    },
    invalidateContact(portalId, contactId) {
      const contactPrefix = `p:${portalId}:contact:`;
      // A deal's timeline includes its contacts' touches: drop the portal's deal entries too.
      const dealPrefix = `p:${portalId}:deal:`;
      const doomed = cache
        .keys()
        .filter((k) => (k.startsWith(contactPrefix) && k.slice(contactPrefix.length).split(':')[0]!.split(',').includes(contactId)) || k.startsWith(dealPrefix));
      cache.del(doomed);
      for (const k of doomed) inflight.delete(k);
      bump(portalId);
    },
    invalidatePortal(portalId) {
      const prefix = `p:${portalId}:`;
      const doomed = cache.keys().filter((k) => k.startsWith(prefix));
      cache.del(doomed);
      for (const k of doomed) inflight.delete(k);
      bump(portalId);
    },
    keys: () => cache.keys(),
  };
}
