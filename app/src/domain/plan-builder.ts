/**
 * Accumulates a Plan while the flow runs, and lets later steps see the properties
 * earlier steps decided (the MQL step's stage feeds the hand-off step). Writes only
 * values that differ from the snapshot, comparing like HubSpot does: "" and missing
 * are the same, numbers and datetimes by value, not by spelling.
 */
import { parseHubSpotNumber, parseHubSpotTime } from './hubspot-values';
import { emptyPlan, type ContactSnapshot, type Plan } from './types';

function sameValue(name: string, a: string | null | undefined, b: string | null | undefined): boolean {
  const x = a ?? '';
  const y = b ?? '';
  if (x === y) return true;
  if (x === '' || y === '') return false;
  if (name.endsWith('_at') || name.endsWith('_date')) {
    const tx = parseHubSpotTime(x);
    return tx !== undefined && tx === parseHubSpotTime(y);
  }
  const nx = parseHubSpotNumber(x);
  return nx !== undefined && nx === parseHubSpotNumber(y);
}

export interface PlanBuilder {
  readonly plan: Plan;
  /** The value the contact will have after this plan: planned if any, else the snapshot's. */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  explain(ja: string, en: string): void;
}

export function createPlanBuilder(snapshot: ContactSnapshot): PlanBuilder {
  const plan = emptyPlan(snapshot.portalId, snapshot.contact.id);
  const original = snapshot.contact.properties;
  return {
    plan,
    get: (name) => (name in plan.contactProperties ? plan.contactProperties[name] : (original[name] ?? undefined)),
    set(name, value) {
      if (sameValue(name, original[name], value)) delete plan.contactProperties[name];
      else plan.contactProperties[name] = value;
    },
    explain(ja, en) {
      plan.explanations.push(`${ja} / ${en}`);
    },
  };
}

/** Appends `from` to `into` (SLA plans folded into a contact evaluation). */
export function mergeInto(into: PlanBuilder, from: Plan): void {
  for (const [k, v] of Object.entries(from.contactProperties)) into.set(k, v);
  const p = into.plan;
  p.ledgerAppend.push(...from.ledgerAppend);
  p.tasks.push(...from.tasks);
  p.notes.push(...from.notes);
  p.handoffLog.push(...from.handoffLog);
  p.transitions.push(...from.transitions);
  p.explanations.push(...from.explanations);
  if (from.slaClock !== undefined) p.slaClock = from.slaClock;
  if (from.roundRobinAssignment) p.roundRobinAssignment = from.roundRobinAssignment;
  if (from.routingClaim) p.routingClaim = from.routingClaim;
  if (from.routingRelease) p.routingRelease = true;
}

/** `山田 太郎` (family name first in Japanese, given name first in English) / the e-mail / `#123`, for task subjects. */
export function contactDisplayName(snapshot: ContactSnapshot, language: 'ja' | 'en' = 'ja'): string {
  const p = snapshot.contact.properties;
  const name = (language === 'ja' ? [p.lastname, p.firstname] : [p.firstname, p.lastname]).map((s) => s?.trim()).filter(Boolean).join(' ');
  if (name) return name;
  return p.email?.trim() || `#${snapshot.contact.id}`;
}
