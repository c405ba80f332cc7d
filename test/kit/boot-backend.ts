import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createBackend, type Backend, type BackendOptions } from '../../app/src/composition/create-backend';
import { createManualClock, type ManualClock } from '../../app/src/platform/clock';
import { loadConfig } from '../../app/src/platform/config';
import { createLogger } from '../../app/src/platform/log';
import { createDatabase, type Database } from '../../app/src/storage/database';

/**
 * The real backend (createBackend) for a test: on an ephemeral port of 127.0.0.1,
 * with a manual clock and silent logs, on an embedded database unless one is given.
 * HTTP only by default (wire: false), so no worker consumes what a test counts.
 */
export interface BootBackendOptions {
  /** The product's environment contract (HUBSPOT_CLIENT_SECRET, PUBLIC_BASE_URL, …), over the kit's defaults. */
  env: Record<string, string>;
  /** Where the manual clock starts. */
  now: number;
  /** The caller's database (the caller closes it); default a fresh PGlite, closed with the backend. */
  db?: Database;
  wire?: BackendOptions['wire'];
  /** The app to serve around the backend (e.g. with test doubles mounted); default the backend's own. */
  serve?: (backend: Backend) => Express;
}

export interface BootedBackend {
  backend: Backend;
  db: Database;
  clock: ManualClock;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

const DEFAULT_ENV: Record<string, string> = {
  HUBSPOT_CLIENT_ID: 'client-id',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  LOG_LEVEL: 'silent',
};

export async function bootBackend(options: BootBackendOptions): Promise<BootedBackend> {
  const db = options.db ?? (await createDatabase({ kind: 'pglite' }));
  const clock = createManualClock(options.now);
  const config = loadConfig({ ...DEFAULT_ENV, ...options.env });
  const backend = await createBackend(config, { clock, db, wire: options.wire ?? false, logger: createLogger({ level: 'silent' }) });
  const app = options.serve ? options.serve(backend) : backend.app;
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    backend,
    db,
    clock,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await backend.close();
      if (!options.db) await db.close();
    },
  };
}
