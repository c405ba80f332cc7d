/**
 * What the card API needs from the rest of the backend, as injected interfaces.
 *
 * The card API decides nothing about leads itself: scores, MQL/SQL rules, the
 * hand-off gate and routing come from the pure engine (app/src/domain); CRM reads
 * come from the gateway (app/src/hubspot); writes go through the same applier the
 * webhook pipeline uses (app/src/worker), so a toss-up from the card and an
 * automatic one are the same plan applied the same way. main.ts wires the real
 * implementations (see the recipe in the report / README); tests use fakes.
 */
import type {
  ContactSnapshot,
  Department,
  EpochMs,
  ObjectId,
  OutOfOfficeRange,
  OwnerTeam,
  Plan,
  PortalDirectory,
  PortalId,
  UnavailableSource,
} from '../domain/types';
import type { MissingItem, ScoreLine, SettingsFormsView, TimelineKind } from '@tossup/shared/card-dto';
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { SettingsStore } from '../storage/portal-settings-store';
import type { HandoffLogReader } from '../storage/handoff-log-store';
import type { SettingsVersionsStore } from '../storage/settings-versions-store';
import type { RejectReasonSyncState } from '../storage/reject-reason-sync-store';
import type { ImpactRunStore } from '../storage/job-store';
import type { RejectReason } from '@tossup/shared/reject-reasons';

export type { SettingsStore, StoredSettings, SaveSettingsResult } from '../storage/portal-settings-store';
export type { HandoffLogReader, HandoffLogRow } from '../storage/handoff-log-store';
export type { SettingsVersion, SettingsVersionsStore } from '../storage/settings-versions-store';
export type { ImpactRun, ImpactRunStore } from '../storage/job-store';

/** A HubSpot user of the portal (settings/users API), with the owner record that represents them. */
export interface PortalUser {
  userId: string;
  /** The CRM owner id of this user, when they are an owner (needed to act as IS rep / sales rep). */
  ownerId: string | null;
  /** HubSpot super admin (users API `superAdmin`). */
  superAdmin: boolean;
  teams: OwnerTeam[];
}

/** One touch on the record, as the gateway reads it (engagements, marketing signals). */
export interface TouchRecord {
  id: string;
  kind: Extract<TimelineKind, 'email_open' | 'form_submission' | 'event' | 'call' | 'note' | 'meeting' | 'email' | 'task'>;
  at: EpochMs;
  /** hubspot_owner_id of the engagement; null for the lead's own actions (opens, forms, events). */
  ownerId: string | null;
  /** Subject, form title or event name. Plain text; the card API shortens it. */
  title: string;
  /** A task's due date (hs_timestamp); `at` is then its creation time (hs_createdate). */
  dueAt?: EpochMs | null;
  /** The contact the touch came from, when known (a deal's timeline names it). */
  contactId?: string;
}

/** Touches of a record; `unavailable` names the engagement types that could not be read (issue 11 §7). */
export type TouchList = TouchRecord[] & { unavailable?: UnavailableSource[] };

export interface CardDataSource {
  /** Contact with company, ledger, history, open deal and SLA clock: the engine's input. null = no such contact. */
  getContactSnapshot(portalId: PortalId, contactId: ObjectId): Promise<ContactSnapshot | null>;
  /** Contacts associated with the deal (primary first); null = no such deal. */
  getDealContactIds(portalId: PortalId, dealId: ObjectId): Promise<ObjectId[] | null>;
  /**
   * Touches of the record, any order. For a contact: its engagements and marketing
   * signals. For a deal: the deal's engagements and those of its associated contacts.
   */
  listTouches(portalId: PortalId, ref: { objectType: 'contacts' | 'deals'; objectId: ObjectId }): Promise<TouchList>;
  getDirectory(portalId: PortalId): Promise<PortalDirectory>;
  /** null = the signed user id is not a user of this portal. */
  getUser(portalId: PortalId, userId: string): Promise<PortalUser | null>;
  /**
   * Up to `limit` current contacts (the most recently modified first) for the
   * settings preview, and how many the portal has in total.
   */
  sampleContactSnapshots(portalId: PortalId, limit: number): Promise<{ snapshots: ContactSnapshot[]; total: number }>;
  /** The portal's forms through the Forms API, else the form titles the app has seen (settings page). */
  listPortalForms(portalId: PortalId): Promise<SettingsFormsView>;
  /** Contacts whose primary e-mail is `email` (the settings page's contact test), best match first. */
  findContactIdsByEmail(portalId: PortalId, email: string): Promise<ObjectId[]>;
  /** Scopes HubSpot recently said the portal lacks (settings page warning); optional so fakes need not implement it. */
  recentMissingScopes?(portalId: PortalId): string[];
}

/** The card's view of the engine's decision for one contact. */
export interface HandoffAssessment {
  score: { total: number; behavior: number; attribute: number; lines: ScoreLine[] };
  /** `firedBy`: the parts of the MQL rule that hold now (domain/rule-fired.ts). */
  mql: { isMql: boolean; threshold: number; gap: number; firedBy: Bilingual[] };
  /** The lead's reactions the rules read (inquiry, IS first call, survey). */
  reactions: { inquirySubmitted: boolean; isFirstCallDone: boolean; surveyAnswered: boolean };
  /** Deadline of IS' follow-up task set at MQL, on the SLA calendar; null unless the lead is MQL. */
  followUpDueAt: EpochMs | null;
  /**
   * The SQL rule and the hand-off gate together: passed when a toss-up would be
   * accepted now; otherwise every blocking item by code.
   */
  gate: { passed: boolean; missing: GateMissingItem[] };
}

/**
 * One item blocking a hand-off, by code (e.g. `bant_count` with params { have, need },
 * `last_contacted_recorded`, `handoff_reason_present`, `bant_need`). The label is
 * optional: known codes are labelled by the card API (build-views.ts labelMissing).
 */
export interface GateMissingItem {
  code: string;
  params?: MissingItem['params'];
  label?: Bilingual;
}

export type PlanOutcome =
  | { ok: true; plan: Plan }
  | { ok: false; code: 'gate_blocked' | 'invalid_state'; missing?: GateMissingItem[]; message?: Bilingual };

export interface CardEngine {
  assess(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs): HandoffAssessment;
  /** The engine's full evaluation (used by the settings preview: which stage would the contact reach?). */
  evaluateContact(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs): Plan;
  /** A toss-up pressed by an IS rep (actorOwnerId null for a super admin without an owner record). */
  planHandoff(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs, actor: { ownerId: string | null }): PlanOutcome;
  planAccept(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs, actor: { ownerId: string }): PlanOutcome;
  planReject(
    snapshot: ContactSnapshot,
    settings: PortalSettings,
    directory: PortalDirectory,
    now: EpochMs,
    input: { ownerId: string; reasonCode: string; reasonText: string; acceptedReasonCodes?: readonly string[] },
  ): PlanOutcome;
  /** The department a HubSpot team maps to (admin mapping first, then team-name defaults). */
  departmentOfTeam(team: OwnerTeam, settings: PortalSettings): Department | null;
}

/** Applies plans in one unit of work; idempotent by the plans' deterministic keys (the worker's applier). */
export type PlanApplier = (plans: Plan[]) => Promise<void>;

export interface CardApiDeps {
  data: CardDataSource;
  engine: CardEngine;
  applyPlans: PlanApplier;
  settings: SettingsStore;
  /** Drafts, publishing and history of the settings (issue 16); absent: saves publish directly and keep no history. */
  settingsVersions?: SettingsVersionsStore;
  handoffLog: HandoffLogReader;
  /** Reps' out-of-office days (issue 17, 「不在設定」); absent: the routes answer not found. */
  outOfOffice?: OutOfOfficeStore;
  /** One contact's hand-off log with details, oldest first (the routing panel, issue 17); absent: not found. */
  routingLog?: { list(portalId: string, contactId: string): Promise<RoutingLogRow[]> };
  /** The sync of `tossup_reject_reason_code`'s options with the admin's reasons (issue 14); absent: the default codes only. */
  rejectReasons?: RejectReasonOptionsSync;
  /** The full-portal impact runs of settings drafts (issue 16; the worker runs them); absent: the routes answer not found. */
  impactRuns?: ImpactRunStore;
}

/** A hand-off log entry with its details, as the routing panel reads it (routing-view.ts). */
export interface RoutingLogRow {
  action: string;
  toOwnerId: string | null;
  at: number;
  details: Record<string, unknown>;
}

export interface OutOfOfficeStore {
  list(portalId: string, fromDate: string, ownerId?: string): Promise<OutOfOfficeRange[]>;
  add(portalId: string, range: Omit<OutOfOfficeRange, 'id'>, createdBy: string | null, now: number): Promise<OutOfOfficeRange>;
  remove(portalId: string, id: string, ownerId?: string): Promise<boolean>;
}

export interface RejectReasonOptionsSync {
  /** Codes HubSpot accepts as values of tossup_reject_reason_code for the portal. */
  acceptedCodes(portalId: string): Promise<string[]>;
  /** The last sync, for the settings page's warning; null when never synced. */
  state(portalId: string): Promise<RejectReasonSyncState | null>;
  /** Syncs the options with the published reasons; never throws (a refusal is recorded and returned). */
  sync(portalId: string, reasons: readonly RejectReason[], language: 'ja' | 'en'): Promise<RejectReasonSyncState>;
  /** Counts a reject whose code was written as `other` because HubSpot does not accept it yet. */
  countFallback(): void;
}
