import type { ContactSnapshot, Plan, PortalDirectory } from '../domain/types';
import type { Database } from '../storage/database';

/**
 * The pure core, injected: `evaluateContact` from app/src/domain/evaluate.ts.
 * Generic in the settings type so the pipeline does not depend on the settings
 * module's shape (app/src/storage/portal-settings-store.ts provides the loader; wired in
 * app/src/composition/wire-services.ts).
 */
export type EvaluateFn<S> = (snapshot: ContactSnapshot, settings: S, directory: PortalDirectory, now: number) => Plan;

/** `loadPortalSettings(db, portalId)` from app/src/storage/portal-settings-store.ts. */
export type LoadSettingsFn<S> = (db: Database, portalId: string) => Promise<S>;
