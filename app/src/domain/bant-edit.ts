/**
 * An IS rep saving the BANT checklist, the notes and the hand-off reason from the
 * sidebar card (docs/product.md §4). The plan writes only what differs from the contact,
 * so saving an unchanged form writes nothing; whatever a person typed into
 * `tossup_bant_notes` by hand that is not one of the four items is kept.
 */
import { parseBantNotes, serializeBantNotes, type BantNotes } from '@tossup/shared/bant-notes';
import { BANT_ITEMS } from './facts';
import { emptyPlan, type ContactSnapshot, type Plan } from './types';

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
