/**
 * 対応の重複 (duplicate outreach), pure. The article's designed flow is Marketing →
 * Inside Sales → Sales, each department taking over from the one before: that order
 * is never a warning, however close the touches are. What the article warns about is
 * uncoordinated contact within a short window (settings.overlapWindowHours):
 *  - against the flow: a department earlier in the flow reaching the lead after a
 *    later one did (Marketing mailing a lead Sales is working, IS calling after Sales);
 *  - after the hand-off: Marketing or IS reaching the lead while the rep owns it, or
 *    a Sales person other than the rep it was handed to (a former rep pitching
 *    another product);
 *  - two people of one department on the lead (two IS reps calling).
 * One warning per department pair: the latest.
 */
import type { Department } from './types';

export interface OutreachTouch {
  department: Department;
  /** Owner who made the contact; null when HubSpot does not say (a marketing e-mail open). */
  ownerId: string | null;
  at: number;
}

export interface HandoffMark {
  at: number;
  /** The Sales rep the lead was handed to. */
  repOwnerId: string | null;
}

/** Which of the rules above fired (the card names it). */
export type DuplicateOutreachRule = 'against_flow' | 'after_handoff' | 'other_rep' | 'same_department';

export interface DuplicateOutreach {
  departments: [Department, Department];
  rule: DuplicateOutreachRule;
  firstAt: number;
  secondAt: number;
}

const FLOW_RANK: Record<Department, number> = { marketing: 0, inside_sales: 1, sales: 2 };
const HOUR = 3_600_000;
const PRECISION: Record<DuplicateOutreachRule, number> = { against_flow: 0, same_department: 0, after_handoff: 1, other_rep: 1 };

const pairOf = (a: Department, b: Department): [Department, Department] => [a, b].sort() as [Department, Department];

/** Why touch `b` (later) duplicates touch `a` (earlier), if it does. */
function duplicates(a: OutreachTouch, b: OutreachTouch): DuplicateOutreachRule | null {
  if (a.department === b.department) return a.ownerId !== null && b.ownerId !== null && a.ownerId !== b.ownerId ? 'same_department' : null;
  return FLOW_RANK[b.department] < FLOW_RANK[a.department] ? 'against_flow' : null;
}

export function findDuplicateOutreach(touches: readonly OutreachTouch[], handoffs: readonly HandoffMark[], windowHours: number): DuplicateOutreach[] {
  const windowMs = windowHours * HOUR;
  const sorted = [...touches].sort((x, y) => x.at - y.at);
  const latest = new Map<string, DuplicateOutreach>();
  const record = (departments: [Department, Department], rule: DuplicateOutreachRule, firstAt: number, secondAt: number) => {
    const key = departments.join('|');
    const seen = latest.get(key);
    // On the same touch, the hand-off rules say more than the flow order ("after the hand-off to Sales").
    const better = !seen || secondAt > seen.secondAt || (secondAt === seen.secondAt && (PRECISION[rule] > PRECISION[seen.rule] || (rule === seen.rule && firstAt > seen.firstAt)));
    if (better) latest.set(key, { departments, rule, firstAt, secondAt });
  };
  sorted.forEach((b, i) => {
    for (const a of sorted.slice(0, i)) {
      const rule = b.at - a.at <= windowMs ? duplicates(a, b) : null;
      if (rule) record(pairOf(a.department, b.department), rule, a.at, b.at);
    }
    // The newest hand-off before this touch: the lead is the rep's from then on.
    const handoff = handoffs.filter((h) => h.at <= b.at).sort((x, y) => y.at - x.at)[0];
    if (!handoff || b.at - handoff.at > windowMs) return;
    if (b.department !== 'sales') record(pairOf('sales', b.department), 'after_handoff', handoff.at, b.at);
    else if (handoff.repOwnerId && b.ownerId && b.ownerId !== handoff.repOwnerId) record(['sales', 'sales'], 'other_rep', handoff.at, b.at);
  });
  return [...latest.values()].sort((x, y) => y.secondAt - x.secondAt || y.firstAt - x.firstAt);
}
