/**
 * Per-portal scope denial and early token expiry: the admin knobs that let tests
 * play a portal that did not grant a scope (or lacks the product behind it) and an
 * access token HubSpot ends before its announced expiry (docs/hubspot-platform.md §4.3, §5.8).
 *
 * A denied scope is taken out of the portal's tokens at check time, so a call that
 * needs it answers 403 MISSING_SCOPES with HubSpot's body
 * (https://developers.hubspot.com/scopes). Some scopes guard data inside objects the
 * routes otherwise serve under the contact scopes: `sales-email-read` guards e-mail
 * engagements, so denying it refuses every call on the emails object type.
 */
export const SCOPE_GUARDED_PATHS: Readonly<Record<string, RegExp>> = {
  'sales-email-read': /\/(emails|0-49)(\/|$)/,
};

export interface ScopeDenials {
  deny(portalId: number, scope: string): void;
  /** Lifts one denial, or every denial of the portal without `scope`. */
  allow(portalId: number, scope?: string): void;
  list(portalId: number): string[];
  /**
   * The scopes to name in a 403 MISSING_SCOPES for this call, or undefined when it
   * may proceed: `needed` is the route's "one of" list, `granted` the token's scopes.
   */
  refused(portalId: number, path: string, needed: readonly string[], granted: readonly string[]): string[] | undefined;
}

export function createScopeDenials(): ScopeDenials {
  const denied = new Map<number, Set<string>>();
  return {
    deny(portalId, scope) {
      const set = denied.get(portalId) ?? new Set<string>();
      set.add(scope);
      denied.set(portalId, set);
    },
    allow(portalId, scope) {
      if (scope === undefined) denied.delete(portalId);
      else denied.get(portalId)?.delete(scope);
    },
    list: (portalId) => [...(denied.get(portalId) ?? [])].sort(),
    refused(portalId, path, needed, granted) {
      const set = denied.get(portalId);
      if (!set || set.size === 0) return undefined;
      for (const scope of set) if (SCOPE_GUARDED_PATHS[scope]?.test(path)) return [scope];
      if (needed.length === 0) return undefined;
      const effective = granted.filter((s) => !set.has(s));
      return needed.some((s) => effective.includes(s)) ? undefined : [...needed];
    },
  };
}
