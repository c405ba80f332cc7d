import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import type { PlannedTask } from '../../src/domain/types';
import { HubSpotApiError, HubSpotBatchPartialError, SideEffectInFlightError } from '../../src/hubspot/hubspot-errors';
import { createMemoryRateBudget } from '../../src/hubspot/rate-budget';
import { sideEffectMarker } from '../../src/hubspot/side-effect-marker';
import { API, batchAnswer, fakeTokens, gatewayKit, ids, jsonReply, T0 } from './gateway-test-kit';

type BatchBody = { inputs: { id: string }[]; properties?: string[]; propertiesWithHistory?: string[] };

function task(key: string, contactId = '501'): PlannedTask {
  return {
    key,
    ownerId: '77',
    subject: '【トスアップ】初回接触 / First touch',
    body: 'BANT: Need, Timeline',
    dueAt: T0 + 86_400_000,
    priority: 'HIGH',
    type: 'CALL',
    associations: { contactId, companyId: '9001', dealId: '3001' },
  };
}

describe.each(testBackends())('HubSpot gateway on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    await t.db.query('delete from side_effects');
  });

  describe('batching', () => {
    it('reads 250 contacts with 3 batch calls of 100/100/50, not 250 GETs', async () => {
      const { gateway } = gatewayKit(t.db);
      const sizes: number[] = [];
      const scope = nock(API, { reqheaders: { authorization: 'Bearer token-62515' } })
        .post('/crm/v3/objects/contacts/batch/read')
        .query({ archived: 'false' })
        .times(3)
        .reply(
          200,
          jsonReply<BatchBody>((b) => {
            sizes.push(b.inputs.length);
            expect(b.properties).toEqual(['email', 'lifecyclestage']);
            return batchAnswer(b, (id) => ({ email: `${id}@example.jp` }));
          }),
        );
      const out = await gateway.readContacts('62515', ids(250), ['email', 'lifecyclestage']);
      expect(scope.isDone()).toBe(true);
      expect(sizes).toEqual([100, 100, 50]);
      expect(out).toHaveLength(250);
      expect(out[249]).toMatchObject({ id: '250', properties: { email: '250@example.jp' } });
    });

    it('uses batches of 50 with propertiesWithHistory and returns history newest first as epoch ms', async () => {
      const { gateway } = gatewayKit(t.db);
      const sizes: number[] = [];
      const scope = nock(API)
        .post('/crm/v3/objects/contacts/batch/read')
        .query(true)
        .times(3)
        .reply(200, jsonReply<BatchBody>((b) => {
          sizes.push(b.inputs.length);
          expect(b.propertiesWithHistory).toEqual(['recent_conversion_event_name']);
          const answer = batchAnswer(b) as { results: Record<string, unknown>[] };
          for (const r of answer.results) {
            r.propertiesWithHistory = {
              recent_conversion_event_name: [
                { value: '資料ダウンロード', timestamp: '2025-05-02T00:00:00.000Z', sourceType: 'FORM' },
                { value: 'お問い合わせ', timestamp: '2025-05-01T00:00:00.000Z', sourceType: 'FORM' },
              ],
            };
          }
          return answer;
        }));
      const out = await gateway.readContacts('62515', ids(120), ['recent_conversion_event_name'], ['recent_conversion_event_name']);
      expect(scope.isDone()).toBe(true);
      expect(sizes).toEqual([50, 50, 20]);
      // The history's sourceType is kept too (issue 14: who completed the gate is credited).
      expect(out[0]!.propertiesWithHistory!.recent_conversion_event_name).toEqual([
        { value: '資料ダウンロード', timestamp: Date.parse('2025-05-02T00:00:00.000Z'), sourceType: 'FORM' },
        { value: 'お問い合わせ', timestamp: Date.parse('2025-05-01T00:00:00.000Z'), sourceType: 'FORM' },
      ]);
    });

    it('updates 250 contacts in 3 calls, merging duplicate inputs; not-found ids come back as missing', async () => {
      const { gateway } = gatewayKit(t.db);
      const sizes: number[] = [];
      const scope = nock(API)
        .post('/crm/v3/objects/contacts/batch/update')
        .times(3)
        .reply(jsonReply<{ inputs: { id: string; properties: Record<string, string> }[] }>((b) => {
          sizes.push(b.inputs.length);
          const gone = b.inputs.find((i) => i.id === '7');
          if (gone) {
            return [
              207,
              {
                ...batchAnswer({ inputs: b.inputs.filter((i) => i.id !== '7') }),
                status: 'COMPLETE',
                numErrors: 1,
                errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects', context: { ids: ['7'] } }],
              },
            ];
          }
          return [200, batchAnswer(b)];
        }));
      const inputs: { id: string; properties: Record<string, string> }[] = ids(250).map((id) => ({ id, properties: { tossup_score: '10' } }));
      inputs.push({ id: '1', properties: { tossup_stage: 'mql' } });
      const res = await gateway.updateContacts('62515', inputs);
      expect(scope.isDone()).toBe(true);
      expect(sizes).toEqual([100, 100, 50]);
      expect(res.missing).toEqual(['7']);
    });

    it('a 207 with validation errors throws a typed partial error naming the ids', async () => {
      const { gateway } = gatewayKit(t.db);
      nock(API)
        .post('/crm/v3/objects/contacts/batch/update')
        .reply(207, {
          status: 'COMPLETE',
          results: [],
          numErrors: 1,
          errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid', context: { ids: ['2'] } }],
          startedAt: '2025-01-01T00:00:00Z',
          completedAt: '2025-01-01T00:00:01Z',
        });
      const err = await gateway.updateContacts('62515', [{ id: '2', properties: { lifecyclestage: 'bogus' } }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HubSpotBatchPartialError);
      expect((err as HubSpotBatchPartialError).failures).toEqual([{ ids: ['2'], message: 'Property values were not valid', category: 'VALIDATION_ERROR' }]);
    });

    it('follows association paging for the ids that have more', async () => {
      const { gateway } = gatewayKit(t.db);
      const calls: unknown[] = [];
      const scope = nock(API)
        .post('/crm/v4/associations/calls/contacts/batch/read')
        .times(2)
        .reply(200, jsonReply<{ inputs: { id: string; after?: string }[] }>((b) => {
          calls.push(b);
          if (b.inputs[0]!.after) {
            return { status: 'COMPLETE', results: [{ from: { id: '1' }, to: [{ toObjectId: 12, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] }] }], startedAt: '2025-01-01T00:00:00Z', completedAt: '2025-01-01T00:00:00Z' };
          }
          return {
            status: 'COMPLETE',
            results: [
              { from: { id: '1' }, to: [{ toObjectId: 11, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] }], paging: { next: { after: 'abc' } } },
              { from: { id: '2' }, to: [{ toObjectId: 21, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: 'Primary' }] }] },
            ],
            startedAt: '2025-01-01T00:00:00Z',
            completedAt: '2025-01-01T00:00:00Z',
          };
        }));
      const out = await gateway.readAssociations('62515', 'calls', ['1', '2'], 'contacts');
      expect(scope.isDone()).toBe(true);
      expect(calls).toEqual([{ inputs: [{ id: '1' }, { id: '2' }] }, { inputs: [{ id: '1', after: 'abc' }] }]);
      expect(out.get('1')!.map((a) => a.id)).toEqual(['11', '12']);
      expect(out.get('2')).toEqual([{ id: '21', typeIds: [194], labels: ['Primary'] }]);
    });
  });

  describe('retries', () => {
    const read = (gateway: ReturnType<typeof gatewayKit>['gateway']) => gateway.readCompanies('62515', ['9'], ['name']);
    const ok = jsonReply<BatchBody>((b) => batchAnswer(b));
    const rolling = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'c-1', policyName: 'TEN_SECONDLY_ROLLING' };

    it('429 TEN_SECONDLY_ROLLING waits for the window (10 s) and retries', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      const scope = nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(429, rolling).post('/crm/v3/objects/companies/batch/read').query(true).reply(200, ok);
      await read(gateway);
      expect(scope.isDone()).toBe(true);
      expect(sleeps).toEqual([10_000]);
    });

    it('honours Retry-After on a 429', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(429, rolling, { 'Retry-After': '3' }).post('/crm/v3/objects/companies/batch/read').query(true).reply(200, ok);
      await read(gateway);
      expect(sleeps).toEqual([3_000]);
    });

    it('a 429 storm ends after 5 attempts with a typed, retryable error', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      const scope = nock(API).post('/crm/v3/objects/companies/batch/read').query(true).times(5).reply(429, rolling);
      const err = await read(gateway).catch((e: unknown) => e);
      expect(scope.isDone()).toBe(true);
      expect(err).toBeInstanceOf(HubSpotApiError);
      expect(err).toMatchObject({ category: 'rate_limit', status: 429, retryable: true, options: { attempts: 5, correlationId: 'c-1' } });
      expect(sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
    });

    it('429 DAILY is not retried', async () => {
      const { gateway } = gatewayKit(t.db);
      const scope = nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(429, { ...rolling, policyName: 'DAILY' });
      await expect(read(gateway)).rejects.toMatchObject({ category: 'daily_limit', retryable: false });
      expect(scope.isDone()).toBe(true);
    });

    it('5xx backs off exponentially with jitter, then succeeds', async () => {
      const kit = gatewayKit(t.db, { retry: { random: () => 0 } });
      nock(API)
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(502, 'bad gateway')
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(503, 'unavailable')
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(500, { status: 'error', message: 'internal' })
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(200, ok);
      await read(kit.gateway);
      // base 500 ms · 2^(n-1), scaled by the jitter factor (0.5 with random() = 0).
      expect(kit.sleeps).toEqual([250, 500, 1000]);
    });

    it('423 Locked waits about 2 s and retries', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(423, { status: 'error', message: 'locked' }).post('/crm/v3/objects/companies/batch/read').query(true).reply(200, ok);
      await read(gateway);
      expect(sleeps).toEqual([2_000]);
    });

    it('a 400 validation error is not retried', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      const scope = nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(400, { status: 'error', message: 'Property "x" does not exist', category: 'VALIDATION_ERROR' });
      const err = (await read(gateway).catch((e: unknown) => e)) as HubSpotApiError;
      expect(scope.isDone()).toBe(true);
      expect(err.category).toBe('validation');
      expect(err.message).toContain('Property "x" does not exist');
      expect(sleeps).toEqual([]);
    });

    it('an inactive install stops before any HTTP call', async () => {
      const { gateway } = gatewayKit(t.db, { tokens: fakeTokens(new Set(['62515'])) });
      await expect(read(gateway)).rejects.toMatchObject({ name: 'InstallNotActiveError', status: 'uninstalled' });
    });
  });

  describe('per-portal limiter', () => {
    it("portal A's full window never delays portal B", async () => {
      const budget = createMemoryRateBudget({ standard: { max: 3, windowMs: 10_000 }, search: { max: 5, windowMs: 1_000 } });
      const { gateway, sleeps, clock } = gatewayKit(t.db, { rateBudget: budget });
      const seen: { portal: string; at: number }[] = [];
      nock(API)
        .persist()
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(
          200,
          jsonReply<BatchBody>((b, req) => {
            seen.push({ portal: String(req.headers.get('authorization')).replace('Bearer token-', ''), at: clock.now() });
            return batchAnswer(b);
          }),
        );
      for (let i = 0; i < 3; i++) await gateway.readCompanies('1001', ['1'], ['name']);
      await gateway.readCompanies('2002', ['1'], ['name']);
      expect(sleeps).toEqual([]);
      await gateway.readCompanies('1001', ['1'], ['name']);
      expect(sleeps).toEqual([10_000]);
      await gateway.readCompanies('2002', ['1'], ['name']);
      expect(sleeps).toEqual([10_000]);
      expect(seen.map((s) => s.portal)).toEqual(['1001', '1001', '1001', '2002', '1001', '2002']);
    });

    it('never sends more than 100 calls in any rolling 10 s for one portal (default budget), so no 429s', async () => {
      const { gateway, clock } = gatewayKit(t.db);
      const times: number[] = [];
      nock(API)
        .persist()
        .post('/crm/v3/objects/companies/batch/read')
        .query(true)
        .reply(
          200,
          jsonReply<BatchBody>((b) => {
            times.push(clock.now());
            clock.advance(20); // each call takes 20 ms of (manual) time
            return batchAnswer(b);
          }),
        );
      for (let i = 0; i < 250; i++) await gateway.readCompanies('62515', [String(i)], ['name']);
      expect(times).toHaveLength(250);
      for (let i = 0; i < times.length; i++) {
        const inWindow = times.filter((x) => x > times[i]! - 10_000 && x <= times[i]!).length;
        expect(inWindow).toBeLessThanOrEqual(100);
      }
      expect(times[100]! - times[0]!).toBeGreaterThanOrEqual(10_000);
    });

    it('search has its own 5 per second lane', async () => {
      const { gateway, sleeps } = gatewayKit(t.db);
      nock(API)
        .persist()
        .post('/crm/v3/objects/contacts/search')
        .reply(200, { total: 0, results: [] });
      for (let i = 0; i < 6; i++) await gateway.searchContactsModifiedSince('62515', 0, 10);
      expect(sleeps).toEqual([1_000]);
    });
  });

  describe('open hand-offs for the routing load seed (issue 17)', () => {
    it('asks for tossup_stage IN (sql, accepted), follows pages, keeps contacts with a numeric tossup_handoff_to', async () => {
      const { gateway } = gatewayKit(t.db);
      const bodies: { after?: string }[] = [];
      const scope = nock(API)
        .persist()
        .post('/crm/v3/objects/contacts/search')
        .reply(
          200,
          jsonReply<{ filterGroups: unknown; properties: string[]; sorts: unknown; after?: string }>((b) => {
            expect(b.filterGroups).toEqual([{ filters: [{ propertyName: 'tossup_stage', operator: 'IN', values: ['sql', 'accepted'] }] }]);
            expect(b.properties).toEqual(['tossup_stage', 'tossup_handoff_to']);
            expect(b.sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
            bodies.push({ ...(b.after ? { after: b.after } : {}) });
            if (!b.after) return { total: 3, results: [{ id: '1', properties: { tossup_stage: 'sql', tossup_handoff_to: '501' } }, { id: '2', properties: { tossup_stage: 'accepted', tossup_handoff_to: '' } }], paging: { next: { after: '2' } } };
            return { total: 3, results: [{ id: '3', properties: { tossup_stage: 'accepted', tossup_handoff_to: '502' } }] };
          }),
        );
      expect(await gateway.listOpenHandoffContacts!('62515')).toEqual([
        { contactId: '1', ownerId: '501' },
        { contactId: '3', ownerId: '502' },
      ]);
      scope.persist(false);
      expect(bodies).toEqual([{}, { after: '2' }]);
    });
  });

  describe('contact search by e-mail', () => {
    it('asks CRM search for email EQ the trimmed address and answers the ids', async () => {
      const { gateway } = gatewayKit(t.db);
      const scope = nock(API)
        .post('/crm/v3/objects/contacts/search', (b: { filterGroups: { filters: { propertyName: string; operator: string; value: string }[] }[] }) => {
          expect(b.filterGroups).toEqual([{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'lead@example.co.jp' }] }]);
          return true;
        })
        .reply(200, { total: 1, results: [{ id: '501', properties: { email: 'lead@example.co.jp' } }] });
      expect(await gateway.searchContactIdsByEmail('62515', ' lead@example.co.jp ')).toEqual(['501']);
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('reconciliation search', () => {
    it('splits the window when a query would pass 10,000 results, and follows pages', async () => {
      const { gateway } = gatewayKit(t.db);
      const windows: [string, string, string | undefined][] = [];
      const scope = nock(API)
        .persist()
        .post('/crm/v3/objects/contacts/search')
        .reply(200, jsonReply<{ filterGroups: { filters: { value: string }[] }[]; after?: string; limit: number; sorts: unknown[] }>((b) => {
          expect(b.limit).toBe(200);
          expect(b.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
          const [from, to] = b.filterGroups[0]!.filters.map((f) => f.value) as [string, string];
          windows.push([from, to, b.after]);
          if (from === '0' && to === '1000') return { total: 15_000, results: [] };
          if (b.after === undefined) return { total: 2, results: [{ id: `${from}-a`, properties: { hs_lastmodifieddate: '2025-01-01T00:00:00Z' } }], paging: { next: { after: '1' } } };
          return { total: 2, results: [{ id: `${from}-b`, properties: { hs_lastmodifieddate: String(Number(from) + 1) } }] };
        }));
      const out = await gateway.listContactsModifiedBetween('62515', 0, 1000);
      scope.persist(false);
      expect(windows).toEqual([
        ['0', '1000', undefined],
        ['0', '500', undefined],
        ['0', '500', '1'],
        ['500', '1000', undefined],
        ['500', '1000', '1'],
      ]);
      expect(out).toEqual([
        { id: '0-a', lastModifiedAt: Date.parse('2025-01-01T00:00:00Z') },
        { id: '0-b', lastModifiedAt: 1 },
        { id: '500-a', lastModifiedAt: Date.parse('2025-01-01T00:00:00Z') },
        { id: '500-b', lastModifiedAt: 501 },
      ]);
    });
  });

  describe('idempotent tasks and notes', () => {
    type CreateBody = { inputs: { properties: Record<string, string>; associations: unknown[] }[] };
    const created = (b: CreateBody) => {
      return {
        status: 'COMPLETE',
        // Reversed on purpose: results are mapped back by marker, not by position.
        results: [...b.inputs].reverse().map((input, i) => ({ id: String(7000 + i), properties: input.properties, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' })),
        startedAt: '2025-01-01T00:00:00Z',
        completedAt: '2025-01-01T00:00:00Z',
      };
    };

    it('creates tasks in one batch with inline associations and never twice for the same key', async () => {
      const { gateway } = gatewayKit(t.db);
      let sent: CreateBody['inputs'] = [];
      const scope = nock(API)
        .post('/crm/v3/objects/tasks/batch/create')
        .reply(
          201,
          jsonReply<CreateBody>((b) => {
            sent = b.inputs;
            return created(b);
          }),
        );
      const first = await gateway.createTasks('62515', [task('task:handoff:501:c1'), task('task:handoff:502:c1', '502')]);
      expect(scope.isDone()).toBe(true);
      expect(sent).toHaveLength(2);
      const marker = sideEffectMarker('62515', 'task:handoff:501:c1');
      expect(sent[0]!.properties).toMatchObject({
        hs_task_subject: '【トスアップ】初回接触 / First touch',
        hs_task_priority: 'HIGH',
        hs_task_type: 'CALL',
        hs_task_status: 'NOT_STARTED',
        hubspot_owner_id: '77',
        hs_timestamp: String(T0 + 86_400_000),
      });
      expect(sent[0]!.properties.hs_task_body).toContain(marker);
      expect(sent[0]!.associations).toEqual([
        { to: { id: '501' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
        { to: { id: '9001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] },
        { to: { id: '3001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] },
      ]);
      expect(first.get('task:handoff:501:c1')).toBe('7001');
      expect(first.get('task:handoff:502:c1')).toBe('7000');

      // Redelivery / replay: no HTTP call at all (nock would refuse it), same ids.
      const again = await gateway.createTasks('62515', [task('task:handoff:501:c1')]);
      expect(again.get('task:handoff:501:c1')).toBe('7001');
    });

    it('splits 150 notes into batches of 100 and 50', async () => {
      const { gateway } = gatewayKit(t.db);
      const sizes: number[] = [];
      const scope = nock(API)
        .post('/crm/v3/objects/notes/batch/create')
        .times(2)
        .reply(
          201,
          jsonReply<CreateBody>((b) => {
            sizes.push(b.inputs.length);
            return created(b);
          }),
        );
      const notes = ids(150).map((id) => ({ key: `note:handoff:${id}`, body: 'BANT', timestamp: T0, associations: { contactId: id } }));
      const out = await gateway.createNotes('62515', notes);
      expect(scope.isDone()).toBe(true);
      expect(sizes).toEqual([100, 50]);
      expect(out.size).toBe(150);
    });

    it('crash between HubSpot\'s answer and our commit: recovery adopts the task found by its marker instead of creating a second', async () => {
      const { gateway, clock } = gatewayKit(t.db);
      const key = 'task:handoff:501:c1';
      const marker = sideEffectMarker('62515', key);
      // The reservation an earlier attempt left behind.
      await t.db.query(`insert into side_effects (portal_id, effect_key, kind, state, request, created_at) values ($1, $2, 'task', 'pending', '{}'::jsonb, $3)`, ['62515', key, T0]);

      // Too young for search (index lag): nothing is sent, the caller retries later.
      clock.set(T0 + 10_000);
      const early = await gateway.createTasks('62515', [task(key)]).catch((e: unknown) => e);
      expect(early).toBeInstanceOf(SideEffectInFlightError);
      expect((early as SideEffectInFlightError).retryAtMs).toBe(T0 + 60_000);

      clock.set(T0 + 61_000);
      const search = nock(API)
        .post('/crm/v3/objects/tasks/search', (b: { filterGroups: { filters: { propertyName: string; operator: string; value: string }[] }[] }) => {
          expect(b.filterGroups).toEqual([{ filters: [{ propertyName: 'hs_task_body', operator: 'CONTAINS_TOKEN', value: marker }] }]);
          return true;
        })
        .reply(200, { total: 1, results: [{ id: '8123', properties: { hs_task_body: `BANT\n\n(tossup ref: ${marker})` } }] });
      const out = await gateway.createTasks('62515', [task(key)]);
      expect(search.isDone()).toBe(true);
      expect(out.get(key)).toBe('8123');
      const row = await t.db.query<{ state: string; hubspot_id: string }>('select state, hubspot_id from side_effects where effect_key = $1', [key]);
      expect(row.rows[0]).toEqual({ state: 'done', hubspot_id: '8123' });
    });

    it('recovery creates the task when HubSpot has none with the marker', async () => {
      const { gateway, clock } = gatewayKit(t.db);
      const key = 'task:handoff:777:c1';
      await t.db.query(`insert into side_effects (portal_id, effect_key, kind, state, request, created_at) values ($1, $2, 'task', 'pending', '{}'::jsonb, $3)`, ['62515', key, T0 - 120_000]);
      clock.set(T0);
      const scope = nock(API).post('/crm/v3/objects/tasks/search').reply(200, { total: 0, results: [] }).post('/crm/v3/objects/tasks/batch/create').reply(201, jsonReply<CreateBody>(created));
      const out = await gateway.createTasks('62515', [task(key, '777')]);
      expect(scope.isDone()).toBe(true);
      expect(out.get(key)).toBe('7000');
    });

    it('a 5xx on create is not blindly retried (the reservation stays pending for recovery); a 400 frees the key', async () => {
      const { gateway } = gatewayKit(t.db);
      const key = 'task:handoff:601:c1';
      const scope = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(502, { status: 'error', message: 'Bad gateway' });
      await expect(gateway.createTasks('62515', [task(key, '601')])).rejects.toMatchObject({ category: 'server', options: { attempts: 1 } });
      expect(scope.isDone()).toBe(true);
      // A proxy's HTML 502 is unreadable (category network): not retried either.
      const html = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(502, '<html>Bad gateway</html>');
      await expect(gateway.createTasks('62515', [task(key + 'b', '601')])).rejects.toMatchObject({ category: 'network', options: { attempts: 1 } });
      expect(html.isDone()).toBe(true);
      let row = await t.db.query<{ state: string }>('select state from side_effects where effect_key = $1', [key]);
      expect(row.rows[0]!.state).toBe('pending');

      const key2 = 'task:handoff:602:c1';
      nock(API).post('/crm/v3/objects/tasks/batch/create').reply(400, { status: 'error', message: 'hubspot_owner_id: owner 77 is not active', category: 'VALIDATION_ERROR' });
      await expect(gateway.createTasks('62515', [task(key2, '602')])).rejects.toMatchObject({ category: 'validation' });
      row = await t.db.query<{ state: string }>('select state from side_effects where effect_key = $1', [key2]);
      expect(row.rows[0]!.state).toBe('failed');
      const retry = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(201, jsonReply<CreateBody>(created));
      const out = await gateway.createTasks('62515', [task(key2, '602')]);
      expect(retry.isDone()).toBe(true);
      expect(out.get(key2)).toBe('7000');
    });
  });

  describe('directory reads', () => {
    it('lists active owners with teams across pages, and lifecycle stages in displayOrder', async () => {
      const { gateway } = gatewayKit(t.db);
      const scope = nock(API)
        .get('/crm/v3/owners/')
        .query({ limit: '500', archived: 'false' })
        .reply(200, {
          results: [{ id: '1', userId: 11, email: 'is@example.jp', firstName: '花子', lastName: '山田', archived: false, teams: [{ id: '10', name: 'インサイドセールス', primary: true }], createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' }],
          paging: { next: { after: 'p2' } },
        })
        .get('/crm/v3/owners/')
        .query({ after: 'p2', limit: '500', archived: 'false' })
        .reply(200, { results: [{ id: '2', archived: false, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' }] })
        .get('/crm/v3/properties/contacts/lifecyclestage')
        .query({ archived: 'false' })
        .reply(200, {
          name: 'lifecyclestage',
          label: 'Lifecycle stage',
          type: 'enumeration',
          fieldType: 'radio',
          groupName: 'contactinformation',
          options: [
            { value: 'customer', label: 'Customer', displayOrder: 5, hidden: false },
            { value: 'lead', label: 'Lead', displayOrder: 1, hidden: false },
            { value: '1234567', label: 'Nurture (custom)', displayOrder: 2, hidden: false },
            { value: 'subscriber', label: 'Subscriber', displayOrder: 0, hidden: false },
          ],
        });
      const owners = await gateway.listOwners('62515');
      const stages = await gateway.getLifecycleStages('62515');
      expect(scope.isDone()).toBe(true);
      expect(owners).toEqual([
        { id: '1', userId: 11, email: 'is@example.jp', firstName: '花子', lastName: '山田', archived: false, teams: [{ id: '10', name: 'インサイドセールス', primary: true }] },
        { id: '2', archived: false, teams: [] },
      ]);
      expect(stages).toEqual(['subscriber', 'lead', '1234567', 'customer']);
    });
  });
});
