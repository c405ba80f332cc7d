/**
 * The side effects of a settings edit, spelled out before it is published (issue
 * 16): over the same sample as the stage preview (./settings-preview.ts), what the
 * edited rules would do that the current ones would not: hand-offs with their HIGH
 * tasks per rep, MQL follow-up tasks for IS, and stage moves. A task counts when the
 * edited plan has it and the current plan does not (tasks carry deterministic keys).
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { evaluateContact } from './evaluate';
import { previewSettingsChange, type EvaluateContact, type StageTransition } from './settings-preview';
import { tossupStageOf } from './tossup-stage';
import type { ContactSnapshot, EpochMs, Plan, PortalDirectory } from './types';

/** Contacts a full-portal impact run evaluates at most: a portal past this gets the first ones by record id, and the page says so. */
export const IMPACT_RUN_LIMIT = 100_000;

export interface SettingsImpact {
  /** Contacts the edit would hand off to Sales: each gets one HIGH task for its rep. */
  handoffs: number;
  handoffTasksByRep: { ownerId: string; count: number }[];
  /** New MQL follow-up tasks for IS. */
  mqlTasks: number;
  /** Contacts whose tossup stage the edit changes. */
  stageMoves: number;
}

const stageAfter = (s: ContactSnapshot, plan: Plan) => tossupStageOf({ ...s.contact.properties, ...plan.contactProperties });

export function impactOfChange(
  input: { snapshots: readonly ContactSnapshot[]; current: PortalSettings; edited: PortalSettings; directory: PortalDirectory; now: EpochMs },
  evaluate: EvaluateContact = evaluateContact,
): SettingsImpact {
  const { snapshots, current, edited, directory, now } = input;
  const byRep = new Map<string, number>();
  let handoffs = 0;
  let mqlTasks = 0;
  let stageMoves = 0;
  for (const snapshot of snapshots) {
    const before = evaluate(snapshot, current, directory, now);
    const after = evaluate(snapshot, edited, directory, now);
    if (stageAfter(snapshot, before) !== stageAfter(snapshot, after)) stageMoves += 1;
    const had = new Set(before.tasks.map((t) => t.key));
    for (const task of after.tasks) {
      if (had.has(task.key)) continue;
      if (task.key.startsWith('task:handoff:')) {
        handoffs += 1;
        byRep.set(task.ownerId, (byRep.get(task.ownerId) ?? 0) + 1);
      } else if (task.key.startsWith('task:mql:')) mqlTasks += 1;
    }
  }
  const handoffTasksByRep = [...byRep.entries()].map(([ownerId, count]) => ({ ownerId, count })).sort((a, b) => b.count - a.count || a.ownerId.localeCompare(b.ownerId));
  return { handoffs, handoffTasksByRep, mqlTasks, stageMoves };
}

/**
 * The preview's and the impact's counts over many pages of contacts (the full-portal
 * run, app/src/worker/impact-runner.ts): what `previewSettingsChange` and
 * `impactOfChange` give for all the contacts at once, accumulated page by page.
 */
export interface ImpactTally extends SettingsImpact {
  evaluated: number;
  changed: number;
  transitions: StageTransition[];
}

export function tallyImpact(
  tally: ImpactTally,
  input: { snapshots: readonly ContactSnapshot[]; current: PortalSettings; edited: PortalSettings; directory: PortalDirectory; now: EpochMs },
  evaluate: EvaluateContact = evaluateContact,
): ImpactTally {
  const preview = previewSettingsChange(input, evaluate);
  const impact = impactOfChange(input, evaluate);
  const transitions = tally.transitions.map((t) => ({ ...t }));
  for (const t of preview.transitions) {
    const same = transitions.find((x) => x.from === t.from && x.to === t.to);
    if (same) same.count += t.count;
    else transitions.push({ ...t });
  }
  const byRep = new Map(tally.handoffTasksByRep.map((r) => [r.ownerId, r.count]));
  for (const r of impact.handoffTasksByRep) byRep.set(r.ownerId, (byRep.get(r.ownerId) ?? 0) + r.count);
  return {
    evaluated: tally.evaluated + preview.evaluated,
    changed: tally.changed + preview.changed,
    // Most frequent first, ties in the order first met (Array.prototype.sort is stable).
    transitions: transitions.sort((a, b) => b.count - a.count),
    handoffs: tally.handoffs + impact.handoffs,
    handoffTasksByRep: [...byRep.entries()].map(([ownerId, count]) => ({ ownerId, count })).sort((a, b) => b.count - a.count || a.ownerId.localeCompare(b.ownerId)),
    mqlTasks: tally.mqlTasks + impact.mqlTasks,
    stageMoves: tally.stageMoves + impact.stageMoves,
  };
}
