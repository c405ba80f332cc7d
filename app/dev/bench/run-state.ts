import { NO_INBOX, type InboxCounts } from './inbox-monitor';

/**
 * What the phases of a running burst share: the sender's acked count, the latest
 * inbox counts, and the processes that crashed. `progress()` is the run's position
 * (0–1): half the acked share of the burst, half the processed share of its rows.
 */
export interface RunState {
  acked: number;
  counts: InboxCounts;
  /** Backend pids that died without being killed by the chaos controller. */
  crashed: Set<number>;
  progress(): number;
}

/** `before`: the inbox before the burst (rows from the install's reconciliation sweep are not the burst's). */
export function createRunState(totalEvents: number, before: InboxCounts = NO_INBOX): RunState {
  const state: RunState = {
    acked: 0,
    counts: { ...NO_INBOX },
    crashed: new Set(),
    progress: () => {
      const stored = state.counts.total - before.total;
      return (state.acked / totalEvents + (stored > 0 ? (state.counts.done - before.done) / stored : 0)) / 2;
    },
  };
  return state;
}
