/**
 * HubSpot's webhook sender in a process of its own (sustained runs, `--rate`): the bench
 * process also hosts the sandbox (HubSpot's API), whose work — a reconciliation sweep's CRM
 * searches over 20,000 contacts, batch reads — blocks its event loop for up to seconds, and
 * a POST's answer then waits there to be read: the ack latency measured the bench, not the
 * app. Here the sender's loop does nothing but send (its own delay is still reported).
 *
 * Protocol (IPC, advanced serialization): the parent sends
 * `{ type: 'send', workloads, options }`; the child answers `{ type: 'progress', acked }`
 * now and then and `{ type: 'result', result }` at the end; `{ type: 'stop' }` makes it
 * give up (the rest counts as dropped), as `shouldStop` does in-process.
 */
import { sendBurst, type LoadResult } from './load-generator';
import { createSharedClock, type ClockSpec } from './shared-clock';
import type { PortalWorkload } from './workload';

export interface SenderRequest {
  type: 'send';
  workloads: Pick<PortalWorkload, 'portalId' | 'events'>[];
  options: { clientSecret: string; clockSpec: ClockSpec; publicUrl: string; targets: string[]; maxRetries: number; ratePerSecond?: number };
}
export type SenderMessage = { type: 'progress'; acked: number } | { type: 'result'; result: LoadResult } | { type: 'error'; message: string };

let stop = false;
process.on('message', (m: SenderRequest | { type: 'stop' }) => {
  if (m.type === 'stop') {
    stop = true;
    return;
  }
  const { options } = m;
  let lastProgress = 0;
  sendBurst(m.workloads as PortalWorkload[], {
    clientSecret: options.clientSecret,
    clock: createSharedClock(options.clockSpec),
    timeScale: options.clockSpec.timeScale,
    publicUrl: options.publicUrl,
    targets: () => options.targets,
    maxRetries: options.maxRetries,
    ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
    shouldStop: () => stop,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastProgress < 250 && p.acked < p.total) return;
      lastProgress = now;
      process.send?.({ type: 'progress', acked: p.acked } satisfies SenderMessage);
    },
  }).then(
    (result) => process.send?.({ type: 'result', result } satisfies SenderMessage, () => process.exit(0)),
    (err: unknown) => process.send?.({ type: 'error', message: (err as Error).stack ?? String(err) } satisfies SenderMessage, () => process.exit(1)),
  );
});
process.once('disconnect', () => process.exit(1));
process.send?.({ type: 'ready' });
