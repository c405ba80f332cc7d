/**
 * An IS rep saving the BANT checklist, the notes and the hand-off reason from the
 * sidebar card (docs/product.md §4). The plan writes only what differs from the contact,
 * so saving an unchanged form writes nothing; whatever a person typed into
 * `tossup_bant_notes` by hand that is not one of the four items is kept.
 *
 * When the save completes the gate and the automatic hand-off fires, the hand-off is
 * part of the same plan and credits the IS rep who saved (`tossup_handoff_source` =
 * `card`): the app writes the form with its own token, so HubSpot's property history
 * would name the app, not the person (handoff-credit.ts), and the webhook for that write
 * would otherwise hand the lead off as `integration`, credited to nobody.
 */
import { parseBantNotes, serializeBantNotes, type BantNotes } from '@tossup/shared/bant-notes';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { evaluateContact } from './evaluate';
import { BANT_ITEMS } from './facts';
import { emptyPlan, type ContactSnapshot, type Plan, type PortalDirectory } from './types';

export interface BantEdit {
  bant: Record<(typeof BANT_ITEMS)[number]['key'], boolean>;
  notes: BantNotes;
  reason: string;
}

/** The plan of the edit; no contact property in it when nothing changed. */
export function planBantEdit(snapshot: ContactSnapshot, edit: BantEdit, actor: { userId: string }): Plan {
  const current = snapshot.contact.properties;
  const { other } = parseBantNotes(current.tossup_bant_notes);
  const wanted: Record<string, string> = {
    tossup_bant_count: String(BANT_ITEMS.filter((b) => edit.bant[b.key]).length),
    tossup_bant_notes: serializeBantNotes(edit.notes, other),
    tossup_handoff_reason: edit.reason.trim(),
  };
  for (const b of BANT_ITEMS) wanted[b.property] = String(edit.bant[b.key]);
  const plan = emptyPlan(snapshot.portalId, snapshot.contact.id);
  for (const [name, value] of Object.entries(wanted)) if ((current[name] ?? '') !== value) plan.contactProperties[name] = value;
  plan.explanations.push(`card: BANT/reason updated by user ${actor.userId}`);
  return plan;
}

/**
 * The card's BANT save: the edit, plus the automatic hand-off when the edit completes
 * the gate, credited to the saving user's owner. Without a hand-off the plan is the edit
 * alone (the pipeline evaluates the rest when HubSpot's webhook for the write arrives).
 */
export function planBantSave(
  snapshot: ContactSnapshot,
  edit: BantEdit,
  settings: PortalSettings,
  directory: PortalDirectory,
  now: number,
  actor: { userId: string; ownerId: string | null },
): Plan {
  const plan = planBantEdit(snapshot, edit, actor);
  if (Object.keys(plan.contactProperties).length === 0) return plan;
  const after: ContactSnapshot = { ...snapshot, contact: { ...snapshot.contact, properties: { ...snapshot.contact.properties, ...plan.contactProperties } } };
  const credit = { source: 'card' as const, ...(actor.ownerId ? { ownerId: actor.ownerId } : {}) };
  const evaluation = evaluateContact(after, settings, directory, now, { credit });
  if (!evaluation.handoffLog.some((e) => e.action === 'handoff')) return plan;
  return {
    ...evaluation,
    // The edit and the hand-off land in one write: the gate's inputs and the stage together.
    contactProperties: { ...plan.contactProperties, ...evaluation.contactProperties },
    explanations: [...plan.explanations, ...evaluation.explanations],
  };
}
