import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, startE2E, timeOf, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * `object.associationChange` end to end: an engagement associated with a
 * contact after it was created re-evaluates the contact in the next drain, through the
 * association event alone — no property of the contact changes, so nothing else would
 * wake the pipeline before the 15-minute reconciliation sweep.
 */

let h: E2E;
beforeEach(async () => {
  h = await startE2E();
});
afterEach(async () => {
  await h.close();
});

function userOf(ownerId: string): number {
  const o = h.sandbox.portal().owners.find((x) => x.id === ownerId);
  if (!o) throw new Error(`no owner ${ownerId} in the seed`);
  return o.userId;
}

/** A seeded lead with an open deal, handed off by IS after a seminar (docs/product.md "The flow" §5). */
async function handOff(): Promise<{ contactId: string; rep: string; handoffAt: number }> {
  const contactId = h.seed.contactIds[4]!;
  h.sandbox.scenario.attendEvent({ contactId });
  h.advance(HOUR);
  const is = h.seed.ownerIds.insideSales[2]!;
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: is });
  h.sandbox.scenario.setProperties({
    objectId: contactId,
    properties: { tossup_bant_budget: 'true', tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_handoff_reason: '7月までに選定 / Selecting by July' },
    userId: userOf(is),
  });
  await h.settle();
  const c = h.contact(contactId);
  expect(c.tossup_stage).toBe('sql');
  expect(c.tossup_sla_first_touch).toBe('pending');
  return { contactId, rep: c.tossup_handoff_to!, handoffAt: timeOf(c.tossup_sql_at)! };
}

describe('association events', () => {
  it('a call created without associations, then associated in a second request, records the first touch in the next drain', async () => {
    const { contactId, rep, handoffAt } = await handOff();

    h.advance(5 * HOUR);
    const { objectId: callId } = h.sandbox.scenario.logActivity({ type: 'call', ownerId: rep, subject: '初回架電 / First call' });
    await h.settle();
    expect(h.associationIds('calls', callId, 'contacts')).toEqual([]);
    expect(h.contact(contactId).tossup_sla_first_touch).toBe('pending');

    h.advance(10 * MINUTE);
    const associatedAt = h.clock.now();
    h.sandbox.scenario.associate({ fromType: 'calls', fromId: callId, toType: 'contacts', toId: contactId, userId: userOf(rep) });
    await h.sandbox.flushWebhooks();
    // What reached the app about the contact since: the association, and nothing else.
    const since = await h.ctx.db.query<{ subscription_type: string; status: string }>('select subscription_type, status from webhook_inbox where occurred_at >= $1 and object_id = $2', [associatedAt, contactId]);
    expect(since.rows).toEqual([{ subscription_type: 'object.associationChange', status: 'pending' }]);

    await h.settle();
    const c = h.contact(contactId);
    expect(c.tossup_sla_first_touch).toBe('met');
    expect(timeOf(c.tossup_first_touch_at)).toBe(handoffAt + 5 * HOUR);
    expect(c.tossup_first_touch_hours).toBe('5');
  });
});
