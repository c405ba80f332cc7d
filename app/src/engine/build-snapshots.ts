import { COMPANY_READ_PROPERTIES, CONTACT_HISTORY_PROPERTIES, CONTACT_READ_PROPERTIES } from '../domain/read-properties';
import { DEAL_CONTRACT_PROPERTY_NAMES } from '@tossup/shared/contract-properties';
import type { ActivityRecord, AssociatedDeal, ContactSnapshot, CrmRecord, EventParticipation, LedgerEntry, SlaClock, UnavailableSource } from '../domain/types';
import type { EngagementType, HubSpotGateway, HubSpotSourceHealth, ReadRecord } from '../hubspot/hubspot-gateway-types';
import { readOptional } from '../hubspot/source-health';
import { BANT_ITEMS } from '../domain/facts';
import { isBlank, parseHubSpotBool, parseHubSpotTime } from '../domain/hubspot-values';
import type { Queryable } from '../storage/database';
import { loadLedger } from '../storage/signal-ledger-store';
import { loadSlaClocks } from '../storage/sla-clock-store';
import { loadOpenSeats } from '../storage/routing-assignment-store';
import { loadPortalSettings } from '../storage/portal-settings-store';
import { routingReadProperties } from '../domain/routing-rules';
import type { ReadCompanies } from './company-cache';
import type { EventParticipationProvider } from './event-participations';

/**
 * Builds one ContactSnapshot per contact with as few HubSpot calls as the data
 * allows (the lower bound C_min in app/dev/bench/README.md):
 * - contacts: one batch read per 100;
 * - history (batch of 50) only where it adds something: contacts whose conversion
 *   count shows more than one form submission we have not recorded yet (for the
 *   usual single new submission recent_conversion_* already says everything),
 *   contacts whose status-update SLA still runs (hs_lead_status history), and
 *   leads the automatic hand-off may take now (who completed the gate);
 * - primary companies: one batch read per 100 (ids from associatedcompanyid, no
 *   association call), through the portal's company cache when one is given
 *   (company-cache.ts: read once, invalidated by company webhooks);
 * - engagements only for contacts whose SLA clock still runs;
 * - associated deals only for handed-off contacts whose deal has not been seen yet;
 * - Marketing Events participations from the database, rows of this batch's contacts only
 *   (event-participations.ts refreshes them when due, reading only the events that changed).
 * Contacts HubSpot no longer has are absent from the result.
 *
 * Degrade, never stop (docs/hubspot-platform.md §5.8): companies, each engagement type and the
 * marketing events are optional sources, each read on its own. One that fails (403
 * MISSING_SCOPES for a scope or product the portal lacks, or any other error) is
 * listed in `snapshot.unavailable` and the contact is still evaluated
 * (domain/unavailable-sources.ts). Only the contact reads themselves are required.
 */
export interface SnapshotDeps {
  db: Queryable;
  gateway: HubSpotGateway & Partial<HubSpotSourceHealth>;
  participations?: EventParticipationProvider;
  /** Primary companies through the company cache (company-cache.ts); default: the gateway, every time. */
  readCompanies?: ReadCompanies;
}

const ENGAGEMENT_TYPES: { type: EngagementType; kind: ActivityRecord['type'] }[] = [
  { type: 'calls', kind: 'call' },
  { type: 'emails', kind: 'email' },
  { type: 'meetings', kind: 'meeting' },
  { type: 'notes', kind: 'note' },
  { type: 'tasks', kind: 'task' },
];

const withExtra = (base: readonly string[], extra: readonly string[]): readonly string[] => (extra.length === 0 ? base : [...new Set([...base, ...extra])]);

export async function buildSnapshots(
  deps: SnapshotDeps,
  portalId: string,
  contactIds: readonly string[],
  observations: ReadonlyMap<string, LedgerEntry[]> = new Map(),
): Promise<Map<string, ContactSnapshot>> {
  const ids = [...new Set(contactIds)];
  const out = new Map<string, ContactSnapshot>();
  if (ids.length === 0) return out;

  const ledger = await loadLedger(deps.db, portalId, ids);
  const clocks = await loadSlaClocks(deps.db, portalId, ids);
  const seats = await loadOpenSeats(deps.db, portalId, ids);
  // Routing rules may match on any property the admin picked (issue 17): read those too.
  const routed = routingReadProperties(await loadPortalSettings(deps.db, portalId));
  const contacts = await deps.gateway.readContacts(portalId, ids, withExtra(CONTACT_READ_PROPERTIES, routed.contact));

  const historyIds = contacts.filter((c) => needsHistory(c, ledger.get(c.id) ?? [], clocks.get(c.id))).map((c) => c.id);
  const histories = new Map<string, ReadRecord>();
  if (historyIds.length > 0) {
    for (const r of await deps.gateway.readContacts(portalId, historyIds, CONTACT_HISTORY_PROPERTIES, CONTACT_HISTORY_PROPERTIES)) histories.set(r.id, r);
  }

  const companyIds = [...new Set(contacts.map((c) => c.properties.associatedcompanyid).filter((v): v is string => !!v))];
  const companies = new Map<string, CrmRecord>();
  const companyGaps: UnavailableSource[] = [];
  if (companyIds.length > 0) {
    // The company cache holds the fixed properties; rules on other company properties read them directly (issue 17).
    const direct = () => deps.gateway.readCompanies(portalId, companyIds, withExtra(COMPANY_READ_PROPERTIES, routed.company));
    const read = await readOptional(deps.gateway, portalId, 'companies', companyGaps, () => (deps.readCompanies && routed.company.length === 0 ? deps.readCompanies(portalId, companyIds) : direct()), [] as CrmRecord[]);
    for (const c of read) companies.set(c.id, c);
  }

  const running = contacts.filter((c) => isRunning(clocks.get(c.id))).map((c) => c.id);
  const engagementGaps: UnavailableSource[] = [];
  const activities = running.length > 0 ? await readActivities(deps.gateway, portalId, running, engagementGaps) : new Map<string, ActivityRecord[]>();
  const dealGaps: UnavailableSource[] = [];
  const awaitingDeal = contacts.filter(awaitsDeal).map((c) => c.id);
  const deals = awaitingDeal.length > 0 ? await readOptional(deps.gateway, portalId, 'deals', dealGaps, () => readAssociatedDeals(deps.gateway, portalId, awaitingDeal), undefined) : undefined;
  const eventGaps: UnavailableSource[] = [];
  const participations = deps.participations
    ? await readOptional(deps.gateway, portalId, 'marketing_events', eventGaps, () => deps.participations!.forContacts(portalId, contacts.map((c) => c.id)), undefined as Map<string, EventParticipation[]> | undefined)
    : undefined;

  for (const c of contacts) {
    const snapshot: ContactSnapshot = {
      portalId,
      contact: { id: c.id, properties: c.properties },
      ledger: ledger.get(c.id) ?? [],
      observations: observations.get(c.id) ?? [],
    };
    const history = histories.get(c.id)?.propertiesWithHistory;
    if (history) snapshot.contactHistory = history;
    const companyId = c.properties.associatedcompanyid;
    const company = companyId ? companies.get(companyId) : undefined;
    if (company) snapshot.company = company;
    const clock = clocks.get(c.id);
    if (clock) snapshot.slaClock = clock;
    const seat = seats.get(c.id);
    if (seat) snapshot.routingSeat = { handoffKey: seat.handoffKey, ownerId: seat.ownerId };
    if (activities.has(c.id) || running.includes(c.id)) snapshot.activities = activities.get(c.id) ?? [];
    if (participations) snapshot.eventParticipations = participations.get(c.id) ?? [];
    if (deals && awaitingDeal.includes(c.id)) snapshot.deals = deals.get(c.id) ?? [];
    const unavailable = [...(companyId ? companyGaps : []), ...(running.includes(c.id) ? engagementGaps : []), ...(awaitingDeal.includes(c.id) ? dealGaps : []), ...eventGaps];
    if (unavailable.length > 0) snapshot.unavailable = unavailable;
    out.set(c.id, snapshot);
  }
  return out;
}

async function readEngagementsOf(gateway: HubSpotGateway, portalId: string, contactIds: string[], type: EngagementType, properties: string[]) {
  const assoc = await gateway.readAssociations(portalId, 'contacts', contactIds, type);
  const engagementIds = [...new Set([...assoc.values()].flatMap((list) => list.map((a) => a.id)))];
  const records = new Map(engagementIds.length === 0 ? [] : (await gateway.readEngagements(portalId, type, engagementIds, properties)).map((r) => [r.id, r]));
  return { assoc, records };
}

/**
 * More than one unrecorded conversion means recent_conversion_* alone would miss
 * some; a running status-update SLA needs the hs_lead_status changes since the hand-off.
 */
export function needsHistory(contact: CrmRecord, ledger: readonly LedgerEntry[], clock?: SlaClock): boolean {
  if (clock?.statusUpdateStatus === 'pending') return true;
  if (mayHandOffNow(contact)) return true;
  const conversions = Number(contact.properties.num_conversion_events ?? 0);
  if (!Number.isFinite(conversions) || conversions <= 0) return false;
  const recorded = ledger.filter((e) => e.kind === 'form_submission').length;
  return conversions > recorded + 1;
}

/**
 * A handed-off contact whose deal has not been seen yet: its associated deals are read (domain/deal-attribution.ts).
 * Exported for the bench's lower bound (app/dev/bench/lower-bound.ts), which counts the same reads.
 */
export function awaitsDeal(contact: CrmRecord): boolean {
  const p = contact.properties;
  return ['sql', 'accepted'].includes(p.tossup_stage ?? '') && !parseHubSpotBool(p.tossup_deal_created);
}

/** Two calls per batch: one v4 association read and one deal batch read. */
async function readAssociatedDeals(gateway: HubSpotGateway, portalId: string, contactIds: string[]): Promise<Map<string, AssociatedDeal[]>> {
  const out = new Map<string, AssociatedDeal[]>();
  const assoc = await gateway.readAssociations(portalId, 'contacts', contactIds, 'deals');
  const dealIds = [...new Set([...assoc.values()].flatMap((l) => l.map((a) => a.id)))];
  if (dealIds.length === 0) return out;
  const records = new Map((await gateway.readDeals(portalId, dealIds, ['createdate', 'hs_is_closed', ...DEAL_CONTRACT_PROPERTY_NAMES])).map((d) => [d.id, d]));
  for (const [contactId, list] of assoc) {
    out.set(
      contactId,
      list.flatMap((a) => {
        const d = records.get(a.id);
        return d ? [{ id: d.id, createdAt: parseHubSpotTime(d.properties.createdate) ?? 0, closed: d.properties.hs_is_closed === 'true', properties: d.properties }] : [];
      }),
    );
  }
  return out;
}

/**
 * A lead the automatic hand-off may take now (not handed off, some gate input set):
 * the history of the gate's inputs says who completed the gate (domain/handoff-credit.ts).
 */
function mayHandOffNow(contact: CrmRecord): boolean {
  const p = contact.properties;
  if (!['', 'new', 'mql'].includes(p.tossup_stage ?? '')) return false;
  return BANT_ITEMS.some((b) => parseHubSpotBool(p[b.property])) || !isBlank(p.tossup_handoff_reason);
}

function isRunning(clock: SlaClock | undefined): boolean {
  if (!clock) return false;
  // After an escalation with no first touch yet, the reassign rung (issue 17) needs to know whether the rep has touched it since.
  // Clocks written by older versions may lack fields: read them defensively.
  const escalated = (clock.escalated as SlaClock['escalated'] | undefined)?.firstTouch === true;
  const reassignMayCome = escalated && clock.firstTouchAt === undefined && !clock.ladder?.reassignedAt && !clock.ladder?.reassignSkipped;
  return clock.firstTouchStatus === 'pending' || clock.statusUpdateStatus === 'pending' || reassignMayCome;
}

/** Each engagement type on its own: e-mails may need a scope (sales-email-read) that calls do not. */
async function readActivities(
  gateway: HubSpotGateway & Partial<HubSpotSourceHealth>,
  portalId: string,
  contactIds: string[],
  gaps: UnavailableSource[],
): Promise<Map<string, ActivityRecord[]>> {
  const out = new Map<string, ActivityRecord[]>();
  for (const { type, kind } of ENGAGEMENT_TYPES) {
    const properties = ['hs_timestamp', 'hubspot_owner_id', ...(kind === 'task' ? ['hs_task_status'] : [])];
    const read = await readOptional(gateway, portalId, type, gaps, () => readEngagementsOf(gateway, portalId, contactIds, type, properties), undefined);
    if (!read) continue;
    const { assoc, records } = read;
    for (const [contactId, list] of assoc) {
      for (const a of list) {
        const r = records.get(a.id);
        if (!r) continue;
        const activity: ActivityRecord = {
          id: r.id,
          type: kind,
          ownerId: r.properties.hubspot_owner_id ?? null,
          timestamp: parseHubSpotTime(r.properties.hs_timestamp) ?? 0,
        };
        if (kind === 'task' && r.properties.hs_task_status) activity.status = r.properties.hs_task_status;
        const acts = out.get(contactId) ?? [];
        acts.push(activity);
        out.set(contactId, acts);
      }
    }
  }
  return out;
}
