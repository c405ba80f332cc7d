import { describe, expect, it } from 'vitest';
import { summariseProfile } from '../../../dev/bench/heap-at-peak';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });
const node = (f: ReturnType<typeof frame>, selfSize: number, children: unknown[] = []) => ({ callFrame: f, selfSize, children }) as Parameters<typeof summariseProfile>[0];

describe('summariseProfile (BENCH_HEAP_PROF summary)', () => {
  // A library allocation under one of our functions is charged to ours; one with no frame of ours is listed apart.
  const root = node(frame('(root)', ''), 0, [
    node(frame('processBatch', 'file:///repo/app/src/worker/process-batch.ts', 41), 1024, [
      node(frame('parse', 'file:///repo/node_modules/pg/lib/result.js', 9), 4096),
    ]),
    node(frame('(GC roots)', ''), 2048),
  ]);

  it('totals the live samples and ranks the allocation sites', () => {
    const { text, totalSampled } = summariseProfile(root, 10);
    expect(totalSampled).toBe(7168);
    const sites = text.split('charged to')[0]!;
    expect(sites.indexOf('parse node_modules/pg/lib/result.js:10')).toBeLessThan(sites.indexOf('(GC roots)'));
  });

  it('charges library allocations to the nearest frame of our code', () => {
    const charged = summariseProfile(root, 10).text.split('charged to the nearest frame of our code:')[1]!;
    const lines = charged.trim().split('\n');
    expect(lines[0]).toMatch(/71\.4 %\s+processBatch app\/src\/worker\/process-batch\.ts:42$/);
    expect(lines[1]).toMatch(/no frame of ours/);
  });
});
