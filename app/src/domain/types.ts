/**
 * The boundary between the pure domain core and the edges (pipeline, card API,
 * backfill). The core is a pure function:
 *
 *   (ContactSnapshot, PortalSettings, PortalDirectory, now) → Plan
 *
 * It imports nothing from express, the database, @hubspot/api-client or Date.now.
 * The pipeline builds snapshots (batch reads), calls the core, and applies the plan
 * (batch writes, idempotent creates, ledger/log inserts) in one unit of work.
 *
 * HubSpot property names are used verbatim (lifecyclestage, hs_lead_status, ...).
 * All CRM property values are strings, as HubSpot returns them.
 */

export type PortalId = string;
export type ObjectId = string;
export type EpochMs = number;

export type Properties = Record<string, string | null | undefined>;

export interface CrmRecord {
  id: ObjectId;
  properties: Properties;
}

export type Department = 'marketing' | 'inside_sales' | 'sales';

export interface OwnerTeam {
  id: string;
  name: string;
  primary?: boolean;
}

/** A HubSpot owner (GET /crm/v3/owners), with its teams. */
export interface Owner {
  id: string;
  userId?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** Archived or deactivated owners never receive work (docs/product.md §8). */
  archived: boolean;
  teams: OwnerTeam[];
}

/** Portal-wide facts the core needs besides the contact: read once per drain and cached. */
export interface PortalDirectory {
  owners: Owner[];
  /** Internal values of the portal's lifecycle stages, in pipeline order (stages are customisable). */
  lifecycleStages: string[];
  /** Assignments handed out so far per round-robin pool, for fair routing across restarts and processes. */
  roundRobinCounts: Record<'inside_sales' | 'sales', Record<string /* ownerId */, number>>;
  /** The portal's IANA time zone (business-hours SLA calendars). */
  timeZone: string;
  /** Load, round-robin and out-of-office state for routing (issue 17); absent = nobody is away, nobody holds a hand-off. */
  routing?: RoutingState;
}

/** A rep's out-of-office days: local dates (YYYY-MM-DD) in the business calendar's time zone, inclusive. */
export interface OutOfOfficeRange {
  id?: string;
  ownerId: string;
  from: string;
  to: string;
  note?: string;
}

export interface RoutingState {
  /** Open hand-offs per owner (routing_assignments not closed): the capacity cap counts these. */
  openHandoffs: Record<string /* ownerId */, number>;
  /** Assignments per round-robin key (`sales`, `pool:<id>`, `team:<id>`), for weighted fairness across processes. */
  poolCounts: Record<string, Record<string /* ownerId */, number>>;
  outOfOffice: OutOfOfficeRange[];
}

/** Kinds of signal the app records in its ledger (each counted once by its key). */
export type SignalKind =
  | 'email_open' // marketing email opened (hs_email_open increments)
  | 'form_submission' // a conversion (form) with its title; classified by settings
  | 'seminar_attended' // Marketing Events participation, state attended
  | 'is_first_call' // IS first call completed (reaction flag)
  | 'activity' // call / email / meeting / note logged on the contact (SLA first touch)
  // Decisions the engine made, kept in the same ledger so a replayed evaluation
  // recognises them (one MQL and one hand-off per cycle; cool-off after a reject):
  | 'mql' // key `mql:c<cycle>`
  | 'handoff' // key `handoff:c<cycle>`
  | 'rejected'; // key `rejected:c<cycle>`; details.coolOffUntil (epoch ms); starts the next cycle

export interface LedgerEntry {
  /** Deterministic, e.g. `form:<formTitle>:<conversionDateMs>`, `email_open:<n>`, `event:<eventId>`, `call:<callId>`. */
  signalKey: string;
  kind: SignalKind;
  occurredAt: EpochMs;
  details: Record<string, unknown>;
}

export interface EventParticipation {
  /** Marketing event object id */
  eventId: string;
  eventName: string;
  /** HubSpot attendance state; only ATTENDED scores. */
  state: 'REGISTERED' | 'ATTENDED' | 'CANCELLED' | 'NO_SHOW';
  occurredAt: EpochMs;
}

/** An engagement associated with the contact (for SLA first-touch and IS reaction flags). */
export interface ActivityRecord {
  id: ObjectId;
  type: 'call' | 'email' | 'meeting' | 'note' | 'task';
  ownerId: string | null;
  /** hs_timestamp */
  timestamp: EpochMs;
  /** For tasks: hs_task_status */
  status?: string;
}

export type TossupStage = 'new' | 'mql' | 'sql' | 'accepted' | 'rejected' | 'recycled';
export type SlaStatus = 'pending' | 'met' | 'breached';

/** SLA clock state the app keeps per handed-off contact (mirrors the tossup_* properties). */
export interface SlaClock {
  handoffAt: EpochMs;
  repOwnerId: string;
  firstTouchDueAt: EpochMs;
  statusUpdateDueAt: EpochMs;
  firstTouchStatus: SlaStatus;
  statusUpdateStatus: SlaStatus;
  firstTouchAt?: EpochMs;
  /** When the rep accepted / rejected or changed hs_lead_status after the hand-off. */
  statusUpdateAt?: EpochMs;
  /** Identity of the hand-off in idempotency keys (`c<cycle>`); absent on clocks written before it existed. */
  handoffKey?: string;
  /** Reminder keys already sent, e.g. `first_touch:-2h`. */
  remindersSent: string[];
  escalated: { firstTouch: boolean; statusUpdate: boolean };
  handoffTaskId?: ObjectId;
  /** The escalation ladder's record (issue 17): each rung at most once per hand-off. */
  ladder?: SlaLadder;
}

export interface SlaLadder {
  /** When the first-touch escalation went out (the reassign wait counts from here). */
  escalatedAt?: EpochMs;
  /** The reassign rung: when, from whom, to whom; the clock then measures the new rep from `reassignedAt`. */
  reassignedAt?: EpochMs;
  reassignedFrom?: string;
  reassignedTo?: string;
  /** Set when the reassign was due but nobody else was available (recorded once, not retried). */
  reassignSkipped?: 'nobody_available';
}

/**
 * Sources a contact can be evaluated without (docs/hubspot-platform.md §5.8): a portal may not grant
 * their scope (or lack the product), or the read may fail. Engagement sources are
 * HubSpot's object type names.
 */
export type OptionalSource = 'marketing_events' | 'companies' | 'deals' | 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks' | 'forms';

export interface UnavailableSource {
  source: OptionalSource;
  /** missing_scope: HubSpot answered 403 MISSING_SCOPES; error: any other failure. */
  reason: 'missing_scope' | 'error';
  /** The scope(s) HubSpot named, comma-separated. */
  scope?: string;
}

/** One history entry (propertiesWithHistory); who made the change when HubSpot says so. */
export interface HistoryValue {
  value: string;
  timestamp: EpochMs;
  /** HubSpot's sourceType, e.g. CRM_UI, INTEGRATION, IMPORT, AUTOMATION_PLATFORM. */
  sourceType?: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface ContactSnapshot {
  portalId: PortalId;
  contact: CrmRecord;
  /**
   * Histories read with propertiesWithHistory (CONTACT_HISTORY_PROPERTIES), newest
   * first, so every form submission is seen, not only the latest.
   */
  contactHistory?: Record<string, HistoryValue[]>;
  /** Marketing Events participations of this contact (stored per contact, refreshed per changed event: engine/event-participations.ts). */
  eventParticipations?: EventParticipation[];
  /** The primary company, if any (numberofemployees, industry, hubspot_owner_id). */
  company?: CrmRecord;
  /** An open deal associated with the contact, if any. */
  openDealId?: ObjectId;
  /** Deals associated with a handed-off contact (read only for those), for the deal attribution (domain/deal-attribution.ts). */
  deals?: AssociatedDeal[];
  /** Signals already recorded for this contact. */
  ledger: LedgerEntry[];
  /** Signals observed since (from webhook events or a sweep); the core de-duplicates them against the ledger. */
  observations: LedgerEntry[];
  /** Engagements associated with the contact, when the pipeline read them (SLA tracking). */
  activities?: ActivityRecord[];
  slaClock?: SlaClock;
  /** The open routing seat of this contact's hand-off (issue 17): a retried hand-off keeps its rep. */
  routingSeat?: { handoffKey: string; ownerId: string };
  /** Optional sources that could not be read for this contact: the rules needing them are skipped, never scored as absent. */
  unavailable?: UnavailableSource[];
}

export interface AssociatedDeal {
  id: ObjectId;
  /** createdate */
  createdAt: EpochMs;
  closed: boolean;
  properties: Properties;
}

/** What the core may ask the edges to do. Every external create carries a deterministic key. */
export interface PlannedTask {
  /** Idempotency key, e.g. `task:handoff:<contactId>:<handoffAt>`; a redelivery never creates a second task. */
  key: string;
  ownerId: string;
  subject: string;
  body: string;
  dueAt: EpochMs;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  type: 'TODO' | 'CALL' | 'EMAIL';
  reminderAt?: EpochMs;
  associations: { contactId: ObjectId; companyId?: ObjectId; dealId?: ObjectId };
}

export interface PlannedNote {
  key: string;
  body: string;
  timestamp: EpochMs;
  ownerId?: string;
  associations: { contactId: ObjectId; companyId?: ObjectId; dealId?: ObjectId };
}

export interface PlannedHandoffLogEntry {
  /** Unique per portal, e.g. `handoff:<contactId>:<handoffAt>`. */
  dedupeKey: string;
  action: 'mql' | 'handoff' | 'accept' | 'reject' | 'recycle' | 'sla_met' | 'sla_breached' | 'escalation' | 'reminder' | 'reassign';
  actorOwnerId?: string;
  toOwnerId?: string;
  reason?: string;
  routingPath?: string;
  details: Record<string, unknown>;
  at: EpochMs;
}

export interface RoutingClaim {
  /** The hand-off this seat belongs to (`c<cycle>`): a replay claims nothing twice. */
  handoffKey: string;
  ownerId: string;
  /** Round-robin key to count (`sales`, `pool:<id>`, `team:<id>`); absent for the account owner. */
  poolKey?: string;
  /** The rep's cap on open hand-offs; null = no cap (also for an owner chosen despite it: wait and warn). */
  cap: number | null;
}

export interface Transition {
  from: string;
  to: string;
  /** e.g. 'tossup_stage' or 'lifecyclestage' */
  field: string;
}

export interface Plan {
  portalId: PortalId;
  contactId: ObjectId;
  /** Contact properties to write (only values that differ from the snapshot). Empty = no write. */
  contactProperties: Record<string, string>;
  /**
   * Writes that must land before contactProperties, each in a request of its own:
   * the lifecycle stage passes through MQL before SQL, because HubSpot records a
   * stage's "date entered" only for a stage the record actually held (domain/handoff-report-fields.ts).
   */
  propertySteps?: Record<string, string>[];
  /** Deal property writes (the hand-off's attribution on its deals); only values that differ. */
  dealProperties?: { id: ObjectId; properties: Record<string, string> }[];
  /** Observations to persist in the ledger (new ones only). */
  ledgerAppend: LedgerEntry[];
  tasks: PlannedTask[];
  notes: PlannedNote[];
  handoffLog: PlannedHandoffLogEntry[];
  /** New SLA clock state; null = clear it; undefined = unchanged. */
  slaClock?: SlaClock | null;
  /** A round-robin assignment the plan consumed (the applier increments the counter in the same unit of work). */
  roundRobinAssignment?: { pool: 'inside_sales' | 'sales'; ownerId: string };
  /**
   * The hand-off's seat with its rep (issue 17): the applier takes it before any
   * HubSpot write, atomically against the cap, and counts the round-robin key; a cap
   * filled meanwhile by a concurrent hand-off fails the apply so it is re-planned.
   */
  routingClaim?: RoutingClaim;
  /** This contact's open hand-off is over (rejected, recycled, its deal closed): free the rep's seat. */
  routingRelease?: boolean;
  transitions: Transition[];
  /** Human-readable reasons for logs, the demo and the dry run. */
  explanations: string[];
}

export function emptyPlan(portalId: PortalId, contactId: ObjectId): Plan {
  return {
    portalId,
    contactId,
    contactProperties: {},
    ledgerAppend: [],
    tasks: [],
    notes: [],
    handoffLog: [],
    transitions: [],
    explanations: [],
  };
}

export function planHasExternalWrites(plan: Plan): boolean {
  return Object.keys(plan.contactProperties).length > 0 || plan.tasks.length > 0 || plan.notes.length > 0;
}
