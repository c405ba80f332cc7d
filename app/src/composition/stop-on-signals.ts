import type { Logger } from '../platform/log';

/**
 * SIGTERM / SIGINT: close the backend (create-backend.ts close(): at once, the HTTP
 * drain <= HTTP_DRAIN_MS and the jobs' stop — no new batch, the batch in progress
 * finishes within BATCH_GRACE_MS or its lease is released, retention stops between
 * chunks — then the pools) and exit 0.
 * If that takes longer than boundMs the process exits 1 anyway: whatever was cut
 * short is safe, because an inbox row is only marked done after its plan is
 * applied, portal leases expire on their own, and the applier is idempotent, so
 * the next process redoes it (README, "Deployment / Shutdown").
 */
export const SHUTDOWN_BOUND_MS = 25_000; // inside Kubernetes' default terminationGracePeriodSeconds (30 s)

export function stopOnSignals(close: () => Promise<void>, logger: Logger, boundMs = SHUTDOWN_BOUND_MS): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal, boundMs }, 'shutting down: draining requests, finishing the current batch');
    const force = setTimeout(() => {
      logger.error({ boundMs }, 'shutdown exceeded its bound; exiting (unfinished work is retried by the next process)');
      process.exit(1);
    }, boundMs);
    force.unref();
    close().then(
      () => {
        logger.info({ ms: Date.now() - started }, 'shut down cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
