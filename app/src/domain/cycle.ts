/**
 * A contact can go round the flow more than once: a rejected lead is recycled and
 * may qualify again after its cool-off. Each round is a "cycle", numbered by how many
 * rejections the ledger holds; idempotency keys carry the cycle, so a replayed
 * evaluation within one cycle finds its own MQL / hand-off and never repeats it,
 * while the next cycle can.
 */
import type { LedgerEntry } from './types';

export function currentCycle(signals: LedgerEntry[]): number {
  return signals.filter((s) => s.kind === 'rejected').length;
}

export function hasDecision(signals: LedgerEntry[], kind: 'mql' | 'handoff' | 'rejected', cycle: number): boolean {
  return signals.some((s) => s.kind === kind && s.signalKey === `${kind}:c${cycle}`);
}

/** End of the latest cool-off, if any. */
export function coolOffUntil(signals: LedgerEntry[]): number | undefined {
  let until: number | undefined;
  for (const s of signals) {
    if (s.kind !== 'rejected') continue;
    const v = s.details.coolOffUntil;
    if (typeof v === 'number' && (until === undefined || v > until)) until = v;
  }
  return until;
}
