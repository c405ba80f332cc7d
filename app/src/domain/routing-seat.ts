/**
 * When a hand-off stops counting against its rep's cap (issue 17): the cap counts open
 * hand-offs, `tossup_stage` sql or accepted and not closed. A hand-off is over once
 * the stage leaves those two (rejected, recycled: the lead went back), or once a
 * deal created from it is closed (won or lost: the work of this hand-off is done).
 */
import type { ContactSnapshot } from './types';

const OPEN_STAGES = new Set(['sql', 'accepted']);

export function routingSeatClosed(snapshot: ContactSnapshot, stageAfterPlan: string | null | undefined): boolean {
  const stage = stageAfterPlan ?? '';
  if (stage === 'rejected' || stage === 'recycled') return true;
  return OPEN_STAGES.has(stage) && (snapshot.deals ?? []).some((d) => d.closed);
}
