import type { CrmRecord, EventParticipation, HistoryValue, Owner, PlannedNote, PlannedTask, UnavailableSource } from '../domain/types';
import type { PropertyLanguage } from '@tossup/shared/contract-properties';
import type { PropertyOption } from '../domain/reject-reason-options';
import type { EnsurePropertiesResult } from './ensure-properties';

/**
 * What the rest of the app may ask of HubSpot. Implemented by createHubSpotGateway
 * (the only code that imports @hubspot/api-client); the pipeline, the engine's SLA
 * scheduler and the card API depend on this interface, and tests may fake it.
 *
 * Every method takes the portal first: the limiter, the token and the retries are
 * per portal. Ids are strings, as HubSpot returns them.
 */
export type HistoryEntry = HistoryValue;

export interface ReadRecord extends CrmRecord {
  /** Newest first (HubSpot's order). Present only when history was requested. */
  propertiesWithHistory?: Record<string, HistoryEntry[]>;
}

export interface AssociatedObject {
  id: string;
  /** HUBSPOT_DEFINED / USER_DEFINED type ids, e.g. 1 = primary contact→company. */
  typeIds: number[];
  labels: string[];
}

export interface ModifiedContact {
  id: string;
  lastModifiedAt: number;
}

export interface MarketingEventSummary {
  id: string;
  name: string;
  startAt?: number;
  endAt?: number;
  /**
   * What the events list tells about the event's participations without reading them
   * (MarketingEventPublicReadResponseV2: registrants, attendees, cancellations, noShows,
   * updatedAt). The participation refresh re-reads an event only when these changed
   * (engine/event-participations.ts). Absent when HubSpot leaves them out.
   */
  counters?: { registrants?: number; attendees?: number; cancellations?: number; noShows?: number };
  updatedAt?: number;
}

export interface ContactParticipation {
  /** ParticipationBreakdown.id */
  participationId: string;
  contactId: string;
  participation: EventParticipation;
}

export type EngagementType = 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks';

/** A form of the portal as the Forms API names it. */
export interface PortalForm {
  id: string;
  name: string;
}

/** A user of the portal (settings users API, GET /settings/v3/users/{userId}). */
export interface PortalUserRecord {
  id: string;
  email: string;
  /** HubSpot super admin: may edit the app's settings. */
  superAdmin: boolean;
  /** Team ids, primary first. */
  teamIds: string[];
}

export interface HubSpotGateway {
  /** Batch read (100 per call; 50 when historyProperties is non-empty). Missing ids are simply absent. */
  readContacts(portalId: string, ids: readonly string[], properties: readonly string[], historyProperties?: readonly string[]): Promise<ReadRecord[]>;
  readCompanies(portalId: string, ids: readonly string[], properties: readonly string[]): Promise<ReadRecord[]>;
  readDeals(portalId: string, ids: readonly string[], properties: readonly string[]): Promise<ReadRecord[]>;
  readEngagements(portalId: string, type: EngagementType, ids: readonly string[], properties: readonly string[]): Promise<ReadRecord[]>;
  /** Associations v4 batch read, pages followed: fromId → associated objects. */
  readAssociations(portalId: string, fromType: string, ids: readonly string[], toType: string): Promise<Map<string, AssociatedObject[]>>;
  /** Batch update (100 per call). Answers the ids HubSpot no longer has (deleted/merged meanwhile). */
  updateContacts(portalId: string, inputs: readonly { id: string; properties: Record<string, string> }[]): Promise<{ missing: string[] }>;
  /** Batch update of deals (absolute values); needs crm.objects.deals.write (an optional scope). */
  updateDeals?(portalId: string, inputs: readonly { id: string; properties: Record<string, string> }[]): Promise<{ missing: string[] }>;
  /** Idempotent by task.key (side_effects); tasks carry their associations inline. key → HubSpot id. */
  createTasks(portalId: string, tasks: readonly PlannedTask[]): Promise<Map<string, string>>;
  /** Idempotent by note.key; key → HubSpot id. */
  createNotes(portalId: string, notes: readonly PlannedNote[]): Promise<Map<string, string>>;
  /** One search page of contacts with sinceMs ≤ hs_lastmodifieddate < untilMs, oldest first. */
  searchContactsModifiedSince(
    portalId: string,
    sinceMs: number,
    untilMs: number,
    after?: string,
  ): Promise<{ results: ModifiedContact[]; total: number; after?: string }>;
  /** All contacts modified in [sinceMs, untilMs): pages followed, the window split when a query would pass 10,000 results. */
  listContactsModifiedBetween(portalId: string, sinceMs: number, untilMs: number): Promise<ModifiedContact[]>;
  /**
   * Contacts whose hand-off is open in HubSpot (`tossup_stage` sql or accepted) and the rep
   * it went to (`tossup_handoff_to`), at most 10,000 (one search query's reach). Seeds the
   * routing load once per portal (issue 17). Optional: a gateway without it seeds nothing.
   */
  listOpenHandoffContacts?(portalId: string): Promise<{ contactId: string; ownerId: string }[]>;
  /** Active owners with their teams (paged). */
  listOwners(portalId: string): Promise<Owner[]>;
  /** Internal values of the contact lifecycle stages, in pipeline (displayOrder) order. */
  getLifecycleStages(portalId: string): Promise<string[]>;
  /** The portal's IANA time zone (account details). */
  getPortalTimeZone(portalId: string): Promise<string>;
  listMarketingEvents(portalId: string): Promise<MarketingEventSummary[]>;
  /** Participations of one marketing event (paged). */
  listEventParticipations(portalId: string, event: MarketingEventSummary): Promise<ContactParticipation[]>;
  /** Search tasks/notes for markers (crash recovery of idempotent creates): marker → id. */
  findByMarkers(portalId: string, kind: 'task' | 'note', markers: readonly string[]): Promise<Map<string, string>>;
}

/**
 * Reads only the card API needs. Kept out of HubSpotGateway so the pipeline's fakes
 * need not implement them; createHubSpotGateway provides both.
 */
export interface HubSpotCardReads {
  /** The portal's user by user id; null when HubSpot has no active user with that id (404: unknown or deactivated). */
  getUser(portalId: string, userId: string): Promise<PortalUserRecord | null>;
  /** Up to `limit` contact ids, most recently modified first, and how many contacts the portal has (search `total`). */
  searchRecentlyModifiedContacts(portalId: string, limit: number): Promise<{ ids: string[]; total: number }>;
  /** The portal's forms (Forms API; needs the optional `forms` scope, else 403 MISSING_SCOPES). */
  listForms(portalId: string): Promise<PortalForm[]>;
  /** Ids of the contacts whose primary e-mail is `email` (CRM search, read-only); usually one. */
  searchContactIdsByEmail(portalId: string, email: string): Promise<string[]>;
}

/**
 * Set-up of a newly installed portal, through the same per-portal budget and
 * retries as every other call. Called by the OAuth installer once the portal's
 * tokens are stored (oauth/oauth-installer.ts).
 */
export interface HubSpotPortalSetup {
  /** Creates the `tossup` property group and the contract properties that are missing (idempotent). */
  /** Labels in `language` (the portal's, default 日本語). */
  ensureContractProperties(portalId: string, language?: PropertyLanguage): Promise<EnsurePropertiesResult>;
  /** The deal group and deal properties (needs crm.schemas.deals.write, an optional scope). */
  ensureDealContractProperties?(portalId: string, language?: PropertyLanguage): Promise<EnsurePropertiesResult>;
  /** A contact enumeration property's options (property-options.ts); null when the property does not exist. */
  readContactPropertyOptions?(portalId: string, propertyName: string): Promise<PropertyOption[] | null>;
  /** Replaces a contact enumeration property's options with the whole list given. */
  replaceContactPropertyOptions?(portalId: string, propertyName: string, options: readonly PropertyOption[]): Promise<void>;
}

/**
 * Optional sources that could not be read (docs/hubspot-platform.md §5.8). Kept out of HubSpotGateway
 * so fakes need not implement it; createHubSpotGateway provides it.
 */
export interface HubSpotSourceHealth {
  /** Counts tossup_hubspot_source_unavailable_total{source,scope} and remembers a missing scope for the settings page. */
  reportUnavailable(portalId: string, unavailable: UnavailableSource): void;
  /** Scopes HubSpot said the portal lacks, seen by this process in the last 24 hours, sorted. */
  recentMissingScopes(portalId: string): string[];
}
