/**
 * The settings page's "preview the effect" (docs/product.md §8): for a sample of current
 * contacts, the stage each reaches under the current rules versus under the edited
 * ones. Only the edit counts: a contact the current rules would also move (pipeline
 * lag) is not a change, because both sides are evaluated at the same `now`.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { evaluateContact } from './evaluate';
import { tossupStageOf } from './tossup-stage';
import type { ContactSnapshot, EpochMs, Plan, PortalDirectory, TossupStage } from './types';

/** The engine's evaluation; the card API passes its injected engine so both paths agree. */
export type EvaluateContact = (snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs) => Plan;

export interface StageTransition {
  from: TossupStage;
  to: TossupStage;
  count: number;
}

export interface SettingsPreview {
  evaluated: number;
  changed: number;
  /** Most frequent first; equal counts in the order the sample first met them. */
  transitions: StageTransition[];
}

/** The stage the contact has once the evaluation's plan is applied. */
export function stageUnder(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs, evaluate: EvaluateContact = evaluateContact): TossupStage {
  const plan = evaluate(snapshot, settings, directory, now);
  return tossupStageOf({ ...snapshot.contact.properties, ...plan.contactProperties });
}

export function previewSettingsChange(
  input: { snapshots: readonly ContactSnapshot[]; current: PortalSettings; edited: PortalSettings; directory: PortalDirectory; now: EpochMs },
  evaluate: EvaluateContact = evaluateContact,
): SettingsPreview {
  const { snapshots, current, edited, directory, now } = input;
  const transitions = new Map<string, StageTransition>();
  let changed = 0;
  for (const snapshot of snapshots) {
    const before = stageUnder(snapshot, current, directory, now, evaluate);
    const after = stageUnder(snapshot, edited, directory, now, evaluate);
    if (before === after) continue;
    changed += 1;
    const key = `${before}>${after}`;
    const t = transitions.get(key) ?? { from: before, to: after, count: 0 };
    t.count += 1;
    transitions.set(key, t);
  }
  return { evaluated: snapshots.length, changed, transitions: [...transitions.values()].sort((a, b) => b.count - a.count) };
}
