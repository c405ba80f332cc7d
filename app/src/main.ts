import { ConfigError, loadConfig } from './platform/config';
import { createBackend } from './composition/create-backend';

/**
 * `npm start`. With HubSpot credentials in the environment it serves the real
 * app; without them it runs the local sandbox mode.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') {
    const { runSandboxMode } = await import('../dev/sandbox/sandbox-mode');
    await runSandboxMode(config);
    return;
  }
  const backend = await createBackend(config);
  const { port } = await backend.listen();
  backend.runtime.logger.info({ port, publicBaseUrl: config.publicBaseUrl, database: backend.runtime.db.kind }, 'tossup backend listening');
  const stop = async () => {
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`tossup: start-up failed / 起動に失敗しました: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
