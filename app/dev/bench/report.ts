import { describeTerms } from './lower-bound';
import type { ScenarioResult } from './run-scenario';

/** Markdown for app/dev/bench/results/latest.md and the console. */
export function resultsTable(runs: ScenarioResult[]): string {
  const head = [
    'run',
    'impl',
    'portals×inst',
    'N',
    'K',
    'U',
    'T',
    'C_min',
    'C_min terms',
    'calls',
    'calls/event',
    'ratio (basis)',
    '429',
    'ack p50/p95/p99 ms',
    'events/s',
    'drain s',
    'drain after ingest s',
    'RSS MiB per process',
    'dups',
    'state',
  ];
  const rows = runs.map((r) => [
    r.name,
    r.impl,
    `${r.portals}×${r.instances}`,
    r.events,
    r.K,
    r.U,
    r.T,
    r.cMin,
    r.cMinTerms ? describeTerms(r.cMinTerms) : '—',
    r.calls,
    r.callsPerEvent,
    r.ratioBasis !== undefined ? `${r.ratio} (${r.ratioBasis})` : r.ratio,
    r.rateLimited,
    `${r.ackMs.p50}/${r.ackMs.p95}/${r.ackMs.p99}`,
    r.eventsPerSecond,
    (r.durationMs / 1000).toFixed(1),
    ((r.drainAfterIngestMs ?? 0) / 1000).toFixed(1),
    rssCell(r),
    r.duplicates,
    r.correct
      ? 'exact'
      : `${r.mismatches} wrong${r.droppedEvents ? `, ${r.droppedEvents} dropped` : ''}${r.parkedEvents ? `, ${r.parkedEvents} parked` : ''}${r.drained ? '' : ', not drained'}`,
  ]);
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `web-0 120 / worker-0 180`: the peak of each process (older results: the one peak). */
function rssCell(r: ScenarioResult): string {
  const by = Object.entries(r.rssMiBByProcess ?? {});
  return by.length > 1 ? by.map(([n, v]) => `${n} ${v}`).join(' / ') : String(r.peakRssMiB);
}

export interface TargetCheck {
  target: string;
  met: boolean | null;
  figure: string;
}

export function targetsTable(targets: TargetCheck[]): string {
  return ['| target | result | figure |', '| --- | --- | --- |', ...targets.map((t) => `| ${t.target} | ${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'} | ${t.figure} |`)].join('\n');
}

export function evaluateTargets(runs: ScenarioResult[], burst: ScenarioResult | undefined): TargetCheck[] {
  const app = runs.filter((r) => r.impl === 'tossup' && r.kills === 0 && r.dbOutageMs === 0 && r.injectedFaults === 0);
  const all = runs.filter((r) => r.impl === 'tossup');
  const worst = <T,>(list: ScenarioResult[], f: (r: ScenarioResult) => T, cmp: (a: T, b: T) => boolean) =>
    list.reduce<{ r: ScenarioResult; v: T } | undefined>((acc, r) => (acc === undefined || cmp(f(r), acc.v) ? { r, v: f(r) } : acc), undefined);
  const out: TargetCheck[] = [];
  const ratio = worst(app, (r) => r.ratio, (a, b) => a > b);
  out.push({ target: 'C_actual / C_min ≤ 1.1 (undisturbed runs)', met: ratio ? ratio.v <= 1.1 : null, figure: ratio ? `worst ${ratio.v} (${ratio.r.name}: ${ratio.r.calls} calls vs ${ratio.r.ratioBasis ?? ratio.r.cMin}, C_min ${ratio.r.cMin})` : '—' });
  // Runs with injected faults are left out: the sandbox counts its injected 429s too.
  const honest = all.filter((r) => r.injectedFaults === 0);
  const r429 = honest.reduce((n, r) => n + r.rateLimited, 0);
  out.push({ target: 'zero 429s', met: honest.length ? r429 === 0 : null, figure: `${r429} over ${honest.length} app runs without injected faults` });
  const ack = worst(all, (r) => r.ackMs.p95, (a, b) => a > b);
  out.push({ target: 'webhook ack p95 < 50 ms', met: ack ? ack.v < 50 : null, figure: ack ? `worst p95 ${ack.v} ms (${ack.r.name}${ack.r.kills ? ', chaos' : ''})` : '—' });
  const sustained = all.find((r) => r.ratePerSecond);
  if (sustained) {
    out.push({
      target: `webhook ack p95 < 50 ms at a sustained ${sustained.ratePerSecond} events/s while draining`,
      met: sustained.ackMs.p95 < 50,
      figure: `p50/p95/p99 ${sustained.ackMs.p50}/${sustained.ackMs.p95}/${sustained.ackMs.p99} ms (${sustained.name}, ${sustained.instances} instance(s)${Object.keys(sustained.rssMiBByProcess ?? {}).length > sustained.instances ? ', web and worker split' : ''})`,
    });
  }
  const dups = all.reduce((n, r) => n + r.duplicates, 0);
  out.push({ target: 'zero duplicate side effects', met: all.length ? dups === 0 : null, figure: `${dups}` });
  const wrong = all.filter((r) => !r.correct);
  out.push({ target: 'exact final state (oracle)', met: all.length ? wrong.length === 0 : null, figure: wrong.length ? `wrong in ${wrong.map((r) => r.name).join(', ')}` : `${all.length}/${all.length} runs exact` });
  out.push({
    target: 'RSS < 256 MiB through a 100k-event burst',
    met: burst ? burst.peakRssMiB < 256 : null,
    figure: burst ? `${burst.peakRssMiB} MiB peak over ${burst.events} events (per process: ${rssCell(burst)}; drain after ingest ${((burst.drainAfterIngestMs ?? 0) / 1000).toFixed(1)} s)` : 'run with --burst 100000',
  });
  const card = all.find((r) => r.card)?.card;
  const cardOk = card ? (card.statuses['200'] ?? 0) === card.requests : false;
  out.push({
    target: 'card API p95 < 150 ms (warm cache)',
    met: card ? (cardOk ? card.p95 < 150 : false) : null,
    figure: card ? `p95 ${card.p95} ms over ${card.requests} GET handoff; statuses ${JSON.stringify(card.statuses)}` : '—',
  });
  return out;
}
