/**
 * A small portal for the engine tests, and a stand-in for the pipeline's applier
 * (applyToSnapshot) so tests can check "apply, evaluate again → nothing more to do".
 */
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, Owner, Plan, PortalDirectory, Properties } from '../../src/domain/types';
import type { Facts } from '../../src/domain/rule-expression';

export const T0 = Date.UTC(2025, 3, 1, 1, 0); // 2025-04-01 (Tue) 10:00 JST
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const team = (id: string, name: string, primary = true) => ({ id, name, primary });
export const TEAMS = {
  is: team('10', 'インサイドセールス部'),
  sales: team('20', 'フィールドセールス1課'),
  marketing: team('30', 'マーケティング部'),
};

export const OWNERS: Owner[] = [
  { id: '101', archived: false, teams: [TEAMS.is], firstName: '花子', lastName: 'IS' },
  { id: '102', archived: false, teams: [TEAMS.is] },
  { id: '201', archived: false, teams: [TEAMS.sales] },
  { id: '202', archived: false, teams: [TEAMS.sales] },
  { id: '203', archived: true, teams: [TEAMS.sales] },
  { id: '301', archived: false, teams: [TEAMS.marketing] },
  { id: '901', archived: false, teams: [] }, // a sales manager, escalation owner
];

export function directory(overrides: Partial<PortalDirectory> = {}): PortalDirectory {
  return {
    owners: OWNERS,
    lifecycleStages: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'],
    roundRobinCounts: { inside_sales: {}, sales: {} },
    timeZone: 'Asia/Tokyo',
    ...overrides,
  };
}

export function settings(edit?: (s: PortalSettings) => void): PortalSettings {
  const s = structuredClone(DEFAULT_SETTINGS);
  edit?.(s);
  return s;
}

export function snapshot(props: Properties = {}, extra: Partial<ContactSnapshot> = {}): ContactSnapshot {
  return {
    portalId: '555',
    contact: { id: '7001', properties: { firstname: '太郎', lastname: '山田', lifecyclestage: 'lead', ...props } },
    ledger: [],
    observations: [],
    ...extra,
  };
}

/** A contact that satisfies the default SQL rule and gate. */
export const READY_FOR_HANDOFF: Properties = {
  tossup_bant_need: 'true',
  tossup_bant_timeline: 'true',
  notes_last_contacted: '2025-03-31T05:00:00Z',
  tossup_handoff_reason: '来期の全社導入を検討中。決裁者と面談予定あり',
};

/** What the pipeline does with a plan, reduced to what the next evaluation reads. */
export function applyToSnapshot(s: ContactSnapshot, plan: Plan, dir?: PortalDirectory): ContactSnapshot {
  const properties = { ...s.contact.properties, ...plan.contactProperties };
  const ledger = [...s.ledger, ...plan.ledgerAppend.filter((e) => !s.ledger.some((l) => l.signalKey === e.signalKey))];
  const next: ContactSnapshot = { ...s, contact: { ...s.contact, properties }, ledger, observations: [] };
  if (plan.slaClock === null) delete next.slaClock;
  else if (plan.slaClock) next.slaClock = plan.slaClock;
  if (dir && plan.routingClaim) {
    // What the applier's claim does (app/src/storage/routing-assignment-store.ts).
    const { poolKey, ownerId } = plan.routingClaim;
    dir.routing ??= { openHandoffs: {}, poolCounts: {}, outOfOffice: [] };
    dir.routing.openHandoffs[ownerId] = (dir.routing.openHandoffs[ownerId] ?? 0) + 1;
    if (poolKey) {
      const counts = (dir.routing.poolCounts[poolKey] ??= poolKey === 'sales' ? { ...dir.roundRobinCounts.sales } : {});
      counts[ownerId] = (counts[ownerId] ?? 0) + 1;
    }
  }
  if (dir && plan.roundRobinAssignment) {
    const { pool, ownerId } = plan.roundRobinAssignment;
    dir.roundRobinCounts[pool][ownerId] = (dir.roundRobinCounts[pool][ownerId] ?? 0) + 1;
  }
  return next;
}

/** Rule facts with everything false / zero except what the test sets. */
export function ruleFacts(set: { flags?: Partial<Facts['flags']>; numbers?: Partial<Facts['numbers']> } = {}): Facts {
  return {
    flags: {
      inquiry_submitted: false,
      survey_answered: false,
      is_first_call_done: false,
      seminar_attended: false,
      seminar_registered: false,
      bant_budget: false,
      bant_authority: false,
      bant_need: false,
      bant_timeline: false,
      handoff_reason_present: false,
      last_contacted_recorded: false,
      ...set.flags,
    },
    numbers: { score: 0, score_behavior: 0, score_attribute: 0, bant_count: 0, email_opens: 0, downloads: 0, seminars_attended: 0, ...set.numbers },
  };
}
