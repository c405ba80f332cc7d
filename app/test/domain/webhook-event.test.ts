import { describe, expect, it } from 'vitest';
import { contactSides, describeEvent, eventKey, webhookEventSchema } from '../../src/domain/webhook-event';

/** Association events in HubSpot's two shapes (domain/webhook-event.ts cites the sources). */
const base = { eventId: 101, subscriptionId: 4100017, portalId: 62515, appId: 39594762, occurredAt: 1_760_000_000_000, attemptNumber: 0, changeSource: 'CRM_UI', sourceId: 'userId:77' };
const generic = {
  ...base,
  subscriptionType: 'object.associationChange',
  fromObjectTypeId: '0-48',
  fromObjectId: 9001,
  toObjectTypeId: '0-1',
  toObjectId: 501,
  associationTypeId: 194,
  associationCategory: 'HUBSPOT_DEFINED',
  associationRemoved: false,
  isPrimaryAssociation: false,
};
const parse = (e: unknown) => webhookEventSchema.parse(e);

describe('association events', () => {
  it('generic object.associationChange: both sides, the contact side as the object, kept whole', () => {
    const e = parse(generic);
    expect(describeEvent(e)).toEqual({
      kind: 'contact',
      action: 'associationChange',
      objectId: '501',
      association: { from: { objectTypeId: '0-48', kind: 'call', objectId: '9001' }, to: { objectTypeId: '0-1', kind: 'contact', objectId: '501' }, removed: false },
    });
    expect(e).toMatchObject({ associationTypeId: 194, associationCategory: 'HUBSPOT_DEFINED', isPrimaryAssociation: false });
  });

  it('legacy contact.associationChange: the from side from the subscription, the to side from associationType', () => {
    const legacy = parse({ ...base, subscriptionType: 'contact.associationChange', fromObjectId: '501', toObjectId: '7001', associationType: 'CONTACT_TO_COMPANY', associationRemoved: true });
    expect(describeEvent(legacy)).toMatchObject({
      objectId: '501',
      association: { from: { objectTypeId: '0-1', objectId: '501' }, to: { objectTypeId: '0-2', kind: 'company', objectId: '7001' }, removed: true },
    });
    const deal = parse({ ...base, subscriptionType: 'deal.associationChange', fromObjectId: 3001, toObjectId: 501, associationType: 'DEAL_TO_CONTACT' });
    expect(describeEvent(deal)).toMatchObject({ objectId: '501', association: { from: { objectTypeId: '0-3', kind: undefined }, removed: false } });
  });

  it('a generic event without the *ObjectTypeId fields falls back to associationType; absent associationRemoved counts as added', () => {
    const { fromObjectTypeId: _f, toObjectTypeId: _t, associationRemoved: _r, ...rest } = generic;
    const d = describeEvent(parse({ ...rest, associationType: 'CALL_TO_CONTACT' }));
    expect(d).toMatchObject({ objectId: '501', association: { from: { kind: 'call' }, to: { kind: 'contact' }, removed: false } });
  });

  it('contact ↔ contact names both contacts', () => {
    const d = describeEvent(parse({ ...generic, fromObjectTypeId: '0-1', fromObjectId: 502, associationTypeId: 449 }))!;
    expect(contactSides(d.association!)).toEqual(['502', '501']);
  });

  it('without a contact side, or without ids or types, the event is not acted on (stored as ignored)', () => {
    expect(describeEvent(parse({ ...generic, toObjectTypeId: '0-2', toObjectId: 7001 }))).toBeUndefined();
    const { toObjectId: _id, ...noTo } = generic;
    expect(describeEvent(parse(noTo))).toBeUndefined();
    const { fromObjectTypeId: _f, ...noFromType } = generic;
    expect(describeEvent(parse(noFromType))).toBeUndefined();
  });

  it('keys: one per side, stable across redeliveries, also without eventId', () => {
    const other = { ...generic, eventId: 102, fromObjectTypeId: '0-1', fromObjectId: 501, toObjectTypeId: '0-48', toObjectId: 9001, associationTypeId: 193 };
    expect(eventKey(parse(generic))).not.toBe(eventKey(parse(other)));
    const { eventId: _a, subscriptionId: _b, ...bare } = generic;
    const { eventId: _c, subscriptionId: _d, ...bareOther } = other;
    expect(eventKey(parse({ ...bare, attemptNumber: 3 }))).toBe(eventKey(parse(bare)));
    expect(eventKey(parse(bare))).not.toBe(eventKey(parse(bareOther)));
  });

  it('object-level events keep their description', () => {
    expect(describeEvent(parse({ ...base, subscriptionType: 'object.creation', objectTypeId: '0-48', objectId: 9001 }))).toEqual({ kind: 'call', action: 'creation', objectId: '9001' });
    expect(describeEvent(parse({ ...base, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: 501, propertyName: 'jobtitle', propertyValue: '部長' }))).toEqual({ kind: 'contact', action: 'propertyChange', objectId: '501' });
  });
});
