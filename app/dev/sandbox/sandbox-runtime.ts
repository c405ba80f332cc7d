import type { CrmStore, WriteSource } from './crm-store';
import type { FaultInjector } from './faults';
import type { OAuthService, OAuthState } from './oauth-service';
import type { PortalState } from './portal-state';
import type { RollingWindow } from './rate-limiter';
import type { ScopeDenials } from './scope-denial';
import type { SandboxClock } from './sandbox-clock';
import type { StatsRecorder } from './stats';

/** Everything the sandbox persists (persistFile): portals, the id sequence and OAuth tokens. */
export interface SandboxState {
  version: 1;
  nextId: number;
  portals: Record<string, PortalState>;
  oauth: OAuthState;
}

/** The shared internals every sandbox module works with. */
export interface SandboxRuntime {
  clock: SandboxClock;
  state: SandboxState;
  store: CrmStore;
  oauth: OAuthService;
  stats: StatsRecorder;
  faults: FaultInjector;
  tenSecondly: RollingWindow;
  searchSecondly: RollingWindow;
  rateLimitEnabled: boolean;
  enforceScopes: boolean;
  /** Scopes denied per portal by the admin knob (scope-denial.ts), checked even when enforceScopes is off. */
  scopeDenials: ScopeDenials;
  appId: number;
  clientId: string;
  clientSecret: string;
  /** Scopes the app declares (src/app/app-hsmeta.json): required and optional. */
  appScopes: { required: string[]; optional: string[] };
  redirectUris: string[];
  defaultPortalId: number;
  /** Writes made with the app's OAuth token: changeSource INTEGRATION, sourceId = app id. */
  integrationSource: WriteSource;
  portal(portalId: number | string): PortalState;
  /** Marks the state as changed (persistFile is written shortly after). */
  markDirty(): void;
}
