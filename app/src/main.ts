import { ConfigError, loadConfig } from './config';
import { createBackend } from './bootstrap';

/**
 * `npm start`. With HubSpot credentials in the environment it serves the real
 * app; without them it runs the local sandbox mode.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode === 'sandbox') {
    const { runSandboxMode } = await import('./sandbox-mode');
    await runSandboxMode(config);
    return;
  }
  const backend = await createBackend(config);
  const { port } = await backend.listen();
  backend.ctx.logger.info({ port, publicBaseUrl: config.publicBaseUrl, database: backend.ctx.db.kind }, 'tossup backend listening');
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
