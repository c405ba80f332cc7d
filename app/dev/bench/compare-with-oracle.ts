import { createHash } from 'node:crypto';
import type { Clock } from '../../src/platform/clock';
import type { Sandbox } from '../sandbox';
import type { Burst } from './generate-load';
import { addTerms, emptyTerms, portalLowerBound, sumTerms, type CMinTerms } from './lower-bound';
import { buildOracle, checkPortal, type PortalCheck, type PortalOracle } from './oracle';

/**
 * The oracle comparison after the drain: each portal's final state against the pure
 * core's single evaluation (oracle.ts), and the lower-bound figures (README.md, "Design") that come with it
 * (K touched contacts, U contacts to write, T tasks, C_min the least possible calls,
 * summed from its terms in lower-bound.ts).
 */
export interface OracleComparison {
  K: number;
  U: number;
  T: number;
  cMin: number;
  /** C_min's terms summed over portals (lower-bound.ts). */
  cMinTerms: CMinTerms;
  mismatches: number;
  duplicates: number;
  mismatchExamples: string[];
  /** Hash of the compared final state; equal for runs that end in the same state. */
  stateDigest: string;
}

export function compareWithOracle(sandbox: Sandbox, burst: Burst, clock: Clock): OracleComparison {
  const { workloads, initial } = burst;
  const oracles: PortalOracle[] = workloads.map((w) => buildOracle(w.portalId, sandbox.portal(w.portalId), initial.get(w.portalId)!, clock.now()));
  const checks: PortalCheck[] = oracles.map((o) => checkPortal(sandbox, o));
  let cMinTerms = emptyTerms();
  let K = 0;
  let U = 0;
  let T = 0;
  for (const [i, o] of oracles.entries()) {
    const k = workloads[i]!.touched;
    K += k;
    U += o.U;
    T += o.T;
    cMinTerms = addTerms(cMinTerms, portalLowerBound(sandbox.portal(o.portalId), initial.get(o.portalId)!, { U: o.U, T: o.T, notes: o.N, handoffs: o.handoffs }));
  }
  return {
    K,
    U,
    T,
    cMin: sumTerms(cMinTerms),
    cMinTerms,
    mismatches: checks.reduce((n, c) => n + c.mismatches, 0),
    duplicates: checks.reduce((n, c) => n + c.duplicateSideEffects, 0),
    mismatchExamples: checks.flatMap((c) => c.examples).slice(0, 5),
    stateDigest: createHash('sha256').update(checks.flatMap((c) => c.digest).join('\n')).digest('hex').slice(0, 16),
  };
}
