import type { BenchChild } from './child-process';

/**
 * Everything a run starts, in start order, so that it is undone however the run ends
 * (half-way through set-up included): the child processes are stopped first, then the
 * other resources are released in reverse order (database pool, database, sandbox,
 * temp folder).
 */
export interface Teardown {
  /** The live backend (or baseline) processes; the chaos controller replaces restarted ones in place. */
  children: BenchChild[];
  add(cleanup: () => Promise<unknown>): void;
  /** The children's output, for a run that failed. */
  dumpOutput(): void;
  run(): Promise<void>;
}

export function createTeardown(): Teardown {
  const children: BenchChild[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  return {
    children,
    add: (cleanup) => void cleanups.push(cleanup),
    dumpOutput: () => {
      for (const c of children) process.stderr.write(`--- ${c.name} output ---\n${c.output()}\n`);
    },
    run: async () => {
      for (const c of children) await c.stop().catch(() => undefined);
      for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    },
  };
}
