import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/**
 * `BENCH_HEAP_PROF=worker-0`: a sampling heap profile of that bench child taken at its
 * RSS peak, so a missed memory target is explained by what was alive then, not guessed.
 *
 * V8's sampling heap profiler (inspector `HeapProfiler.startSampling`) keeps a sample of
 * the allocations that are still alive; `getSamplingProfile` returns them as a call tree.
 * Every time the process's RSS passes its previous peak by `stepBytes`, a profile is taken
 * and written (overwriting the previous one), with a text summary next to it:
 *   - process.memoryUsage() and V8's heap statistics at that moment: what RSS is made of
 *     (live JS heap, heap V8 reserved but not used, buffers outside the heap, the rest);
 *   - the top allocation sites by live sampled bytes (function, source file:line through
 *     the build's source maps);
 *   - the same bytes charged to the nearest frame of our own code (app/src, app/dev):
 *     which of our functions keeps the memory alive through library calls.
 * Files: `<dir>/<name>.heapprofile` (open in Chrome DevTools, Memory tab) and
 * `<dir>/<name>-heap-summary.txt`. The profiler's own cost (a sample per 32 KiB on
 * average, a few MB of bookkeeping) is part of the RSS it reports.
 */
export interface HeapAtPeakOptions {
  name: string;
  dir: string;
  stepBytes?: number;
  samplingInterval?: number;
  top?: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

/** file:line of a frame, through the source map when the bundle has one (`--enable-source-maps`). */
function where(frame: CallFrame): string {
  if (!frame.url) return '(native)';
  const map = frame.url.startsWith('file:') ? findSourceMap(frame.url) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    return `${shortPath(entry.originalSource)}:${entry.originalLine + 1}`;
  }
  return `${shortPath(frame.url)}:${frame.lineNumber + 1}`;
}

function shortPath(url: string): string {
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm);
  const app = p.search(/\/(app|extensions|dist)\//);
  return app >= 0 ? p.slice(app + 1) : path.basename(p);
}

const isOurs = (site: string) => /^(app\/(src|dev)|extensions)\//.test(site);

/** Aggregates a sampling profile into a text summary (exported for its test). */
export function summariseProfile(head: ProfileNode, top: number): { text: string; totalSampled: number } {
  const bySite = new Map<string, number>();
  const byOurs = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, ours: string | undefined) => {
    const site = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame)}`;
    const nearestOurs = isOurs(where(node.callFrame)) ? site : ours;
    if (node.selfSize > 0) {
      total += node.selfSize;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      const key = nearestOurs ?? '(no frame of ours: runtime, library or V8 internals)';
      byOurs.set(key, (byOurs.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, nearestOurs);
  };
  walk(head, undefined);
  const table = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${mib(v).padStart(10)}  ${((100 * v) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  const text = [`live sampled JS allocations: ${mib(total)}`, `top allocation sites (self):`, table(bySite), `charged to the nearest frame of our code:`, table(byOurs)].join('\n');
  return { text, totalSampled: total };
}

function memoryLines(): string {
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.space_size > MiB)
    .map((s) => `    ${s.space_name.padEnd(24)} size ${mib(s.space_size).padStart(10)}  used ${mib(s.space_used_size).padStart(10)}`)
    .join('\n');
  return [
    `rss ${mib(m.rss)} = JS heap reserved ${mib(m.heapTotal)} (live ${mib(m.heapUsed)}) + buffers outside the heap ${mib(m.arrayBuffers)} (external ${mib(m.external)}) + code, stacks, malloc and the rest ${mib(m.rss - m.heapTotal - m.arrayBuffers)}`,
    `v8: total_heap_size ${mib(h.total_heap_size)}, used_heap_size ${mib(h.used_heap_size)}, malloced_memory ${mib(h.malloced_memory)} (peak ${mib(h.peak_malloced_memory)}), heap_size_limit ${mib(h.heap_size_limit)}`,
    `  heap spaces over 1 MiB:`,
    spaces,
  ].join('\n');
}

export async function startHeapAtPeak(options: HeapAtPeakOptions): Promise<() => void> {
  const { name, dir, stepBytes = 8 * MiB, samplingInterval = 32 * 1024, top = 25 } = options;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval });
  let peak = 0;
  let busy = false;
  const started = Date.now();
  const capture = async () => {
    const rss = process.memoryUsage.rss();
    if (busy || rss < peak + stepBytes) return;
    busy = true;
    try {
      peak = rss;
      const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as { profile: { head: ProfileNode } };
      writeFileSync(path.join(dir, `${name}.heapprofile`), JSON.stringify(profile));
      const { text } = summariseProfile(profile.head, top);
      const header = `${name}: heap at RSS peak ${mib(rss)}, ${((Date.now() - started) / 1000).toFixed(1)} s after start (sampling every ${samplingInterval} B)`;
      writeFileSync(path.join(dir, `${name}-heap-summary.txt`), `${header}\n${memoryLines()}\n${text}\n`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void capture(), 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    session.disconnect();
  };
}
