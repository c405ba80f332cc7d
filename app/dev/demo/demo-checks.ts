/**
 * The demo checks itself: each expected outcome of the story is one Check, verified
 * against the sandbox's state; any that fails makes `npm run demo` exit 1.
 */
export const DAY_MS = 24 * 3_600_000;

export interface Check {
  ja: string;
  en: string;
  ok: boolean;
  /** What was found instead (shown when the check fails). */
  actual: unknown;
}

/** The checks that did not hold. */
export function checkOutcomes(checks: readonly Check[]): Check[] {
  return checks.filter((c) => !c.ok);
}
