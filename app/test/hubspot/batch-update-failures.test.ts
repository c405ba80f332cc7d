import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { HubSpotBatchPartialError } from '../../src/hubspot/hubspot-errors';
import { API, batchAnswer, gatewayKit, ids, jsonReply } from './gateway-test-kit';

type UpdateBody = { inputs: { id: string; properties: Record<string, string> }[] };
const update = '/crm/v3/objects/contacts/batch/update';

describe.each(testBackends())('contact batch update failures on %s', (kind) => {
  const t = useTestDatabase(kind);
  afterEach(() => {
    nock.cleanAll();
  });
  const inputs = (n: number) => ids(n).map((id) => ({ id, properties: { tossup_score: '10' } }));

  it('a whole-batch 400 naming ids in context.ids: the rest is sent again without them, the named ids are reported', async () => {
    const { gateway } = gatewayKit(t.db);
    const sent: string[][] = [];
    nock(API)
      .post(update)
      .times(2)
      .reply(jsonReply<UpdateBody>((b) => {
        sent.push(b.inputs.map((i) => i.id));
        if (b.inputs.some((i) => i.id === '42')) {
          return [400, { status: 'error', message: 'Property values were not valid', correlationId: 'c-9', category: 'VALIDATION_ERROR', context: { ids: ['42'] } }];
        }
        return [200, batchAnswer(b)];
      }));
    const err = await gateway.updateContacts('62515', inputs(100)).catch((e: unknown) => e);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toHaveLength(99);
    expect(sent[1]).not.toContain('42');
    expect(err).toBeInstanceOf(HubSpotBatchPartialError);
    expect((err as HubSpotBatchPartialError).failures).toEqual([{ ids: ['42'], message: 'Property values were not valid', category: 'VALIDATION_ERROR' }]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a whole-batch 404 OBJECT_NOT_FOUND naming the id in its message: the rest is written, the id comes back as missing', async () => {
    const { gateway } = gatewayKit(t.db);
    const sent: number[] = [];
    nock(API)
      .post(update)
      .times(2)
      .reply(jsonReply<UpdateBody>((b) => {
        sent.push(b.inputs.length);
        if (b.inputs.some((i) => i.id === '7')) return [404, { status: 'error', message: "No contact with ID '7' exists", correlationId: 'c-10', category: 'OBJECT_NOT_FOUND' }];
        return [200, batchAnswer(b)];
      }));
    const res = await gateway.updateContacts('62515', inputs(10));
    expect(sent).toEqual([10, 9]);
    expect(res.missing).toEqual(['7']);
  });

  it('a 207 with per-id errors in the first group does not stop the next groups; all failures are reported together', async () => {
    const { gateway } = gatewayKit(t.db);
    const sizes: number[] = [];
    nock(API)
      .post(update)
      .times(2)
      .reply(jsonReply<UpdateBody>((b) => {
        sizes.push(b.inputs.length);
        const bad = b.inputs.find((i) => i.id === '2' || i.id === '150');
        if (!bad) return [200, batchAnswer(b)];
        return [
          207,
          {
            ...batchAnswer({ inputs: b.inputs.filter((i) => i.id !== bad.id) }),
            numErrors: 1,
            errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid', context: { ids: [bad.id] } }],
          },
        ];
      }));
    const err = await gateway.updateContacts('62515', inputs(150)).catch((e: unknown) => e);
    expect(sizes).toEqual([100, 50]);
    expect((err as HubSpotBatchPartialError).failures.map((f) => f.ids)).toEqual([['2'], ['150']]);
  });

  it('a 400 that names no id of the batch fails the batch as before', async () => {
    const { gateway } = gatewayKit(t.db);
    const scope = nock(API).post(update).once().reply(400, { status: 'error', message: 'Property "x" does not exist', correlationId: 'c-11', category: 'VALIDATION_ERROR' });
    await expect(gateway.updateContacts('62515', inputs(3))).rejects.toMatchObject({ name: 'HubSpotApiError', category: 'validation' });
    expect(scope.isDone()).toBe(true);
  });
});
