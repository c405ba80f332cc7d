import { notFound, validationError } from './hubspot-errors';
import { defaultAssociationType, parseObjectType, type ObjectType } from './object-types';
import type { WriteSource } from './crm-store';
import type { AttendanceState, PortalState } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * Acting as a person (or as HubSpot itself) in a portal: each action changes the CRM
 * the way HubSpot would and so emits the same webhooks. Used by tests, the demo, the
 * benchmark's load generator and the CLI (through POST /__sandbox/scenario/<action>).
 *
 * Property semantics (https://knowledge.hubspot.com/properties/hubspots-default-contact-properties):
 *  - a form submission sets num_conversion_events (+1), recent_conversion_event_name/date and,
 *    the first time, first_conversion_event_name/date; changeSource FORMS;
 *  - a marketing email open increments hs_email_open and sets hs_email_last_open_date;
 *  - logging a call, sales email or meeting sets notes_last_contacted ("Last contacted") and
 *    num_contacted_notes; any activity (notes too) sets notes_last_updated. A note alone does
 *    NOT set notes_last_contacted, as in HubSpot;
 *  - marketing event participations emit no webhook (HubSpot has no subscription for them).
 */

export type ActivityType = 'call' | 'email' | 'meeting' | 'note';

export interface ScenarioTarget {
  /** Defaults to the sandbox's default portal. */
  portalId?: number;
}

export interface Scenario {
  submitForm(input: ScenarioTarget & { contactId?: string; email?: string; formId?: string; formName?: string; pageTitle?: string; properties?: Record<string, string> }): { contactId: string; created: boolean; conversionName: string };
  openMarketingEmail(input: ScenarioTarget & { contactId: string; emailId?: string; count?: number }): { opens: number };
  setEventParticipation(input: ScenarioTarget & { contactId: string; eventId?: string; state: AttendanceState; attendanceDurationSeconds?: number }): { participationId: string };
  registerForEvent(input: ScenarioTarget & { contactId: string; eventId?: string }): { participationId: string };
  attendEvent(input: ScenarioTarget & { contactId: string; eventId?: string; attendanceDurationSeconds?: number }): { participationId: string };
  /** Without contactId: an activity on no record yet (a dialer's call, say), to be associated later with `associate`. */
  logActivity(input: ScenarioTarget & { type: ActivityType; contactId?: string; ownerId?: string; timestamp?: number; subject?: string; body?: string; companyId?: string; dealId?: string }): { objectId: string };
  /** A person associating two existing records (default association type), e.g. a call with a contact from the call's record page. */
  associate(input: ScenarioTarget & { fromType: string; fromId: string; toType: string; toId: string; userId?: number }): { typeId: number };
  /** `via`: a change no user made (an import or a workflow), recorded with that history sourceType and no user. */
  setProperties(input: ScenarioTarget & { objectType?: string; objectId: string; properties: Record<string, string>; userId?: number; via?: 'IMPORT' | 'AUTOMATION_PLATFORM' }): { changed: string[] };
  setLeadStatus(input: ScenarioTarget & { contactId: string; status: string; userId?: number }): { changed: string[] };
  completeTask(input: ScenarioTarget & { taskId: string; userId?: number }): { changed: string[] };
  createContact(input: ScenarioTarget & { properties: Record<string, string>; companyId?: string; userId?: number }): { contactId: string };
  /** A person creating a company record (name, domain, numberofemployees, industry …); contacts join it with createContact's companyId. */
  createCompany(input: ScenarioTarget & { properties: Record<string, string>; userId?: number }): { companyId: string };
  /** Sales creates a deal from the contact's record (associated with it, deal → contact type 3): HubSpot emits the contact's associationChange. */
  createDeal(input: ScenarioTarget & { contactId: string; dealname?: string; ownerId?: string; userId?: number; properties?: Record<string, string> }): { dealId: string };
  deleteContact(input: ScenarioTarget & { contactId: string; gdpr?: boolean; userId?: number }): void;
  mergeContacts(input: ScenarioTarget & { primaryId: string; mergeId: string; userId?: number }): { contactId: string };
  advanceClock(ms: number): { now: number };
}

const ACTIVITY: Record<ActivityType, { type: ObjectType; assocToContact: number; assocToCompany: number; assocToDeal: number; fields: (s: string, b: string) => Record<string, string> }> = {
  call: { type: 'calls', assocToContact: 194, assocToCompany: 182, assocToDeal: 206, fields: (s, b) => ({ hs_call_title: s, hs_call_body: b, hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED' }) },
  email: { type: 'emails', assocToContact: 198, assocToCompany: 186, assocToDeal: 210, fields: (s, b) => ({ hs_email_subject: s, hs_email_text: b, hs_email_direction: 'EMAIL', hs_email_status: 'SENT' }) },
  meeting: { type: 'meetings', assocToContact: 200, assocToCompany: 188, assocToDeal: 212, fields: (s, b) => ({ hs_meeting_title: s, hs_meeting_body: b, hs_meeting_outcome: 'COMPLETED' }) },
  note: { type: 'notes', assocToContact: 202, assocToCompany: 190, assocToDeal: 214, fields: (_s, b) => ({ hs_note_body: b }) },
};

export function createScenario(rt: SandboxRuntime): Scenario {
  const portalOf = (t: ScenarioTarget): PortalState => rt.portal(t.portalId ?? rt.defaultPortalId);
  const contactOf = (portal: PortalState, id: string) => {
    const c = rt.store.getObject(portal, 'contacts', id);
    if (!c) throw notFound(`Contact ${id} does not exist in portal ${portal.portalId}; list contacts with GET /__sandbox/portals/${portal.portalId}/objects/contacts.`);
    return c;
  };
  const defaultUser = (portal: PortalState) => (portal.owners.find((o) => o.superAdmin && !o.archived) ?? portal.owners.find((o) => !o.archived))?.userId;
  const person = (portal: PortalState, userId?: number): WriteSource => {
    const uid = userId ?? defaultUser(portal);
    return { changeSource: 'CRM_UI', ...(uid !== undefined ? { sourceId: `userId:${uid}`, userId: uid, historySourceId: `userId:${uid}` } : {}), historySourceType: 'CRM_UI' };
  };
  const calculated: WriteSource = { changeSource: 'CALCULATED', historySourceType: 'CALCULATED', internal: true };
  const done = <T,>(v: T): T => {
    rt.markDirty();
    return v;
  };

  const eventOf = (portal: PortalState, eventId?: string) => {
    const e = eventId ? portal.marketingEvents.find((x) => x.objectId === eventId || x.externalEventId === eventId) : portal.marketingEvents[0];
    if (!e) throw notFound(`Marketing event ${eventId ?? '(first)'} does not exist in portal ${portal.portalId}.`);
    return e;
  };

  const scenario: Scenario = {
    submitForm: (input) => {
      const portal = portalOf(input);
      const form = input.formId ? portal.forms.find((f) => f.id === input.formId) : input.formName ? portal.forms.find((f) => f.name === input.formName) : undefined;
      if (input.formId && !form) throw notFound(`Form ${input.formId} does not exist; the portal's forms are: ${portal.forms.map((f) => `${f.id} (${f.name})`).join(', ')}`);
      const formName = form?.name ?? input.formName;
      if (!formName) throw validationError('submitForm needs formId or formName');
      const formSource: WriteSource = { changeSource: 'FORMS', ...(form ? { sourceId: form.id, historySourceId: form.id } : {}), historySourceType: 'FORM', internal: true };
      let contact = input.contactId ? contactOf(portal, input.contactId) : input.email ? rt.store.findByProperty(portal, 'contacts', 'email', input.email) : undefined;
      if (!contact && !input.email) throw validationError('submitForm needs contactId or email');
      let created = false;
      if (!contact) {
        contact = rt.store.createObject(portal, 'contacts', { email: input.email, lifecyclestage: 'lead', ...(input.properties ?? {}) }, [], formSource);
        created = true;
      } else if (input.properties && Object.keys(input.properties).length > 0) {
        rt.store.updateObject(portal, 'contacts', contact.id, input.properties, formSource);
      }
      const now = rt.clock.now();
      const conversionName = input.pageTitle ? `${formName}: ${input.pageTitle}` : formName;
      const n = Number(contact.properties.num_conversion_events ?? '0') + 1;
      rt.store.updateObject(
        portal,
        'contacts',
        contact.id,
        {
          num_conversion_events: String(n),
          recent_conversion_event_name: conversionName,
          recent_conversion_date: String(now),
          ...(contact.properties.first_conversion_event_name ? {} : { first_conversion_event_name: conversionName, first_conversion_date: String(now) }),
        },
        formSource,
      );
      return done({ contactId: contact.id, created, conversionName });
    },

    openMarketingEmail: (input) => {
      const portal = portalOf(input);
      const contact = contactOf(portal, input.contactId);
      const email = input.emailId ? portal.marketingEmails.find((e) => e.id === input.emailId) : portal.marketingEmails[0];
      if (!email) throw notFound(`Marketing email ${input.emailId ?? '(first)'} does not exist in portal ${portal.portalId}.`);
      const source: WriteSource = { changeSource: 'EMAIL', sourceId: email.id, historySourceType: 'EMAIL', historySourceId: email.id, internal: true };
      const count = input.count ?? 1;
      for (let i = 0; i < count; i++) {
        const now = rt.clock.now();
        rt.store.updateObject(
          portal,
          'contacts',
          contact.id,
          {
            hs_email_open: String(Number(contact.properties.hs_email_open ?? '0') + 1),
            hs_email_last_open_date: String(now),
            hs_email_last_email_name: email.name,
            ...(contact.properties.hs_email_first_open_date ? {} : { hs_email_first_open_date: String(now) }),
          },
          source,
        );
      }
      return done({ opens: Number(contact.properties.hs_email_open ?? '0') });
    },

    setEventParticipation: (input) => {
      const portal = portalOf(input);
      contactOf(portal, input.contactId);
      const e = eventOf(portal, input.eventId);
      const now = rt.clock.now();
      let p = e.participations.find((x) => x.contactId === input.contactId);
      if (p) {
        p.state = input.state;
        p.occurredAt = now;
      } else {
        p = { id: rt.store.nextId(), contactId: input.contactId, state: input.state, occurredAt: now, createdAt: now };
        e.participations.push(p);
      }
      if (input.attendanceDurationSeconds !== undefined) p.attendanceDurationSeconds = input.attendanceDurationSeconds;
      e.updatedAt = now;
      return done({ participationId: p.id });
    },
    registerForEvent: (input) => scenario.setEventParticipation({ ...input, state: 'REGISTERED' }),
    attendEvent: (input) => scenario.setEventParticipation({ ...input, state: 'ATTENDED', attendanceDurationSeconds: input.attendanceDurationSeconds ?? 5400 }),

    logActivity: (input) => {
      const portal = portalOf(input);
      const spec = ACTIVITY[input.type];
      if (!spec) throw validationError(`activity type must be call, email, meeting or note (got ${String(input.type)})`);
      const contact = input.contactId === undefined ? undefined : contactOf(portal, input.contactId);
      const owner = input.ownerId ? portal.owners.find((o) => o.id === input.ownerId) : portal.owners.find((o) => o.id === contact?.properties.hubspot_owner_id) ?? portal.owners.find((o) => !o.archived);
      if (!owner) throw validationError(`Owner ${input.ownerId} does not exist; read the owners with GET /crm/v3/owners.`);
      const ts = input.timestamp ?? rt.clock.now();
      const subject = input.subject ?? { call: '架電', email: 'ご連絡', meeting: '打ち合わせ', note: 'メモ' }[input.type];
      const body = input.body ?? `${subject}（サンドボックス）`;
      const associations = contact ? [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: spec.assocToContact }] }] : [];
      if (input.companyId) associations.push({ to: { id: input.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: spec.assocToCompany }] });
      if (input.dealId) associations.push({ to: { id: input.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: spec.assocToDeal }] });
      const obj = rt.store.createObject(portal, spec.type, { hs_timestamp: String(ts), hubspot_owner_id: owner.id, ...spec.fields(subject, body) }, associations, person(portal, owner.userId));
      if (!contact) return done({ objectId: obj.id });
      const rollup: Record<string, string> = { notes_last_updated: String(Math.max(ts, Date.parse(contact.properties.notes_last_updated ?? '') || 0)) };
      if (input.type !== 'note') {
        rollup.notes_last_contacted = String(Math.max(ts, Date.parse(contact.properties.notes_last_contacted ?? '') || 0));
        rollup.num_contacted_notes = String(Number(contact.properties.num_contacted_notes ?? '0') + 1);
      }
      rt.store.updateObject(portal, 'contacts', contact.id, rollup, calculated);
      return done({ objectId: obj.id });
    },

    createDeal: (input) => {
      const portal = portalOf(input);
      const contact = contactOf(portal, input.contactId);
      const properties = {
        dealname: input.dealname ?? `${contact.properties.company ?? contact.properties.email ?? contact.id} 商談`,
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
        ...(input.ownerId ? { hubspot_owner_id: input.ownerId } : {}),
        ...(input.properties ?? {}),
      };
      const deal = rt.store.createObject(portal, 'deals', properties, [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }], person(portal, input.userId));
      return done({ dealId: deal.id });
    },

    associate: (input) => {
      const portal = portalOf(input);
      const from = parseObjectType(input.fromType);
      const to = parseObjectType(input.toType);
      const def = from && to ? defaultAssociationType(from, to) : undefined;
      if (!from || !to || !def) throw validationError(`There is no default association from ${input.fromType} to ${input.toType} in the sandbox.`);
      rt.store.associate(portal, from, input.fromId, to, input.toId, [{ category: 'HUBSPOT_DEFINED', typeId: def.typeId }], person(portal, input.userId));
      return done({ typeId: def.typeId });
    },

    setProperties: (input) => {
      const portal = portalOf(input);
      const type = parseObjectType(input.objectType ?? 'contacts');
      if (!type) throw validationError(`Unknown object type ${input.objectType}.`);
      const obj = rt.store.getObject(portal, type, input.objectId);
      if (!obj) throw notFound(`${type} ${input.objectId} does not exist in portal ${portal.portalId}.`);
      const before = { ...obj.properties };
      const source: WriteSource = input.via ? { changeSource: input.via === 'IMPORT' ? 'IMPORT' : 'AUTOMATION_PLATFORM', historySourceType: input.via } : person(portal, input.userId);
      rt.store.updateObject(portal, type, input.objectId, input.properties, source);
      return done({ changed: Object.keys(input.properties).filter((k) => before[k] !== obj.properties[k]) });
    },
    setLeadStatus: (input) => scenario.setProperties({ ...input, objectType: 'contacts', objectId: input.contactId, properties: { hs_lead_status: input.status } }),
    completeTask: (input) => {
      const portal = portalOf(input);
      const task = rt.store.getObject(portal, 'tasks', input.taskId);
      if (!task) throw notFound(`Task ${input.taskId} does not exist in portal ${portal.portalId}.`);
      const r = scenario.setProperties({ ...input, objectType: 'tasks', objectId: input.taskId, properties: { hs_task_status: 'COMPLETED' } });
      rt.store.updateObject(portal, 'tasks', input.taskId, { hs_task_completion_date: String(rt.clock.now()) }, calculated);
      return r;
    },
    createContact: (input) => {
      const portal = portalOf(input);
      const assoc = input.companyId
        ? [{ to: { id: input.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] }]
        : [];
      const c = rt.store.createObject(portal, 'contacts', input.properties, assoc, person(portal, input.userId));
      return done({ contactId: c.id });
    },
    createCompany: (input) => {
      const portal = portalOf(input);
      const c = rt.store.createObject(portal, 'companies', input.properties, [], person(portal, input.userId));
      return done({ companyId: c.id });
    },
    deleteContact: (input) => {
      const portal = portalOf(input);
      contactOf(portal, input.contactId);
      const source = input.gdpr ? { ...person(portal, input.userId), changeSource: 'GDPR' } : person(portal, input.userId);
      rt.store.archiveObject(portal, 'contacts', input.contactId, source, { privacy: input.gdpr ?? false });
      done(undefined);
    },
    mergeContacts: (input) => {
      const portal = portalOf(input);
      const c = rt.store.mergeObjects(portal, 'contacts', input.primaryId, input.mergeId, person(portal, input.userId));
      return done({ contactId: c.id });
    },
    advanceClock: (ms) => {
      if (!(ms >= 0)) throw validationError('advanceClock takes a non-negative number of milliseconds');
      rt.clock.advance(ms);
      return { now: rt.clock.now() };
    },
  };
  return scenario;
}

