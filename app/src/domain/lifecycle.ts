/**
 * Lifecycle stages only ever move forward (docs/product.md §5, docs/hubspot-platform.md §5.5):
 * HubSpot refuses or ignores backward moves through the API, and a backward move would
 * rewrite "became a … date" properties the KPI reports rely on. Positions come from the
 * portal's own stage list, because stages are customisable.
 */
import type { PortalDirectory } from './types';

/** The value to write, or undefined when the move would not be forward (or the stages are unknown). */
export function forwardLifecycle(current: string | null | undefined, target: string, directory: PortalDirectory): string | undefined {
  const stages = directory.lifecycleStages;
  const to = stages.indexOf(target);
  if (to < 0) return undefined; // the portal removed this stage: leave lifecycle alone
  if (current === null || current === undefined || current.trim() === '') return target;
  const from = stages.indexOf(current);
  if (from < 0) return undefined; // unknown stage: we cannot know what "forward" means
  return to > from ? target : undefined;
}

/** Whether the contact is already at or beyond `stage` in the portal's order. */
export function isAtOrBeyond(current: string | null | undefined, stage: string, directory: PortalDirectory): boolean {
  if (!current) return false;
  const from = directory.lifecycleStages.indexOf(current);
  const to = directory.lifecycleStages.indexOf(stage);
  return from >= 0 && to >= 0 && from >= to;
}
