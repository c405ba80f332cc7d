/**
 * What the resource routes (./routes) share: the cached reads of one portal, the
 * viewer with their departments, and "apply the plan, then show the card the state
 * after it" for every mutation.
 */
import type { DepartmentCode, HandoffView, MutationView } from '@tossup/shared/card-dto';
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, Plan, PortalDirectory } from '../domain/types';
import { ERRORS } from './api-errors';
import { buildHandoffView, departmentsOf } from './build-views';
import { cacheKeys, type CardApiCache } from './card-api-cache';
import type { PortalUser, StoredSettings } from './card-api-deps';
import { AnswerNow, fail, ok, type Answer, type Call } from './request-pipeline';
import { RoutingCapacityError } from '../storage/routing-assignment-store';

export interface Viewer {
  user: PortalUser;
  departments: DepartmentCode[];
}

export interface RouteKit {
  cache: CardApiCache;
  settingsOf(call: Call): Promise<StoredSettings>;
  directoryOf(call: Call): Promise<PortalDirectory>;
  /** `fresh` skips the cache: decisions are made on the newest state. */
  snapshotOf(call: Call, contactId: string, fresh?: boolean): Promise<ContactSnapshot | null>;
  /** The snapshot, or a not_found answer. */
  requireContact(call: Call, contactId: string, fresh: boolean): Promise<ContactSnapshot>;
  /** The signed user, or a forbidden answer when they are not a user of the portal. */
  viewer(call: Call, settings: PortalSettings): Promise<Viewer>;
  handoffView(call: Call, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, who: Viewer): HandoffView;
  /** Applies the plan, then answers with the state after it (no second CRM read). */
  applyAndView(call: Call, plan: Plan, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, who: Viewer): Promise<Answer>;
}

export const contactLabel = (id: string): Bilingual => ({ ja: `コンタクト ${id}`, en: `Contact ${id}` });

function applyProperties(snapshot: ContactSnapshot, properties: Record<string, string>): ContactSnapshot {
  return { ...snapshot, contact: { ...snapshot.contact, properties: { ...snapshot.contact.properties, ...properties } } };
}

export function createRouteKit(cache: CardApiCache): RouteKit {
  const kit: RouteKit = {
    cache,
    settingsOf: (call) => cache.get(cacheKeys.settings(call.identity.portalId), () => call.deps.settings.get(call.identity.portalId)),
    directoryOf: (call) => cache.get(cacheKeys.directory(call.identity.portalId), () => call.deps.data.getDirectory(call.identity.portalId)),
    snapshotOf(call, contactId, fresh = false) {
      const { portalId } = call.identity;
      const load = () => call.deps.data.getContactSnapshot(portalId, contactId);
      return fresh ? load() : cache.get(cacheKeys.contact(portalId, contactId), load);
    },
    async requireContact(call, contactId, fresh) {
      const snapshot = await kit.snapshotOf(call, contactId, fresh);
      if (!snapshot) throw new AnswerNow(fail(ERRORS.notFound(contactLabel(contactId))));
      return snapshot;
    },
    async viewer(call, settings) {
      const { portalId, userId } = call.identity;
      const user = await cache.get(cacheKeys.user(portalId, userId), () => call.deps.data.getUser(portalId, userId));
      if (!user) throw new AnswerNow(fail(ERRORS.unknownUser()));
      return { user, departments: departmentsOf(user, settings, call.deps.engine) };
    },
    handoffView(call, snapshot, settings, directory, who) {
      const assessment = call.deps.engine.assess(snapshot, settings, directory, call.now);
      return buildHandoffView({ snapshot, assessment, settings, directory, user: who.user, departments: who.departments, now: call.now });
    },
    async applyAndView(call, plan, snapshot, settings, directory, who) {
      try {
        await call.deps.applyPlans([plan]);
      } catch (err) {
        // The rep this plan chose filled up meanwhile (another hand-off, or the load seeded
        // from older hand-offs): nothing was written. Fresh loads on the next press.
        if (!(err instanceof RoutingCapacityError)) throw err;
        cache.invalidatePortal(call.identity.portalId);
        return fail(ERRORS.routingChanged(), 409);
      }
      cache.invalidateContact(call.identity.portalId, snapshot.contact.id);
      const after = applyProperties(snapshot, plan.contactProperties);
      const data: MutationView = { handoff: kit.handoffView(call, after, settings, directory, who) };
      return ok(data);
    },
  };
  return kit;
}
