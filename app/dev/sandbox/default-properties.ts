import type { ObjectType } from './object-types';

/**
 * HubSpot-defined properties the sandbox knows out of the box, per object type.
 * Only the properties the app, the scenario tools and the seed touch are listed;
 * anything else must be created through the properties API first, exactly as in a
 * real portal (an unknown property on write → 400 PROPERTY_DOESNT_EXIST).
 *
 * Property model: https://developers.hubspot.com/docs/guides/api/crm/properties
 * Default contact properties: https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
 */

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  /** HubSpot calculates these; API writes get 400 READ_ONLY_VALUE (modificationMetadata.readOnlyValue). */
  readOnlyValue: boolean;
  referencedObjectType?: string;
  externalOptions?: boolean;
  hasUniqueValue: boolean;
  formField: boolean;
  hidden: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/**
 * The default lifecycle stages, in pipeline order. Portals can customise them, so the
 * app must read `GET /crm/v3/properties/contacts/lifecyclestage`; the sandbox stores them
 * per portal (seeded with these) so a test can customise a portal too.
 * https://knowledge.hubspot.com/records/use-lifecycle-stages
 */
export const DEFAULT_LIFECYCLE_STAGES: [string, string][] = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

const LEAD_STATUSES: [string, string][] = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
];

/** A subset of HubSpot's company `industry` options (internal values verbatim). */
export const INDUSTRIES: [string, string][] = [
  ['COMPUTER_SOFTWARE', 'Computer Software'],
  ['INFORMATION_TECHNOLOGY_AND_SERVICES', 'Information Technology and Services'],
  ['MACHINERY', 'Machinery'],
  ['AUTOMOTIVE', 'Automotive'],
  ['ELECTRICAL_ELECTRONIC_MANUFACTURING', 'Electrical/Electronic Manufacturing'],
  ['FINANCIAL_SERVICES', 'Financial Services'],
  ['BANKING', 'Banking'],
  ['INSURANCE', 'Insurance'],
  ['RETAIL', 'Retail'],
  ['LOGISTICS_AND_SUPPLY_CHAIN', 'Logistics and Supply Chain'],
  ['CONSTRUCTION', 'Construction'],
  ['PHARMACEUTICALS', 'Pharmaceuticals'],
  ['HOSPITAL_HEALTH_CARE', 'Hospital & Health Care'],
  ['TELECOMMUNICATIONS', 'Telecommunications'],
  ['REAL_ESTATE', 'Real Estate'],
  ['FOOD_BEVERAGES', 'Food & Beverages'],
  ['CHEMICALS', 'Chemicals'],
  ['MANAGEMENT_CONSULTING', 'Management Consulting'],
];

/** The default sales pipeline's deal stages. */
const DEAL_STAGES: [string, string][] = [
  ['appointmentscheduled', 'Appointment Scheduled'],
  ['qualifiedtobuy', 'Qualified To Buy'],
  ['presentationscheduled', 'Presentation Scheduled'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In'],
  ['contractsent', 'Contract Sent'],
  ['closedwon', 'Closed Won'],
  ['closedlost', 'Closed Lost'],
];

type Spec = [name: string, type: PropertyType, extra?: { options?: [string, string][]; readOnly?: boolean; owner?: boolean; group?: string; label?: string }];

const FIELD_TYPE: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
  phone_number: 'phonenumber',
};

const RO = { readOnly: true };
const OWNER = { owner: true };

const COMMON: Spec[] = [
  ['hs_object_id', 'number', RO],
  ['hs_createdate', 'datetime', RO],
  ['hs_lastmodifieddate', 'datetime', RO],
  ['hubspot_owner_id', 'enumeration', OWNER],
];

const ENGAGEMENT_COMMON: Spec[] = [...COMMON, ['hs_timestamp', 'datetime']];

const SPECS: Record<ObjectType, Spec[]> = {
  contacts: [
    ...COMMON,
    ['createdate', 'datetime', RO],
    ['lastmodifieddate', 'datetime', RO],
    ['email', 'string'],
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['jobtitle', 'string'],
    ['company', 'string'],
    ['phone', 'phone_number'],
    ['city', 'string'],
    ['associatedcompanyid', 'number'],
    ['lifecyclestage', 'enumeration', { options: DEFAULT_LIFECYCLE_STAGES }],
    ['hs_lead_status', 'enumeration', { options: LEAD_STATUSES }],
    ['num_conversion_events', 'number', RO],
    ['recent_conversion_event_name', 'string', RO],
    ['recent_conversion_date', 'datetime', RO],
    ['first_conversion_event_name', 'string', RO],
    ['first_conversion_date', 'datetime', RO],
    ['hs_email_open', 'number', RO],
    ['hs_email_first_open_date', 'datetime', RO],
    ['hs_email_last_open_date', 'datetime', RO],
    ['hs_email_last_email_name', 'string', RO],
    ['notes_last_contacted', 'datetime', RO],
    ['notes_last_updated', 'datetime', RO],
    ['num_contacted_notes', 'number', RO],
    ...DEFAULT_LIFECYCLE_STAGES.map(([v]): Spec => [`hs_lifecyclestage_${v}_date`, 'datetime', RO]),
  ],
  companies: [
    ...COMMON,
    ['createdate', 'datetime', RO],
    ['name', 'string'],
    ['domain', 'string'],
    ['industry', 'enumeration', { options: INDUSTRIES }],
    ['numberofemployees', 'number'],
    ['annualrevenue', 'number'],
    ['city', 'string'],
    ['state', 'string'],
    ['country', 'string'],
    ['lifecyclestage', 'enumeration', { options: DEFAULT_LIFECYCLE_STAGES }],
  ],
  deals: [
    ...COMMON,
    ['createdate', 'datetime', RO],
    ['dealname', 'string'],
    ['amount', 'number'],
    ['pipeline', 'enumeration', { options: [['default', 'Sales Pipeline']] }],
    ['dealstage', 'enumeration', { options: DEAL_STAGES }],
    ['closedate', 'datetime'],
    ['hs_is_closed', 'bool', RO],
  ],
  tasks: [
    ...ENGAGEMENT_COMMON,
    ['hs_task_subject', 'string'],
    ['hs_task_body', 'string'],
    [
      'hs_task_status',
      'enumeration',
      { options: [['NOT_STARTED', 'Not started'], ['IN_PROGRESS', 'In progress'], ['WAITING', 'Waiting'], ['COMPLETED', 'Completed'], ['DEFERRED', 'Deferred']] },
    ],
    ['hs_task_priority', 'enumeration', { options: [['NONE', 'None'], ['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High']] }],
    ['hs_task_type', 'enumeration', { options: [['EMAIL', 'Email'], ['CALL', 'Call'], ['TODO', 'To-do'], ['LINKED_IN', 'LinkedIn']] }],
    ['hs_task_reminders', 'string'],
    ['hs_task_completion_date', 'datetime', RO],
  ],
  notes: [...ENGAGEMENT_COMMON, ['hs_note_body', 'string']],
  calls: [
    ...ENGAGEMENT_COMMON,
    ['hs_call_title', 'string'],
    ['hs_call_body', 'string'],
    ['hs_call_direction', 'enumeration', { options: [['INBOUND', 'Inbound'], ['OUTBOUND', 'Outbound']] }],
    ['hs_call_duration', 'number'],
    ['hs_call_disposition', 'string'],
    [
      'hs_call_status',
      'enumeration',
      { options: [['BUSY', 'Busy'], ['CALLING_CRM_USER', 'Calling CRM user'], ['CANCELED', 'Canceled'], ['COMPLETED', 'Completed'], ['CONNECTING', 'Connecting'], ['FAILED', 'Failed'], ['IN_PROGRESS', 'In progress'], ['NO_ANSWER', 'No answer'], ['QUEUED', 'Queued'], ['RINGING', 'Ringing']] },
    ],
  ],
  emails: [
    ...ENGAGEMENT_COMMON,
    ['hs_email_subject', 'string'],
    ['hs_email_text', 'string'],
    ['hs_email_direction', 'enumeration', { options: [['EMAIL', 'Sent'], ['INCOMING_EMAIL', 'Reply'], ['FORWARDED_EMAIL', 'Forwarded']] }],
    ['hs_email_status', 'enumeration', { options: [['BOUNCED', 'Bounced'], ['FAILED', 'Failed'], ['SCHEDULED', 'Scheduled'], ['SENDING', 'Sending'], ['SENT', 'Sent']] }],
  ],
  meetings: [
    ...ENGAGEMENT_COMMON,
    ['hs_meeting_title', 'string'],
    ['hs_meeting_body', 'string'],
    ['hs_meeting_start_time', 'datetime'],
    ['hs_meeting_end_time', 'datetime'],
    [
      'hs_meeting_outcome',
      'enumeration',
      { options: [['SCHEDULED', 'Scheduled'], ['COMPLETED', 'Completed'], ['RESCHEDULED', 'Rescheduled'], ['NO_SHOW', 'No show'], ['CANCELED', 'Canceled']] },
    ],
  ],
};

export const DEFAULT_GROUPS: Record<ObjectType, PropertyGroupDefinition[]> = {
  contacts: [
    { name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false },
    { name: 'conversioninformation', label: 'Conversion information', displayOrder: 1, archived: false },
    { name: 'emailinformation', label: 'Email information', displayOrder: 2, archived: false },
    { name: 'sales_properties', label: 'Sales properties', displayOrder: 3, archived: false },
  ],
  companies: [{ name: 'companyinformation', label: 'Company information', displayOrder: 0, archived: false }],
  deals: [{ name: 'dealinformation', label: 'Deal information', displayOrder: 0, archived: false }],
  tasks: [{ name: 'task', label: 'Task', displayOrder: 0, archived: false }],
  notes: [{ name: 'note', label: 'Note', displayOrder: 0, archived: false }],
  calls: [{ name: 'call', label: 'Call', displayOrder: 0, archived: false }],
  emails: [{ name: 'email', label: 'Email', displayOrder: 0, archived: false }],
  meetings: [{ name: 'meeting', label: 'Meeting', displayOrder: 0, archived: false }],
};

export function toOptions(pairs: [string, string][]): PropertyOption[] {
  return pairs.map(([value, label], i) => ({ value, label, displayOrder: i, hidden: false }));
}

export function defaultProperties(type: ObjectType, now: number): PropertyDefinition[] {
  const group = DEFAULT_GROUPS[type][0]?.name ?? 'information';
  return SPECS[type].map(([name, ptype, extra], i) => ({
    name,
    label: extra?.label ?? name,
    description: '',
    type: ptype,
    fieldType: extra?.owner ? 'select' : FIELD_TYPE[ptype],
    groupName: extra?.group ?? group,
    options: extra?.options ? toOptions(extra.options) : ptype === 'bool' ? toOptions([['true', 'Yes'], ['false', 'No']]) : [],
    displayOrder: i,
    hubspotDefined: true,
    readOnlyValue: extra?.readOnly ?? false,
    ...(extra?.owner ? { referencedObjectType: 'OWNER', externalOptions: true } : {}),
    hasUniqueValue: false,
    formField: !extra?.readOnly,
    hidden: false,
    createdAt: now,
    updatedAt: now,
  }));
}

/** Properties returned by reads that name no `properties` (HubSpot's per-type defaults). */
export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  meetings: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Properties searched by a search request's free-text `query`. */
export const QUERY_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'phone'],
  deals: ['dealname'],
  tasks: ['hs_task_subject', 'hs_task_body'],
  notes: ['hs_note_body'],
  calls: ['hs_call_title', 'hs_call_body'],
  emails: ['hs_email_subject', 'hs_email_text'],
  meetings: ['hs_meeting_title', 'hs_meeting_body'],
};
