/**
 * `npm run bench` — the measuring instruments (design: app/dev/bench/README.md).
 *
 *   npm run bench                       standard runs (a)–(d), app and naive baseline
 *   npm run bench:quick                 the same shape at a tenth of the size (< 2 min)
 *   npm run bench -- --burst 100000     one (a)-shaped burst of N events sent at a sustained 1,000 events/s
 *                                       (ack and RSS targets), then the database size before/after retention
 *   npm run bench -- --scale-out        (a) and (c) with two backend processes, compared with one
 *   npm run bench -- --chaos            kill -9 (5 seeds), 20 % injected 429/5xx + latency, database outage
 *   npm run bench -- --participations   Marketing Events participations: 300 events × 500 participants,
 *                                       calls per refresh (first, no change, 3 changed) and memory (participations-bench.ts)
 *   options: --only a,c  --no-naive  --time-scale 10  --seed 7  --outage-ms 30000
 *            --rate N (sustained sender, events/s; --burst defaults to 1000)
 *            --coalesce-max-wait MS (the inbox worker's coalesceMaxWaitMs in HubSpot ms; default 60000)
 *            --all-in-one (each instance one TOSSUP_ROLE=all process; by default web and worker
 *            are separate processes, except in --chaos, whose kill -9 restarts one process per instance)
 *
 * Prints progress and a markdown table; writes app/dev/bench/results/<date>-<sha>.json and
 * app/dev/bench/results/latest.md. Figures are measured, never asserted: targets are
 * reported as met or missed.
 */
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { benchResultPath, benchResultStamp } from './result-files';
import { parseArgs } from 'node:util';
import { C_MIN_FORMULA } from './lower-bound';
import { evaluateTargets, resultsTable, targetsTable } from './report';
import { runScenario, type ScenarioResult, type ScenarioSpec } from './run-scenario';
import { participationsTable, runParticipationsBench } from './participations-bench';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    burst: { type: 'string' },
    'scale-out': { type: 'boolean', default: false },
    chaos: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-naive': { type: 'boolean', default: false },
    'time-scale': { type: 'string', default: '10' },
    seed: { type: 'string', default: '7' },
    'outage-ms': { type: 'string' },
    rate: { type: 'string' },
    'all-in-one': { type: 'boolean', default: false },
    participations: { type: 'boolean', default: false },
    'coalesce-max-wait': { type: 'string' },
  },
});
// The inbox worker's coalesceMaxWaitMs in the backend children (HubSpot ms; default 60,000):
// what a longer bound on a score's lateness buys in calls during a sustained stream.
if (args['coalesce-max-wait']) process.env.BENCH_COALESCE_MAX_WAIT_MS = String(Number(args['coalesce-max-wait']));

const quick = args.quick;
const timeScale = Number(args['time-scale']);
const seed = Number(args.seed);
const div = quick ? 10 : 1;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Shape = Pick<ScenarioSpec, 'name' | 'portals' | 'contactsPerPortal' | 'eventsPerPortal' | 'faults'>;
const STANDARD: Shape[] = [
  { name: 'a', portals: 1, contactsPerPortal: 2_000 / div, eventsPerPortal: 10_000 / div },
  { name: 'b', portals: 1, contactsPerPortal: 10_000 / div, eventsPerPortal: 10_000 / div },
  { name: 'c', portals: 10, contactsPerPortal: 200 / div, eventsPerPortal: 1_000 / div },
  // (a) with HubSpot having a bad day: 2 % 5xx and 1 % 423 Locked.
  { name: 'd', portals: 1, contactsPerPortal: 2_000 / div, eventsPerPortal: 10_000 / div, faults: { serverErrorRate: 0.02, lockedRate: 0.01, seed } },
];

const split = !args['all-in-one'];
const rate = args.rate ? Number(args.rate) : undefined;
const base = { seed, timeScale, log, cardRequests: 0, split, ...(rate ? { ratePerSecond: rate } : {}) } as const;

/** `--participations`: its own scenario (no webhook load, no backend processes), printed and saved on its own. */
async function participationsMain(): Promise<void> {
  const result = await runParticipationsBench({ events: quick ? 30 : 300, participants: 500, changed: 3, log });
  const table = participationsTable(result);
  const { date, sha } = benchResultStamp();
  writeFileSync(benchResultPath(`${date}-${sha}-participations.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${table}\n`);
}

async function main(): Promise<void> {
  if (args.participations) return participationsMain();
  const runs: ScenarioResult[] = [];
  let burst: ScenarioResult | undefined;
  const only = args.only ? new Set(args.only.split(',')) : undefined;
  const started = performance.now();

  if (args.burst) {
    const n = Number(args.burst);
    burst = await runScenario({
      ...base,
      name: `burst-${n}`,
      impl: 'tossup',
      portals: 1,
      contactsPerPortal: Math.round(n / 5),
      eventsPerPortal: n,
      cardRequests: 50,
      ratePerSecond: rate ?? 1_000,
      measureRetention: true,
    });
    runs.push(burst);
  } else if (args['scale-out']) {
    for (const shape of STANDARD.filter((s) => s.name === 'a' || s.name === 'c')) {
      const one = await runScenario({ ...base, ...shape, name: `${shape.name}`, impl: 'tossup' });
      const two = await runScenario({ ...base, ...shape, name: `${shape.name}-scale-out`, impl: 'tossup', instances: 2 });
      runs.push(one, two);
      log(`scale-out ${shape.name}: final state ${one.stateDigest === two.stateDigest ? 'equals' : 'DIFFERS from'} the single-process run; work per instance ${JSON.stringify(two.perInstance)}`);
    }
  } else if (args.chaos) {
    const a = STANDARD[0]!;
    const chaosBase = { ...base, split: false };
    const reference = await runScenario({ ...chaosBase, ...a, name: 'a-undisturbed', impl: 'tossup' });
    runs.push(reference);
    for (let s = 1; s <= 5; s++) {
      runs.push(await runScenario({ ...chaosBase, ...a, name: `a-kill9-seed${s}`, impl: 'tossup', chaos: { kills: 3 }, chaosSeed: s }));
    }
    runs.push(
      await runScenario({
        ...chaosBase,
        ...a,
        name: 'a-faults20',
        impl: 'tossup',
        // 20 % of calls fail (10 % 429, 10 % 5xx), each call delayed ~120 ms (log-normal, HubSpot time).
        faults: { rateLimitRate: 0.1, serverErrorRate: 0.1, latencyMs: { median: 120, sigma: 0.5 }, seed },
      }),
    );
    runs.push(await runScenario({ ...chaosBase, ...a, name: 'a-db-outage', impl: 'tossup', chaos: { dbOutageMs: Number(args['outage-ms'] ?? (quick ? 5_000 : 30_000)) } }));
    for (const r of runs.slice(1)) log(`chaos ${r.name}: final state ${r.stateDigest === reference.stateDigest ? 'equals' : 'DIFFERS from'} the undisturbed run`);
  } else {
    for (const shape of STANDARD.filter((s) => !only || only.has(s.name))) {
      runs.push(await runScenario({ ...base, ...shape, impl: 'tossup', cardRequests: shape.name === 'a' ? 50 : 0 }));
      if (!args['no-naive']) {
        // HubSpot would retry for 24 h; the baseline gets 3 retries (1 in --quick) so the run ends.
        runs.push(await runScenario({ ...base, ...shape, impl: 'naive', maxRetries: quick ? 1 : 3 }));
      }
    }
  }

  const targets = evaluateTargets(runs, burst);
  const { date, sha } = benchResultStamp();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const md = [
    `# tossup benchmark — ${date} (${sha})`,
    '',
    `Command: \`${command}\` · time scale ${timeScale}× · seed ${seed} · ${machine} · wall time ${Math.round((performance.now() - started) / 1000)} s`,
    '',
    resultsTable(runs),
    '',
    `Lower bound (README.md, "Lower bound on API calls"): ${C_MIN_FORMULA}`,
    '',
    '## Targets',
    '',
    targetsTable(targets),
    '',
  ].join('\n');
  writeFileSync(benchResultPath(`${date}-${sha}.json`), JSON.stringify({ date, sha, command, timeScale, seed, machine, runs, targets }, null, 2));
  writeFileSync(benchResultPath('latest.md'), md);
  process.stdout.write(`${md}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
