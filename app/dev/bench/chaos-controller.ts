import { createPrng } from '../sandbox/prng';
import { databaseOutage } from './database-outage';
import type { RunState } from './run-state';
import type { ScenarioSpec } from './scenario-spec';
import type { SystemUnderTest } from './start-system';
import { round } from './stats-util';
import { SHUTDOWN_BOUND_MS } from '../../src/composition/stop-on-signals';

/**
 * The chaos of a run, at seeded points of its progress: kill -9 of a backend (then a
 * restart with the same port and instance id) and one database outage. The points are
 * drawn from `chaosSeed`, so the data stays that of `seed` while the chaos moves.
 */
export interface ChaosController {
  /** Takes the actions whose point has been reached; at most one step at a time. */
  step(): Promise<void>;
  /** A step is under way (a kill and restart, an outage). */
  readonly busy: boolean;
  /** Every planned action has been taken. */
  readonly finished: boolean;
  readonly kills: number;
  readonly restarts: number;
  /** The outage's length once it happened (0 before). */
  readonly outageMs: number;
  /** Progress at each action. */
  readonly at: number[];
  /** Actions that failed. */
  readonly errors: string[];
}

export function createChaosController(spec: ScenarioSpec, system: SystemUnderTest, state: RunState, log: (line: string) => void): ChaosController {
  const prng = createPrng((spec.chaosSeed ?? spec.seed) * 31 + 7);
  const [killFrom, killTo] = spec.chaos?.killWindow ?? [0.05, 0.9];
  const killAt = Array.from({ length: spec.chaos?.kills ?? 0 }, () => killFrom + prng.next() * (killTo - killFrom)).sort((a, b) => a - b);
  const outageAt = spec.chaos?.dbOutageMs ? 0.1 + prng.next() * 0.3 : undefined;
  const children = system.children;
  const progress = state.progress;
  let busy = false;
  let kills = 0;
  let restarts = 0;
  let outageMs = 0;
  const at: number[] = [];
  const errors: string[] = [];

  const step = async () => {
    if (busy || spec.impl !== 'tossup') return;
    busy = true;
    try {
      if (outageAt !== undefined && outageMs === 0 && progress() >= outageAt) {
        outageMs = spec.chaos!.dbOutageMs!;
        at.push(round(progress(), 3));
        log(`  chaos: database ${system.dbName} refuses connections for ${outageMs} ms (progress ${round(progress() * 100)} %)`);
        await databaseOutage(system.dbName, outageMs);
        log('  chaos: database back');
      }
      if (killAt.length > 0 && progress() >= killAt[0]!) {
        killAt.shift();
        at.push(round(progress(), 3));
        const victim = kills % children.length;
        if (spec.chaos?.killSignal === 'SIGTERM') {
          log(`  chaos: SIGTERM backend-${victim} (pid ${children[victim]!.pid}) at progress ${round(progress() * 100)} %`);
          const { code, ms } = await children[victim]!.terminate();
          log(`  chaos: backend-${victim} exited ${String(code)} after ${ms} ms`);
          // A graceful stop exits 0 within its bound; anything else makes this an invalid run.
          if (code !== 0 || ms > SHUTDOWN_BOUND_MS) errors.push(`backend-${victim} exited ${String(code)} after ${ms} ms on SIGTERM (bound ${SHUTDOWN_BOUND_MS} ms)`);
        } else {
          log(`  chaos: kill -9 backend-${victim} (pid ${children[victim]!.pid}) at progress ${round(progress() * 100)} %`);
          await children[victim]!.kill9();
        }
        kills++;
        children[victim] = await system.restartBackend(victim);
        restarts++;
      }
    } catch (err) {
      log(`  chaos action failed: ${(err as Error).message}`);
      errors.push((err as Error).message);
    } finally {
      busy = false;
    }
  };

  return {
    step,
    get busy() {
      return busy;
    },
    get finished() {
      return killAt.length === 0 && (outageAt === undefined || outageMs > 0);
    },
    get kills() {
      return kills;
    },
    get restarts() {
      return restarts;
    },
    get outageMs() {
      return outageMs;
    },
    at,
    errors,
  };
}
