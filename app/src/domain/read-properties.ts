/**
 * Which CRM properties the pipeline reads so the core can decide. Kept beside the
 * core so a new rule adds its inputs here and the batch reads follow.
 */
import { CONTRACT_PROPERTY_NAMES } from '@tossup/shared/contract-properties';
import { GATE_INPUT_PROPERTIES } from './handoff-credit';

export const CONTACT_READ_PROPERTIES: readonly string[] = [
  'email',
  'firstname',
  'lastname',
  'jobtitle',
  'company',
  'lifecyclestage',
  'hubspot_owner_id',
  'hs_lead_status',
  'hs_email_open',
  // When the latest open happened: dates new email-open signals (decay needs an age).
  'hs_email_last_open_date',
  'num_conversion_events',
  'recent_conversion_event_name',
  'recent_conversion_date',
  'first_conversion_event_name',
  'first_conversion_date',
  'notes_last_contacted',
  'associatedcompanyid',
  'hs_lastmodifieddate',
  'createdate',
  ...CONTRACT_PROPERTY_NAMES,
];

/**
 * Read with history so every form submission counts once, not only the latest.
 * HubSpot limits batch reads with propertiesWithHistory to 50 inputs (not 100).
 */
export const CONTACT_HISTORY_PROPERTIES: readonly string[] = [
  'recent_conversion_event_name',
  'recent_conversion_date',
  // SLA status update: a change of hs_lead_status after the hand-off counts (docs/product.md §6).
  'hs_lead_status',
  // Who completed the gate: the hand-off credits that user (handoff-credit.ts).
  ...GATE_INPUT_PROPERTIES,
];

export const COMPANY_READ_PROPERTIES: readonly string[] = ['name', 'numberofemployees', 'industry', 'hubspot_owner_id'];
