import type { Backend } from './create-backend';
import { listHandoffLogWithDetails } from '../storage/handoff-log-store';
import { loadPortalSettings } from '../storage/portal-settings-store';
import type { BackfillDeps } from '../backfill/run-backfill';

/**
 * The backfill's dependencies from a wired backend (wireServices): the gateway, the
 * pipeline's snapshot builder and directory, the stored settings and the shared
 * applier — the very objects the webhook pipeline uses.
 */
export function backfillDepsFromBackend(backend: Pick<Backend, 'runtime' | 'services'>): BackfillDeps {
  const services = backend.services;
  if (!services) throw new Error('tossup: the backfill needs a wired backend (app credentials set, wiring not disabled)');
  return {
    gateway: services.gateway,
    loadSnapshots: services.snapshots.load,
    loadDirectory: services.snapshots.directory,
    loadSettings: (portalId) => loadPortalSettings(backend.runtime.db, portalId),
    applyPlans: services.apply,
    clock: backend.runtime.clock,
    loadHandoffLog: (portalId, contactIds) => listHandoffLogWithDetails(backend.runtime.db, portalId, contactIds),
  };
}
