import type { BenchChild } from './child-process';
import type { ChaosController } from './chaos-controller';
import { compareWithOracle } from './compare-with-oracle';
import type { Burst } from './generate-load';
import { scrapeAckBuckets, scrapeProcessed } from './inbox-monitor';
import type { LoadResult } from './load-generator';
import { boundForWindow, describeTerms } from './lower-bound';
import { measureCards } from './measure-cards';
import { measureDatabaseAndRetention } from './measure-database';
import type { RunState } from './run-state';
import type { ScenarioResult, ScenarioSpec } from './scenario-spec';
import type { SystemUnderTest } from './start-system';
import { MiB, percentile, round } from './stats-util';

/**
 * Measurements after the drain: the sandbox's call counters, the oracle comparison,
 * the work per instance, the card timings and the peak RSS, as one ScenarioResult
 * (and its summary line in the log).
 */
export interface FinishedRun {
  spec: ScenarioSpec;
  instances: number;
  system: SystemUnderTest;
  burst: Burst;
  load: LoadResult;
  state: RunState;
  chaos: ChaosController;
  drained: boolean;
  /** First POST → drained, real ms. */
  durationMs: number;
  /** Processed counts per pid before the burst (processedSoFar). */
  baseline: Map<number, number>;
}

/** Work done during the install and settle is not the burst's: per-instance counts are deltas from here (by pid: a restarted process starts at 0). */
export async function processedSoFar(children: BenchChild[]): Promise<Map<number, number>> {
  const baseline = new Map<number, number>();
  for (const c of children) baseline.set(c.pid, (await scrapeProcessed(c.port)) ?? 0);
  return baseline;
}

export async function measureRun(run: FinishedRun, log: (line: string) => void): Promise<ScenarioResult> {
  const { spec, system, burst, load, state, chaos, drained, durationMs } = run;
  const { sandbox, children } = system;
  const { totalEvents } = burst;
  const stats = sandbox.stats();
  const endpoints: Record<string, number> = {};
  let calls = 0;
  let rateLimited = 0;
  let injected = 0;
  for (const p of Object.values(stats.portals)) {
    calls += p.calls;
    rateLimited += p.rateLimited + p.searchRateLimited;
    injected += p.injectedFaults;
    for (const [e, s] of Object.entries(p.endpoints)) endpoints[e] = (endpoints[e] ?? 0) + s.calls;
  }
  const oracle = compareWithOracle(sandbox, burst, system.clock);
  const perInstance: Record<string, number> = {};
  if (spec.impl === 'tossup') for (const c of children) perInstance[c.name] = ((await scrapeProcessed(c.port)) ?? 0) - (run.baseline.get(c.pid) ?? 0);
  const card = spec.impl === 'tossup' && spec.cardRequests ? await measureCards(sandbox, system.portalIds[0]!, burst.workloads[0]!, spec.cardRequests) : undefined;
  const rssByProcess = Object.fromEntries(children.map((c) => [c.name, round(Math.max(c.rss().sampledPeak, c.rss().hwm) / MiB)]));
  const rss = Math.max(...children.map((c) => Math.max(c.rss().sampledPeak, c.rss().hwm)));
  const serverAck = spec.impl === 'tossup' ? await scrapeAckBuckets(system.ports[0]!) : undefined;
  const database = spec.measureRetention && system.monitor ? await measureDatabaseAndRetention(system.monitor, system.databaseUrl, system.clock) : undefined;
  const { mismatches, duplicates, cMin } = oracle;
  const ratioBasis = boundForWindow(cMin, oracle.cMinTerms, endpoints);
  const counts = state.counts;
  const result: ScenarioResult = {
    name: spec.name,
    impl: spec.impl,
    portals: system.portalIds.length,
    instances: run.instances,
    events: totalEvents,
    K: oracle.K,
    U: oracle.U,
    T: oracle.T,
    cMin,
    cMinTerms: oracle.cMinTerms,
    calls,
    callsPerEvent: round(calls / totalEvents, 4),
    ratioBasis,
    ratio: round(calls / Math.max(ratioBasis, 1), 2),
    rateLimited,
    injectedFaults: injected,
    ackMs: { p50: round(percentile(load.ackMs, 50)), p95: round(percentile(load.ackMs, 95)), p99: round(percentile(load.ackMs, 99)), max: round(percentile(load.ackMs, 100)), count: load.ackMs.length },
    postStatuses: load.statuses,
    // Events that reached the app (the baseline drops some); redeliveries included, as HubSpot sends them.
    eventsPerSecond: round((totalEvents - load.droppedEvents) / (durationMs / 1000)),
    durationMs: Math.round(durationMs),
    ingestMs: Math.round(load.finishedAt - load.startedAt),
    peakRssMiB: round(rss / MiB),
    rssMiBByProcess: rssByProcess,
    drainAfterIngestMs: Math.max(0, Math.round(durationMs - (load.finishedAt - load.startedAt))),
    ...(spec.ratePerSecond ? { ratePerSecond: spec.ratePerSecond } : {}),
    ...(database ? { database } : {}),
    ...(serverAck ? { serverAckShare: serverAck } : {}),
    senderLoopDelayMs: load.senderLoopDelayMs,
    duplicates,
    mismatches,
    mismatchExamples: oracle.mismatchExamples,
    droppedEvents: load.droppedEvents,
    parkedEvents: counts.parked,
    correct: mismatches === 0 && duplicates === 0 && load.droppedEvents === 0 && counts.parked === 0 && drained && state.crashed.size === 0,
    perInstance,
    kills: chaos.kills,
    restarts: chaos.restarts,
    dbOutageMs: chaos.outageMs,
    drained,
    chaosAt: chaos.at,
    chaosErrors: chaos.errors,
    crashes: state.crashed.size,
    ...(card ? { card } : {}),
    endpoints,
    stateDigest: oracle.stateDigest,
  };
  log(
    `[${spec.name}/${spec.impl}] ${result.correct ? 'correct' : 'NOT correct'}: ${result.events} events in ${round(durationMs / 1000)} s (${result.eventsPerSecond}/s), ${calls} calls (C_min ${cMin} = ${describeTerms(oracle.cMinTerms)}; ratio ${result.ratio} against ${ratioBasis}, the directory term as measured), 429s ${rateLimited}, ack p50/p95/p99 ${result.ackMs.p50}/${result.ackMs.p95}/${result.ackMs.p99} ms${spec.ratePerSecond ? ` at ${spec.ratePerSecond} events/s` : ''}, RSS ${Object.entries(rssByProcess).map(([n, v]) => `${n} ${v}`).join(', ')} MiB, drain after ingest ${round(result.drainAfterIngestMs / 1000)} s, duplicates ${duplicates}, mismatches ${mismatches}${drained ? '' : ', NOT drained'}`,
  );
  for (const e of result.mismatchExamples) log(`    ${e}`);
  if (serverAck) log(`    server-side ack (tossup_webhook_ack_seconds, first web process), share of POSTs within: ${JSON.stringify(serverAck)}`);
  log(`    ${spec.ratePerSecond ? 'sender process' : 'bench process (sender + sandbox)'} event-loop delay during the burst, ms: ${JSON.stringify(load.senderLoopDelayMs)}`);
  if (database) {
    const line = (label: string, d: typeof database.afterBurst) => `    database ${label}: ${d.databaseMiB} MiB, ${d.inboxRows} inbox rows; ${Object.entries(d.tablesMiB).map(([t, v]) => `${t} ${v}`).join(', ')} (MiB)`;
    log(line('after the burst', database.afterBurst));
    log(`    retention 8 days later: ${JSON.stringify(database.retention)}`);
    log(line('after retention + VACUUM', database.afterRetentionVacuum));
    log(line('after retention + VACUUM FULL', database.afterRetentionVacuumFull));
  }
  return result;
}
