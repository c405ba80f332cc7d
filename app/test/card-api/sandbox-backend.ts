/**
 * The real backend (createBackend: migrations, OAuth, gateway, pipeline, card API)
 * against the local HubSpot sandbox, installed through the OAuth flow, on one
 * manual clock. For end-to-end tests of the card API: requests go through
 * sandbox.cardFetch, signed exactly as hubspot.fetch signs them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../../src/composition/create-backend';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { loadConfig, type Config } from '../../src/platform/config';
import type { ExtraMount } from '../../src/http/create-app';
import { createSandbox, type Sandbox } from '../../dev/sandbox';
import type { OwnerState, PortalState } from '../../dev/sandbox/portal-state';
import { createDatabase } from '../../src/storage/database';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import type { ApiResult, SettingsView } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';

/** Monday 2 March 2026, 10:00 JST: inside business hours whatever the SLA calendar. */
export const START = Date.UTC(2026, 2, 2, 1, 0, 0);

/**
 * The gateway budgets 100 calls per rolling 10 s per portal and the clock is
 * manual, so each step of a test happens a little later, as a person's clicks would.
 */
export const STEP_MS = 11_000;

export interface SandboxBackend {
  sandbox: Sandbox;
  backend: Backend;
  clock: ManualClock;
  config: Config;
  base: string;
  portal(): PortalState;
  owner(ownerId: string): OwnerState;
  /** Advance the shared clock by one step (see STEP_MS). */
  step(): void;
  close(): Promise<void>;
}

export async function startSandboxBackend(options: { extraMounts?: (h: { config: Config; clock: ManualClock; sandbox: Sandbox }) => ExtraMount[] } = {}): Promise<SandboxBackend> {
  const clock = createManualClock(START);
  const sandbox = await createSandbox({ clock });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tossup-card-e2e-'));
  const loaded = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TOSSUP_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  // As sandbox-mode.ts does: the sandbox's app credentials and API origin.
  const config: Config = {
    ...loaded,
    hubspot: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, appId: String(sandbox.appId), apiBaseUrl: sandbox.url },
  };
  const db = await createDatabase({ kind: 'pglite' });
  const backend = await createBackend(config, {
    clock,
    db,
    wire: { startTimers: false },
    ...(options.extraMounts ? { extraMounts: options.extraMounts({ config, clock, sandbox }) } : {}),
  });
  const { port } = await backend.listen(0);
  const base = `http://127.0.0.1:${port}`;
  // The port is known only now. Config is read per request (signatures, OAuth redirect),
  // so setting the public origin before the first request is the same as starting with it.
  config.publicBaseUrl = base;
  config.redirectUri = `${base}/oauth/callback`;
  sandbox.configureApp({ webhookUrl: `${base}/webhooks/hubspot`, publicBaseUrl: base, baseUrl: base });
  const install = await sandbox.installApp(`${base}/oauth/install`);
  if (install.status !== 200) throw new Error(`install into the sandbox failed (${install.status}): ${install.text.slice(0, 300)} via ${install.trail.join(' → ')}`);

  const portal = () => sandbox.portal();
  return {
    sandbox,
    backend,
    clock,
    config,
    base,
    portal,
    owner(ownerId) {
      const o = portal().owners.find((x) => x.id === ownerId);
      if (!o) throw new Error(`no owner ${ownerId} in the sandbox portal`);
      return o;
    },
    step: () => clock.advance(STEP_MS),
    async close() {
      await backend.close();
      await sandbox.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Publishes an edit of the portal's settings as its super admin, through the signed card API
 * (PUT /api/v1/settings), as the settings page does.
 */
export async function publishSettings(h: SandboxBackend, edit: (s: PortalSettings) => void): Promise<void> {
  const admin = h.portal().owners.find((o) => o.superAdmin && !o.archived);
  if (!admin) throw new Error('e2e: the seed has no super admin');
  const call = async (method: 'GET' | 'PUT', body?: Record<string, unknown>) => {
    const res = await h.sandbox.cardFetch({ path: '/api/v1/settings', method, userId: admin.userId, ...(body ? { body } : {}) });
    const { appStatus, body: answer } = readProxyAnswer(res.status, res.json);
    const result = answer as ApiResult<SettingsView<PortalSettings>>;
    if (appStatus !== 200 || !result.ok) throw new Error(`e2e: ${method} /api/v1/settings answered ${appStatus}: ${res.text.slice(0, 300)}`);
    return result.data;
  };
  const current = await call('GET');
  const settings = structuredClone(current.settings);
  edit(settings);
  await call('PUT', { idempotencyKey: `e2e-settings-${randomBytes(8).toString('hex')}`, settings, expectedVersion: current.version });
}
