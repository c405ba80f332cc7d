/**
 * The card API's CRM reads (CardDataSource) over the gateway, the only module that
 * talks to HubSpot. Snapshots and the portal directory come from the same builders
 * the webhook pipeline uses (RunningServices.snapshots), so the card shows what the
 * engine decides on and a toss-up from the card is planned from the same input as
 * an automatic one.
 *
 * API budget (110 requests / 10 s per portal for OAuth apps,
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
 * every read is a batch (associations v4 batch, objects batch read) and one call
 * covers every id of a request; the card API's cache (card-api-cache.ts) keeps
 * repeated opens of a record from spending anything.
 */
import type { ContactSnapshot, ObjectId, OwnerTeam, PortalDirectory, PortalId, UnavailableSource } from '../domain/types';
import type { EngagementType, HubSpotCardReads, HubSpotGateway, HubSpotSourceHealth } from '../hubspot/hubspot-gateway-types';
import { readOptional } from '../hubspot/source-health';
import { withoutMarkers } from '../hubspot/side-effect-marker';
import { parseHubSpotTime } from '../domain/hubspot-values';
import type { Queryable } from '../storage/database';
import { loadLedger } from '../storage/signal-ledger-store';
import { findOpenDeals } from '../engine/open-deals';
import type { CardDataSource, PortalUser, TouchList, TouchRecord } from './card-api-deps';

export interface CardDataSourceDeps {
  db: Queryable;
  gateway: HubSpotGateway & HubSpotCardReads & Partial<HubSpotSourceHealth>;
  /** The pipeline's snapshot builder and directory provider (wire-services.ts). */
  snapshots: {
    load(portalId: string, contactIds: string[]): Promise<Map<string, ContactSnapshot>>;
    directory(portalId: string): Promise<PortalDirectory>;
  };
}

/** What each engagement type shows in the timeline: its kind and the property that names it. */
const ENGAGEMENTS: readonly { type: EngagementType; kind: TouchRecord['kind']; titleProperty: string }[] = [
  { type: 'calls', kind: 'call', titleProperty: 'hs_call_title' },
  { type: 'emails', kind: 'email', titleProperty: 'hs_email_subject' },
  { type: 'meetings', kind: 'meeting', titleProperty: 'hs_meeting_title' },
  // Notes have no subject: their first line stands for them.
  { type: 'notes', kind: 'note', titleProperty: 'hs_note_body' },
  { type: 'tasks', kind: 'task', titleProperty: 'hs_task_subject' },
];

/** Ledger signals that are the lead's own marketing actions, as timeline kinds. */
const LEDGER_TOUCHES: Readonly<Record<string, TouchRecord['kind']>> = {
  email_open: 'email_open',
  form_submission: 'form_submission',
  seminar_attended: 'event',
};

/** An open with no e-mail name: the row's kind (「メール開封」 / "Email opened") says it all, in the viewer's language. */
const EMAIL_OPEN_TITLE = '';

/** A deal's timeline looks at this many of its contacts (the card shows one record's story, not an account's). */
export const DEAL_TOUCH_CONTACTS = 20;

/** HTML bodies (notes) to one plain line; the side-effect marker footer (side-effect-marker.ts) is not for people. */
export function plainTitle(value: string | null | undefined): string {
  if (!value) return '';
  const text = withoutMarkers(value)
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

/** The touches with the engagement types that could not be read, when there are any. */
function withGaps(touches: TouchRecord[], unavailable: UnavailableSource[] | undefined): TouchList {
  return unavailable && unavailable.length > 0 ? Object.assign(touches, { unavailable }) : touches;
}

export function createCardDataSource(deps: CardDataSourceDeps): CardDataSource {
  const { db, gateway, snapshots } = deps;

  async function dealContactIds(portalId: string, dealId: string): Promise<string[] | null> {
    // Both in one go: a deal without contacts is absent from the association answer
    // just like a deal that does not exist, so only the deal read tells them apart.
    const [deals, assoc] = await Promise.all([
      gateway.readDeals(portalId, [dealId], ['dealname']),
      gateway.readAssociations(portalId, 'deals', [dealId], 'contacts'),
    ]);
    if (deals.length === 0) return null;
    // Deals have no HUBSPOT_DEFINED primary contact; labelled associations (e.g. a
    // "Primary" or decision-maker label the portal defined) come first, then HubSpot's order.
    const list = assoc.get(dealId) ?? [];
    const labelled = list.filter((a) => a.labels.length > 0);
    const rest = list.filter((a) => a.labels.length === 0);
    return [...new Set([...labelled, ...rest].map((a) => a.id))];
  }

  /**
   * Engagements of the given records, one association call per (source type,
   * engagement type) and one batch read per type. Each type on its own (docs/hubspot-platform.md §5.8):
   * e-mails may need a scope (sales-email-read) the portal did not grant; the
   * timeline then shows the other types, and the gap is counted and named on the
   * settings page (hubspot/source-health.ts).
   */
  async function engagementTouches(portalId: string, sources: { fromType: 'contacts' | 'deals'; ids: string[] }[]): Promise<TouchList> {
    const unavailable: UnavailableSource[] = [];
    const perType = await Promise.all(ENGAGEMENTS.map((e) => readOptional(gateway, portalId, e.type, unavailable, () => touchesOf(portalId, sources, e), [])));
    return withGaps(perType.flat(), unavailable);
  }

  async function touchesOf(portalId: string, sources: { fromType: 'contacts' | 'deals'; ids: string[] }[], engagement: (typeof ENGAGEMENTS)[number]): Promise<TouchRecord[]> {
    const { type, kind, titleProperty } = engagement;
    // Which contact each engagement came from (the first one), so a deal's timeline can name it.
    const contactOf = new Map<string, string>();
    const idSets = await Promise.all(
      sources
        .filter((s) => s.ids.length > 0)
        .map(async (s) => {
          const byRecord = await gateway.readAssociations(portalId, s.fromType, s.ids, type);
          const ids: string[] = [];
          for (const [fromId, associations] of byRecord) {
            for (const a of associations) {
              ids.push(a.id);
              if (s.fromType === 'contacts' && !contactOf.has(a.id)) contactOf.set(a.id, fromId);
            }
          }
          return ids;
        }),
    );
    const ids = [...new Set(idSets.flat())];
    if (ids.length === 0) return [];
    // A task's hs_timestamp is its due date: the timeline places it at its creation (hs_createdate) and shows the due date as a field.
    const properties = kind === 'task' ? ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', titleProperty] : ['hs_timestamp', 'hubspot_owner_id', titleProperty];
    const records = await gateway.readEngagements(portalId, type, ids, properties);
    return records.map((r): TouchRecord => {
      const timestamp = parseHubSpotTime(r.properties.hs_timestamp) ?? 0;
      const contactId = contactOf.get(r.id);
      return {
        id: r.id,
        kind,
        at: kind === 'task' ? (parseHubSpotTime(r.properties.hs_createdate) ?? timestamp) : timestamp,
        ownerId: r.properties.hubspot_owner_id || null,
        title: plainTitle(r.properties[titleProperty]),
        ...(kind === 'task' ? { dueAt: parseHubSpotTime(r.properties.hs_timestamp) ?? null } : {}),
        ...(contactId ? { contactId } : {}),
      };
    });
  }

  /** The lead's own marketing actions the pipeline recorded (ledger), per contact. */
  async function ledgerTouches(portalId: string, contactIds: string[]): Promise<TouchRecord[]> {
    if (contactIds.length === 0) return [];
    const ledger = await loadLedger(db, portalId, contactIds);
    const out: TouchRecord[] = [];
    for (const [contactId, entries] of ledger) {
      for (const e of entries) {
        const kind = LEDGER_TOUCHES[e.kind];
        if (!kind) continue;
        const named = e.kind === 'form_submission' ? e.details.title : e.kind === 'seminar_attended' ? e.details.eventName : undefined;
        out.push({
          // Signal keys repeat across contacts (email_open:1): the contact makes them unique on a deal's timeline.
          id: `${contactId}:${e.signalKey}`,
          kind,
          at: e.occurredAt,
          ownerId: null,
          title: typeof named === 'string' && named !== '' ? named : EMAIL_OPEN_TITLE,
          contactId,
        });
      }
    }
    return out;
  }

  return {
    async getContactSnapshot(portalId: PortalId, contactId: ObjectId) {
      const snapshot = (await snapshots.load(portalId, [contactId])).get(contactId);
      if (!snapshot) return null;
      if (snapshot.openDealId) return snapshot;
      const dealId = (await findOpenDeals(gateway, portalId, [contactId])).get(contactId);
      return dealId ? { ...snapshot, openDealId: dealId } : snapshot;
    },

    getDealContactIds: (portalId, dealId) => dealContactIds(portalId, dealId),

    async listTouches(portalId, ref) {
      if (ref.objectType === 'contacts') {
        const [engagements, marketing] = await Promise.all([
          engagementTouches(portalId, [{ fromType: 'contacts', ids: [ref.objectId] }]),
          ledgerTouches(portalId, [ref.objectId]),
        ]);
        return withGaps([...engagements, ...marketing], engagements.unavailable);
      }
      const contactIds = ((await dealContactIds(portalId, ref.objectId)) ?? []).slice(0, DEAL_TOUCH_CONTACTS);
      const [engagements, marketing] = await Promise.all([
        engagementTouches(portalId, [
          { fromType: 'deals', ids: [ref.objectId] },
          { fromType: 'contacts', ids: contactIds },
        ]),
        ledgerTouches(portalId, contactIds),
      ]);
      // An engagement logged on the deal and its contact at once is one touch (ids are unique per type).
      const seen = new Set<string>();
      const unique = [...engagements, ...marketing].filter((t) => {
        const k = `${t.kind}:${t.id}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return withGaps(unique, engagements.unavailable);
    },

    getDirectory: (portalId) => snapshots.directory(portalId),

    async getUser(portalId, userId): Promise<PortalUser | null> {
      const [user, directory] = await Promise.all([gateway.getUser(portalId, userId), snapshots.directory(portalId)]);
      if (!user) return null;
      // The owner record carries the owner id (who may act as IS rep or sales rep) and named teams.
      const owner = directory.owners.find((o) => !o.archived && o.userId !== undefined && String(o.userId) === user.id);
      let teams: OwnerTeam[];
      if (owner) {
        teams = owner.teams;
      } else {
        // A user who is not an owner: team names from the directory where known, so
        // name-based department defaults still work; the admin's id mapping always does.
        const names = new Map(directory.owners.flatMap((o) => o.teams.map((t) => [t.id, t.name] as const)));
        teams = user.teamIds.map((id, i) => ({ id, name: names.get(id) ?? '', primary: i === 0 }));
      }
      return { userId: user.id, ownerId: owner?.id ?? null, superAdmin: user.superAdmin, teams };
    },

    recentMissingScopes: (portalId) => gateway.recentMissingScopes?.(portalId) ?? [],

    async sampleContactSnapshots(portalId, limit) {
      const { ids, total } = await gateway.searchRecentlyModifiedContacts(portalId, limit);
      if (ids.length === 0) return { snapshots: [], total };
      const loaded = await snapshots.load(portalId, ids);
      // Search order (most recently modified first); contacts deleted meanwhile are skipped.
      const list = ids.map((id) => loaded.get(id)).filter((s): s is ContactSnapshot => s !== undefined);
      return { snapshots: list, total };
    },
  };
}
