/**
 * The options of one enumeration property: read them, replace them. HubSpot's update
 * takes the whole list ("you must include all of the options that you want to use with
 * the property; there is no way to append or remove a single option"), so the caller
 * passes the full list it wants (domain/reject-reason-options.ts).
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/patch-crm-v3-properties-objectType-propertyName
 * Needs crm.schemas.contacts.write for contacts, the scope that created the property at install.
 */
import type { PropertyUpdate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyUpdate';
import type { PropertyOption } from '../domain/reject-reason-options';
import type { HubSpotCall } from './call-with-retry';
import { HubSpotApiError } from './hubspot-errors';

/** The property's options in HubSpot's order; null when the property does not exist. */
export async function readPropertyOptions(call: HubSpotCall, portalId: string, objectType: string, propertyName: string): Promise<PropertyOption[] | null> {
  try {
    const p = await call(portalId, `properties.${objectType}.read`, 'standard', (a) => a.properties.getByName(objectType, propertyName));
    return (p.options ?? []).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden }));
  } catch (err) {
    if (err instanceof HubSpotApiError && err.status === 404) return null;
    throw err;
  }
}

/** Replaces the property's options with `options` (the whole list). */
export async function replacePropertyOptions(call: HubSpotCall, portalId: string, objectType: string, propertyName: string, options: readonly PropertyOption[]): Promise<void> {
  const update = { options: options.map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder, hidden: o.hidden })) } as PropertyUpdate;
  await call(portalId, `properties.${objectType}.update`, 'standard', (a) => a.properties.update(objectType, propertyName, update));
}
