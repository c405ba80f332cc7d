import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { evaluateContact } from '../../src/domain/evaluate';
import type { PortalDirectory } from '../../src/domain/types';
import { findMarker } from '../../src/hubspot/side-effect-marker';
import type { Sandbox } from '../sandbox';
import { lifecycleOrder, type PortalState } from '../sandbox/portal-state';

/**
 * The expected final state, from the pure core alone: every contact's final inputs
 * (its properties before the burst's processing, which already hold the final
 * hs_email_open and form data) evaluated once with an empty ledger. Because the core
 * is idempotent and coalescing (evaluate(state) then evaluate(applied) = no writes),
 * any correct incremental processing of the burst, in any order, in any batches,
 * across restarts and processes, must end where this single evaluation ends.
 *
 * Compared: the values that do not depend on *when* or *by whom* a contact was
 * processed — score (total and parts), tossup_stage, lifecyclestage, and the number of
 * tasks and notes per contact. Timestamps (tossup_mql_at) and the round-robin owner
 * legitimately depend on processing order and are left out.
 */
export const COMPARED_PROPERTIES = ['tossup_score', 'tossup_score_behavior', 'tossup_score_attribute', 'tossup_stage', 'lifecyclestage'] as const;

export interface Expected {
  properties: Record<string, string>;
  tasks: number;
  notes: number;
  /** The core wanted to write at least one property (U of C_min, README.md). */
  writes: boolean;
}

export interface PortalOracle {
  portalId: number;
  expected: Map<string, Expected>;
  /** Contacts needing a property write. */
  U: number;
  /** Tasks to create. */
  T: number;
  /** Notes to create. */
  N: number;
  /** Contacts whose plan creates a task or a note (hand-offs): their open deals are read (app/src/engine/open-deals.ts). */
  handoffs: string[];
}

export function directoryOf(portal: PortalState): PortalDirectory {
  const teams = new Map(portal.teams.map((t) => [t.id, t.name]));
  return {
    owners: portal.owners.map((o) => ({
      id: o.id,
      userId: o.userId,
      email: o.email,
      firstName: o.firstName,
      lastName: o.lastName,
      archived: o.archived,
      teams: o.teamIds.map((id, i) => ({ id, name: teams.get(id) ?? '', primary: i === 0 })),
    })),
    lifecycleStages: lifecycleOrder(portal, 'contacts'),
    roundRobinCounts: { inside_sales: {}, sales: {} },
    timeZone: portal.timeZone,
  };
}

export function buildOracle(portalId: number, portal: PortalState, initial: Map<string, Record<string, string>>, now: number): PortalOracle {
  const directory = directoryOf(portal);
  const expected = new Map<string, Expected>();
  let U = 0;
  let T = 0;
  let N = 0;
  const handoffs: string[] = [];
  for (const [contactId, properties] of initial) {
    // The primary company as the app reads it (associatedcompanyid, attribute scoring).
    const companyId = properties.associatedcompanyid;
    const company = companyId ? portal.objects.companies[companyId] : undefined;
    const plan = evaluateContact(
      { portalId: String(portalId), contact: { id: contactId, properties }, ledger: [], observations: [], ...(company ? { company: { id: company.id, properties: { ...company.properties } } } : {}) },
      DEFAULT_SETTINGS,
      directory,
      now,
    );
    const writes = Object.keys(plan.contactProperties).length > 0;
    if (writes) U++;
    T += plan.tasks.length;
    N += plan.notes.length;
    if (plan.tasks.length + plan.notes.length > 0) handoffs.push(contactId);
    const finalProps = { ...properties, ...plan.contactProperties };
    expected.set(contactId, {
      properties: Object.fromEntries(COMPARED_PROPERTIES.map((p) => [p, finalProps[p] ?? ''])),
      tasks: plan.tasks.length,
      notes: plan.notes.length,
      writes,
    });
  }
  return { portalId, expected, U, T, N, handoffs };
}

export interface PortalCheck {
  contacts: number;
  mismatches: number;
  /** The first few differences, for the report. */
  examples: string[];
  /** Tasks and notes associated with the burst's contacts. */
  sideEffects: number;
  /** Objects beyond the first per idempotency marker (must be 0). */
  duplicateSideEffects: number;
  /** A per-contact digest of the compared state (equal digests = equal final state). */
  digest: string[];
}

function engagementsByContact(portal: PortalState, type: 'tasks' | 'notes'): { perContact: Map<string, number>; duplicates: number; total: number } {
  const perContact = new Map<string, number>();
  const markers = new Map<string, number>();
  let total = 0;
  for (const obj of Object.values(portal.objects[type])) {
    if (obj.archived) continue;
    const marker = findMarker(obj.properties[type === 'tasks' ? 'hs_task_body' : 'hs_note_body']);
    if (marker) markers.set(marker, (markers.get(marker) ?? 0) + 1);
    total++;
    for (const to of Object.keys(portal.associations[`${type}:${obj.id}`] ?? {})) {
      if (to.startsWith('contacts:')) perContact.set(to.slice('contacts:'.length), (perContact.get(to.slice('contacts:'.length)) ?? 0) + 1);
    }
  }
  let duplicates = 0;
  for (const n of markers.values()) duplicates += n - 1;
  return { perContact, duplicates, total };
}

export function checkPortal(sandbox: Sandbox, oracle: PortalOracle): PortalCheck {
  const portal = sandbox.portal(oracle.portalId);
  const tasks = engagementsByContact(portal, 'tasks');
  const notes = engagementsByContact(portal, 'notes');
  const examples: string[] = [];
  const digest: string[] = [];
  let mismatches = 0;
  let excess = 0;
  let made = 0;
  for (const [contactId, exp] of oracle.expected) {
    const actual = portal.objects.contacts[contactId]?.properties ?? {};
    const diffs: string[] = [];
    for (const p of COMPARED_PROPERTIES) if ((actual[p] ?? '') !== exp.properties[p]) diffs.push(`${p}: ${actual[p] ?? '∅'} ≠ ${exp.properties[p] || '∅'}`);
    const t = tasks.perContact.get(contactId) ?? 0;
    const n = notes.perContact.get(contactId) ?? 0;
    excess += Math.max(0, t - exp.tasks) + Math.max(0, n - exp.notes);
    made += t + n;
    if (t !== exp.tasks) diffs.push(`tasks: ${t} ≠ ${exp.tasks}`);
    if (n !== exp.notes) diffs.push(`notes: ${n} ≠ ${exp.notes}`);
    if (diffs.length > 0) {
      mismatches++;
      if (examples.length < 5) examples.push(`portal ${oracle.portalId} contact ${contactId}: ${diffs.join('; ')}`);
    }
    digest.push(`${contactId}:${COMPARED_PROPERTIES.map((p) => actual[p] ?? '').join('|')}|t${t}|n${n}`);
  }
  // Duplicates: copies per idempotency marker (the app's objects carry one), or, for
  // objects without a marker (the naive baseline's), tasks/notes beyond what the core
  // planned for the contact. The larger of the two, so nothing is counted twice.
  return {
    contacts: oracle.expected.size,
    mismatches,
    examples,
    sideEffects: made,
    duplicateSideEffects: Math.max(tasks.duplicates + notes.duplicates, excess),
    digest,
  };
}
