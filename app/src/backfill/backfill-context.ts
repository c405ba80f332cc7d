import type { AppContext } from '../context';
import { requireService } from '../context';
import { loadPortalSettings } from '../settings/settings-store';
import type { BackfillDeps } from './run-backfill';

/**
 * The backfill's dependencies from a wired backend (wireServices): the gateway, the
 * pipeline's snapshot builder and directory, the stored settings and the shared
 * applier — the very objects the webhook pipeline uses.
 */
export function backfillDepsFromContext(ctx: AppContext): BackfillDeps {
  const snapshots = requireService(ctx, 'snapshots');
  return {
    gateway: requireService(ctx, 'hubspot'),
    loadSnapshots: (portalId, ids) => snapshots.load(portalId, ids),
    loadDirectory: (portalId) => snapshots.directory(portalId),
    loadSettings: (portalId) => loadPortalSettings(ctx.db, portalId),
    applyPlans: requireService(ctx, 'applyPlans'),
    clock: ctx.clock,
  };
}
