import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/platform/clock';

/**
 * Sandbox mode's one clock (app/dev/sandbox/sandbox-mode.ts): the wall clock plus an
 * offset that `advance` adds, shared by the sandbox and the backend so the SLA sweep,
 * reminders and escalations follow it. The offset is saved next to the sandbox state:
 * deadlines stored in shifted time stay meaningful after a restart.
 */
export function createPersistentSandboxClock(file: string): Clock & { advance(ms: number): void } {
  let offset = 0;
  if (existsSync(file)) {
    const saved = (JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown }).offsetMs;
    if (typeof saved === 'number' && Number.isFinite(saved)) offset = saved;
  }
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ offsetMs: offset }) + '\n');
    },
  };
}
