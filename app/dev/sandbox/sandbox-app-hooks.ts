import type { Backend } from '../../src/composition/create-backend';
import type { RunningServices } from '../../src/composition/wire-services';
import type { AppHooks, AppSettleReport } from './app-hooks';
import type { Sandbox } from './create-sandbox';

/**
 * The app side of the sandbox's hooks in sandbox mode (app-hooks.ts): the backend's
 * timers keep running as in production; these only make a person's step visible at
 * once instead of at the next poll, the next SLA minute or the next cache refresh.
 */
const SETTLE_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

export function createSandboxAppHooks(sandbox: Sandbox, backend: Backend, services: RunningServices): AppHooks {
  const { db, clock } = backend.runtime;
  const duePending = async () => {
    const res = await db.query<{ n: number }>(`select count(*)::int as n from webhook_inbox where status = 'pending' and next_attempt_at <= $1`, [clock.now()]);
    return res.rows[0]?.n ?? 0;
  };
  const waitingPending = async () => {
    const res = await db.query<{ n: number }>(`select count(*)::int as n from webhook_inbox where status = 'pending'`);
    return res.rows[0]?.n ?? 0;
  };

  // Rows stay 'pending' until their batch commits, so "none due and nothing left to
  // deliver" also covers a batch the worker's own timer is processing right now.
  const settle = async (): Promise<AppSettleReport> => {
    const deadline = performance.now() + SETTLE_TIMEOUT_MS;
    let webhooksDelivered = 0;
    for (;;) {
      const flushed = await sandbox.flushWebhooks();
      webhooksDelivered += flushed.delivered;
      const drained = await services.pipeline.worker.drainOnce();
      if (flushed.delivered === 0 && drained.eventsDone === 0 && sandbox.stats().webhooks.pending === 0 && (await duePending()) === 0) break;
      if (performance.now() > deadline) throw new Error(`the app did not finish processing within ${SETTLE_TIMEOUT_MS / 1000} s (${await duePending()} inbox events still due)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return { webhooksDelivered, pending: await waitingPending() };
  };

  return {
    settle,
    async clockAdvanced() {
      const first = await settle();
      const sla = await services.sla.tick();
      const after = await settle();
      return { webhooksDelivered: first.webhooksDelivered + after.webhooksDelivered, pending: after.pending, slaPlans: sla.applied };
    },
    async participationChanged(portalIdNumber, contactId) {
      const portalId = String(portalIdNumber);
      // The next snapshot refreshes at once instead of within 15 minutes; the refresh reads only
      // the event whose counters moved (app/src/engine/event-participations.ts).
      services.participations.invalidate(portalId);
      // HubSpot sends no webhook for a participation: evaluate the contact now, as the next webhook's drain would.
      await services.reevaluate(portalId, [contactId]);
      return settle();
    },
  };
}
