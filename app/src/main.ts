import { ConfigError, loadConfig } from './platform/config';
import { refuseAccidentalSandbox } from './platform/sandbox-guard';
import { createBackend } from './composition/create-backend';
import { stopOnSignals } from './composition/stop-on-signals';
import { portInUse } from './platform/port-in-use';

/**
 * `npm start`. With HubSpot credentials in the environment it serves the real
 * app; without them it runs the local sandbox mode.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') {
    refuseAccidentalSandbox(config);
    const { runSandboxMode } = await import('../dev/sandbox/sandbox-mode');
    await runSandboxMode(config);
    return;
  }
  const backend = await createBackend(config);
  const { port } = await backend.listen();
  backend.runtime.logger.info({ port, role: config.role, publicBaseUrl: config.publicBaseUrl, database: backend.runtime.db.kind }, 'tossup backend listening');
  stopOnSignals(() => backend.close(), backend.runtime.logger);
}

main().catch((err: unknown) => {
  const busy = portInUse(err);
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else if (busy) {
    process.stderr.write(`${busy}\n`);
  } else if (err instanceof Error && err.message.startsWith('tossup: ')) {
    // Our own start-up errors already say what to fix; their stack would only bury it.
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`tossup: start-up failed / 起動に失敗しました: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
