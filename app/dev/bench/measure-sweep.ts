/**
 * `npm run bench:sweep` — what the reconciliation sweep (app/src/worker/reconcile-sweep.ts)
 * spends per HubSpot hour (issue 19, "Reconciliation cost"), in three portals of K contacts:
 *
 *  - quiet: nothing changes for an hour;
 *  - busy:  every minute 100 marketing-email opens (webhooks, scored) and 20 edits of `phone` by
 *           reps (no subscription: only the sweep sees them), webhooks processed as they come;
 *  - burst: 5 × K opens arrive in the minute before a sweep and are still pending in the inbox
 *           when it runs (a burst that outlasts a sweep), processed after it; the next sweep
 *           finds the contacts the app itself has just written.
 *
 * The sandbox and the real backend share one manual clock (app/dev/sandbox-harness); the
 * gateway's waits for the budget move it, so the search's 5/s and the 110 / 10 s windows are
 * honoured without real waiting. Calls are the sandbox's per-endpoint counters. A sweep's cost
 * is everything between its start and the settled pipeline after it: the CRM search pages,
 * and the reads and writes of the contacts it queued (webhooks are settled before each sweep,
 * so nothing else is in flight). Prints a markdown table; writes results/<date>-<sha>-sweep.json.
 */
import { writeFileSync } from 'node:fs';
import { benchResultPath, benchResultStamp } from './result-files';
import { parseArgs } from 'node:util';
import { MINUTE, startE2E, type E2E } from '../sandbox-harness/sandbox-harness';
import { createPrng } from '../sandbox/prng';

const { values: args } = parseArgs({ options: { contacts: { type: 'string', default: '2000' }, seed: { type: 'string', default: '7' } } });
const K = Number(args.contacts);
const seed = Number(args.seed);
const log = (line: string) => process.stderr.write(`${line}\n`);

type Kind = 'quiet' | 'busy' | 'burst';

interface SweepFigures {
  minute: number;
  /** Contacts the CRM search found modified in the window. */
  modified: number;
  /** contact.reconcile events stored (the contacts queued for a read). */
  queued: number;
  /** Inbox events pending when the sweep ran. */
  pendingAtSweep: number;
  calls: number;
  endpoints: Record<string, number>;
}

interface PortalFigures {
  kind: Kind;
  contacts: number;
  sweeps: SweepFigures[];
  /** Every call of the hour (webhook processing included). */
  callsPerHour: number;
  /** The sweeps' share of it. */
  sweepCallsPerHour: number;
  searchCallsPerHour: number;
}

const callsOf = (h: E2E): Record<string, number> => {
  const p = h.sandbox.stats().portals[h.portalId];
  return Object.fromEntries(Object.entries(p?.endpoints ?? {}).map(([k, v]) => [k, v.calls]));
};
const total = (e: Record<string, number>) => Object.values(e).reduce((n, v) => n + v, 0);
const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

async function countQueued(h: E2E): Promise<number> {
  const r = await h.ctx.db.query<{ n: number }>(`select count(*)::int as n from webhook_inbox where subscription_type = 'contact.reconcile'`);
  return r.rows[0]!.n;
}
async function countPending(h: E2E): Promise<number> {
  const r = await h.ctx.db.query<{ n: number }>(`select count(*)::int as n from webhook_inbox where status = 'pending'`);
  return r.rows[0]!.n;
}

async function measurePortal(kind: Kind): Promise<PortalFigures> {
  const h = await startE2E({ gatewaySleep: 'advance-clock' });
  try {
    const prng = createPrng(seed * 31 + kind.length);
    const ids: string[] = [];
    for (let i = 0; i < K; i++) {
      const { contactId } = h.sandbox.scenario.createContact({
        properties: { email: `sweep${i}@${kind}.bench.example.jp`, firstname: `太郎${i}`, lastname: 'スイープ', lifecyclestage: 'lead', jobtitle: i % 5 === 0 ? '営業部長' : '担当' },
      });
      ids.push(contactId);
      if (i % 500 === 499) await h.settle();
    }
    await h.settle();
    // The install's first sweep (1 h look-back) and whatever it queued: before the measured hour.
    await h.services.pipeline.reconciler.runDue();
    await h.settle();
    h.advance(15 * MINUTE);
    await h.services.pipeline.reconciler.runDue();
    await h.settle();
    const queuedBefore = await countQueued(h);
    const hourStart = callsOf(h);
    const pick = () => ids[Math.floor(prng.next() * ids.length)]!;
    const sweeps: SweepFigures[] = [];
    const reps = h.sandbox.portal().owners.filter((o) => o.userId);

    for (let minute = 1; minute <= 60; minute++) {
      h.advance(MINUTE);
      if (kind === 'busy') {
        for (let i = 0; i < 100; i++) h.sandbox.scenario.openMarketingEmail({ contactId: pick() });
        for (let i = 0; i < 20; i++) {
          const rep = reps[i % reps.length];
          h.sandbox.scenario.setProperties({ objectId: pick(), properties: { phone: `03-${minute}-${i}` }, ...(rep ? { userId: rep.userId } : {}) });
        }
      }
      const burstMinute = kind === 'burst' && minute === 14;
      if (burstMinute) {
        for (const id of ids) for (let i = 0; i < 5; i++) h.sandbox.scenario.openMarketingEmail({ contactId: id });
        // Delivered and stored, not yet processed: still pending when the sweep comes.
        for (;;) if ((await h.sandbox.flushWebhooks()).delivered === 0) break;
      } else if (!(kind === 'burst' && minute === 15)) {
        await h.settle();
      }
      if (minute % 15 === 0) {
        const pendingAtSweep = await countPending(h);
        const before = callsOf(h);
        const queued0 = await countQueued(h);
        const r = await h.services.pipeline.reconciler.runDue();
        const queued = (await countQueued(h)) - queued0;
        await h.settle();
        const spent = diff(callsOf(h), before);
        if (kind === 'burst' && minute === 15) {
          // The burst's own processing ran in the settle above; only the search and the queued
          // contacts are the sweep's. The queued count tells the reads it caused (⌈queued/100⌉).
          const search = spent['POST /crm/v3/objects/contacts/search'] ?? 0;
          sweeps.push({ minute, modified: r.contacts, queued, pendingAtSweep, calls: search + Math.ceil(queued / 100), endpoints: { 'POST /crm/v3/objects/contacts/search': search } });
        } else {
          sweeps.push({ minute, modified: r.contacts, queued, pendingAtSweep, calls: total(spent), endpoints: spent });
        }
        log(`  ${kind} minute ${minute}: modified ${r.contacts}, pending at sweep ${pendingAtSweep}, queued ${queued}, calls ${sweeps.at(-1)!.calls} ${JSON.stringify(sweeps.at(-1)!.endpoints)}`);
      }
    }
    const hour = diff(callsOf(h), hourStart);
    if ((await countQueued(h)) - queuedBefore !== sweeps.reduce((n, s) => n + s.queued, 0)) throw new Error('bench: reconcile events appeared outside a sweep');
    return {
      kind,
      contacts: K,
      sweeps,
      callsPerHour: total(hour),
      sweepCallsPerHour: sweeps.reduce((n, s) => n + s.calls, 0),
      searchCallsPerHour: sweeps.reduce((n, s) => n + (s.endpoints['POST /crm/v3/objects/contacts/search'] ?? 0), 0),
    };
  } finally {
    await h.close();
  }
}

async function main() {
  const started = performance.now();
  const portals: PortalFigures[] = [];
  for (const kind of ['quiet', 'busy', 'burst'] as const) {
    log(`sweep cost: ${kind} portal, ${K} contacts, one hour (4 sweeps)`);
    portals.push(await measurePortal(kind));
  }
  const { date, sha } = benchResultStamp();
  const rows = portals.map((p) => {
    const per = p.sweeps.map((s) => `${s.minute}′: ${s.modified} modified / ${s.pendingAtSweep} pending / ${s.queued} queued / ${s.calls} calls`).join('; ');
    return `| ${p.kind} | ${p.contacts} | ${p.sweepCallsPerHour} | ${p.searchCallsPerHour} | ${p.callsPerHour} | ${per} |`;
  });
  const md = [
    `# Reconciliation sweep cost — ${date} (${sha})`,
    '',
    `Command: \`npm run bench:sweep${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` · seed ${seed} · wall time ${Math.round((performance.now() - started) / 1000)} s`,
    '',
    '| portal | contacts | sweep calls / h | of which search pages | all calls / h | per sweep (minute: modified / inbox pending / queued / calls) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(benchResultPath(`${date}-${sha}-sweep.json`), JSON.stringify({ date, sha, seed, contacts: K, portals }, null, 2));
  process.stdout.write(`${md}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:sweep failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
