/**
 * The cross-department timeline (tab card on contacts and deals): touches and
 * tossup's own log, paged and filtered by department, with the hand-off summary,
 * the SLA and what the viewer may do.
 */
import { timelineQuerySchema, type TimelineView } from '@tossup/shared/card-dto';
import type { Bilingual } from '@tossup/shared/i18n';
import type { z } from 'zod';
import type { ContactSnapshot } from '../../domain/types';
import { describeUnavailable } from '../../domain/unavailable-sources';
import { ERRORS } from '../api-errors';
import { buildSummary, contactName, describeSla, escalationOf, findOverlaps, groupEmailOpens, permissionsFor, timeOf, timelineItems, viewerView } from '../build-views';
import { cacheKeys } from '../card-api-cache';
import { AnswerNow, defineRoute, fail, ok, param, type Answer, type Call, type CardRoute } from '../request-pipeline';
import { contactLabel, type RouteKit } from '../route-kit';

/** A deal's summary looks at its first few contacts (primary first). */
const DEAL_SUMMARY_CONTACTS = 5;
/** Contacts whose hand-off log a deal's timeline shows. */
const LOG_CONTACTS = 20;

type TimelineQuery = z.output<typeof timelineQuerySchema>;

const dealLabel = (id: string): Bilingual => ({ ja: `取引 ${id}`, en: `Deal ${id}` });

/** For a deal: the contact most recently handed off speaks for it; else the primary contact. */
function focusOf(candidates: ContactSnapshot[]): ContactSnapshot | null {
  return [...candidates].sort((a, b) => (timeOf(b.contact.properties.tossup_sql_at) ?? -1) - (timeOf(a.contact.properties.tossup_sql_at) ?? -1))[0] ?? null;
}

export function timelineRoutes(kit: RouteKit): CardRoute[] {
  const { cache } = kit;

  async function timeline(call: Call<unknown, TimelineQuery>, objectType: 'contacts' | 'deals'): Promise<Answer> {
    const objectId = param(call.req, 'id');
    const { query } = call;
    const { portalId } = call.identity;
    const { settings } = await kit.settingsOf(call);
    const [who, directory] = await Promise.all([kit.viewer(call, settings), kit.directoryOf(call)]);

    let contactIds: string[];
    if (objectType === 'contacts') {
      contactIds = [objectId];
    } else {
      const ids = await cache.get(cacheKeys.dealContacts(portalId, objectId), () => call.deps.data.getDealContactIds(portalId, objectId));
      if (ids === null) throw new AnswerNow(fail(ERRORS.notFound(dealLabel(objectId))));
      contactIds = ids;
    }
    const summaryCandidates = (await Promise.all(contactIds.slice(0, DEAL_SUMMARY_CONTACTS).map((id) => kit.snapshotOf(call, id)))).filter(
      (s): s is ContactSnapshot => s !== null,
    );
    if (objectType === 'contacts' && summaryCandidates.length === 0) throw new AnswerNow(fail(ERRORS.notFound(contactLabel(objectId))));
    const focus = focusOf(summaryCandidates);

    const logContacts = contactIds.slice(0, LOG_CONTACTS);
    const [touches, log] = await Promise.all([
      cache.get(cacheKeys.touches(portalId, objectType, objectId), () => call.deps.data.listTouches(portalId, { objectType, objectId })),
      cache.get(cacheKeys.handoffLog(portalId, logContacts), () => call.deps.handoffLog.listForContacts(portalId, logContacts)),
    ]);
    // A deal's rows name their contact (the deal's first contacts were read for the summary; others by id).
    const contactNames = objectType === 'deals' ? new Map(summaryCandidates.map((c) => [c.contact.id, contactName(c.contact.properties)])) : undefined;
    const all = timelineItems({ touches, log, directory, settings, engine: call.deps.engine, ...(contactNames ? { contactNames } : {}) });
    const filtered = groupEmailOpens(query.department === 'all' ? all : all.filter((i) => i.department === query.department));
    const pageCount = Math.max(1, Math.ceil(filtered.length / query.pageSize));
    const page = Math.min(query.page, pageCount);
    const view: TimelineView = {
      items: filtered.slice((page - 1) * query.pageSize, page * query.pageSize),
      page,
      pageCount,
      pageSize: query.pageSize,
      total: filtered.length,
      department: query.department,
      overlaps: findOverlaps(all, settings.overlapWindowHours, log),
      contactId: focus?.contact.id ?? null,
      summary: focus ? buildSummary(focus, directory) : null,
      sla: focus ? describeSla(focus, call.now) : null,
      escalation: focus ? escalationOf(focus.contact.properties, directory) : null,
      permissions: permissionsFor(who.user, who.departments, focus?.contact.properties ?? null),
      viewer: viewerView(who.user, who.departments),
      rejectReasons: settings.recycle.reasons.map((r) => ({ code: r.code, label_ja: r.ja, label_en: r.en })),
      now: call.now,
      // Engagement types the portal did not let us read (issue 11 §7): the card says which.
      ...(touches.unavailable ? { unavailable: touches.unavailable.map((u) => ({ source: u.source, label_ja: describeUnavailable(u).ja, label_en: describeUnavailable(u).en })) } : {}),
    };
    return ok(view);
  }

  return [
    defineRoute({ method: 'get', path: '/contacts/:id/timeline', name: 'get_contact_timeline', query: timelineQuerySchema, handle: (call) => timeline(call, 'contacts') }),
    defineRoute({ method: 'get', path: '/deals/:id/timeline', name: 'get_deal_timeline', query: timelineQuerySchema, handle: (call) => timeline(call, 'deals') }),
  ];
}
