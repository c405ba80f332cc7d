/**
 * Who gets the credit for a hand-off, and how it was triggered (docs/product.md,
 * `tossup_handoff_by` / `tossup_handoff_source`): the IS rep who pressed the card's
 * button, or the HubSpot user whose change completed the gate. The automatic
 * hand-off happens right after the change that made the SQL rule and the gate hold,
 * so that change is the newest entry in the history of the gate's inputs; HubSpot's
 * property history says who made it (`updatedByUserId`) and how (`sourceType`), and
 * the owners API maps the user to an owner (`userId`).
 * https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide (propertiesWithHistory)
 * https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide (owner userId)
 */
import type { HandoffSource } from '@tossup/shared/contract-properties';
import { BANT_ITEMS } from './facts';
import type { ContactSnapshot, HistoryValue, PortalDirectory } from './types';

/** The properties whose change can complete the SQL rule or the gate (read with history). */
export const GATE_INPUT_PROPERTIES: readonly string[] = [...BANT_ITEMS.map((b) => b.property), 'tossup_handoff_reason', 'notes_last_contacted'];

export interface HandoffCredit {
  /** The credited owner; absent when no user made the change (workflow, import, integration). */
  ownerId?: string;
  source: HandoffSource;
}

/**
 * HubSpot's history sourceType → how the hand-off was triggered. UNVERIFIED: the
 * exact sourceType HubSpot writes for workflow changes (AUTOMATION_PLATFORM is what
 * its history shows in our research; WORKFLOWS is accepted too).
 */
function sourceOf(entry: HistoryValue): HandoffSource {
  switch (entry.sourceType) {
    case 'IMPORT':
      return 'import';
    case 'AUTOMATION_PLATFORM':
    case 'WORKFLOWS':
      return 'workflow';
    case 'INTEGRATION':
    case 'API':
      return 'integration';
    case 'CRM_UI':
    case 'MOBILE_IOS':
    case 'MOBILE_ANDROID':
      return 'crm';
    default:
      return entry.updatedByUserId !== undefined ? 'crm' : 'automatic';
  }
}

function newest(entries: HistoryValue[]): HistoryValue | undefined {
  let best: HistoryValue | undefined;
  for (const e of entries) if (!best || e.timestamp > best.timestamp) best = e;
  return best;
}

/**
 * The credit for an automatic hand-off. A value HubSpot calculated itself
 * (notes_last_contacted after a logged call) names no user: then the newest gate
 * change a person made is the one that counts.
 */
export function creditAutomaticHandoff(snapshot: ContactSnapshot, directory: PortalDirectory): HandoffCredit {
  const entries = GATE_INPUT_PROPERTIES.flatMap((name) => snapshot.contactHistory?.[name] ?? []);
  let change = newest(entries);
  if (change && change.updatedByUserId === undefined && change.sourceType === 'CALCULATED') change = newest(entries.filter((e) => e.updatedByUserId !== undefined)) ?? change;
  if (!change) return { source: 'automatic' };
  const owner = change.updatedByUserId !== undefined ? directory.owners.find((o) => o.userId === change.updatedByUserId) : undefined;
  return owner ? { ownerId: owner.id, source: sourceOf(change) } : { source: sourceOf(change) };
}
