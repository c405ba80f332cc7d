import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';

/**
 * The sandbox driven by the real @hubspot/api-client (only basePath differs):
 * HubSpot's paths, status codes, JSON shapes and CRM rules.
 */
const START = Date.parse('2026-06-01T00:00:00Z');

interface ApiError {
  code: number;
  body: { status?: string; message?: string; category?: string };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox CRM API through @hubspot/api-client', () => {
  let sandbox: Sandbox;
  let client: Client;
  const clock = createManualClock(START);

  beforeAll(async () => {
    sandbox = await createSandbox({ clock, rateLimit: false });
    client = new Client({ accessToken: sandbox.issueTokens().access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => sandbox.close());

  it('reads a seeded contact by id with its primary company association', async () => {
    const id = sandbox.seed?.contactIds[0] as string;
    const c = await client.crm.contacts.basicApi.getById(id, ['email', 'jobtitle', 'lifecyclestage', 'hs_object_id'], undefined, ['companies']);
    expect(c.id).toBe(id);
    expect(c.properties.hs_object_id).toBe(id);
    expect(c.properties.email).toMatch(/@/);
    expect(c.createdAt).toBeInstanceOf(Date);
    const companyIds = c.associations?.companies?.results.map((r) => r.id) ?? [];
    expect(companyIds).toContain(sandbox.seed?.companyIds[0]);
    expect(c.associations?.companies?.results.map((r) => r.type)).toEqual(expect.arrayContaining(['contact_to_company', 'contact_to_company_unlabeled']));
  });

  it('stores and returns every value as a string and maintains createdate/lastmodifieddate', async () => {
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'str@example.jp', firstname: '花子', associatedcompanyid: 42 as unknown as string }, associations: [] });
    expect(created.properties.associatedcompanyid).toBe('42');
    expect(created.properties.createdate).toBe(new Date(START).toISOString());
    clock.advance(60_000);
    const updated = await client.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: '部長' } });
    expect(updated.properties.jobtitle).toBe('部長');
    expect(updated.properties.lastmodifieddate).toBe(new Date(START + 60_000).toISOString());
    expect(updated.properties.createdate).toBe(new Date(START).toISOString());
  });

  it('rejects unknown properties and bad options with HubSpot’s 400 body, writing nothing', async () => {
    const id = sandbox.seed?.contactIds[1] as string;
    const e = await failure(client.crm.contacts.basicApi.update(id, { properties: { jobtitle: '変更しない', no_such_prop: 'x' } }));
    expect(e.code).toBe(400);
    expect(e.body.category).toBe('VALIDATION_ERROR');
    expect(e.body.message).toContain('Property values were not valid');
    expect(e.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const bad = await failure(client.crm.contacts.basicApi.update(id, { properties: { lifecyclestage: 'not_a_stage' } }));
    expect(bad.body.message).toContain('INVALID_OPTION');
    const after = await client.crm.contacts.basicApi.getById(id, ['jobtitle']);
    expect(after.properties.jobtitle).not.toBe('変更しない');
  });

  it('moves lifecycle stage forward only; clearing first allows a backward move', async () => {
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'lc@example.jp', lifecyclestage: 'lead' }, associations: [] });
    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'salesqualifiedlead' } });
    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'marketingqualifiedlead' } });
    const stillSql = await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage']);
    expect(stillSql.properties.lifecyclestage).toBe('salesqualifiedlead');

    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: '' } });
    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'marketingqualifiedlead' } });
    const moved = await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'], ['lifecyclestage']);
    expect(moved.properties.lifecyclestage).toBe('marketingqualifiedlead');
    expect(moved.propertiesWithHistory?.lifecyclestage?.map((h) => h.value)).toEqual(['marketingqualifiedlead', '', 'salesqualifiedlead', 'lead']);
    expect(moved.propertiesWithHistory?.lifecyclestage?.[0]?.sourceType).toBe('INTEGRATION');
  });

  it('creates a task with an inline association (task→contact 204) visible from both sides', async () => {
    const contactId = sandbox.seed?.contactIds[2] as string;
    const owner = sandbox.seed?.ownerIds.fieldSales[1] as string;
    const task = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: String(START + 86_400_000), hs_task_subject: 'トスアップ対応', hs_task_priority: 'HIGH', hubspot_owner_id: owner },
      associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(task.properties.hs_timestamp).toBe(new Date(START + 86_400_000).toISOString());
    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'tasks');
    const link = fromContact.results.find((r) => String(r.toObjectId) === task.id);
    expect(link?.associationTypes).toEqual([{ category: 'HUBSPOT_DEFINED', typeId: 203, label: null }]);
    const batch = await client.crm.associations.v4.batchApi.getPage('tasks', 'contacts', { inputs: [{ id: task.id }] });
    expect(batch.results[0]?.to.map((t) => String(t.toObjectId))).toEqual([contactId]);
    const missing = await failure(client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'no timestamp' }, associations: [] }));
    expect(missing.code).toBe(400);
    expect(missing.body.message).toContain('hs_timestamp');
  });

  it('limits batches to 100 inputs and history batch reads to 50', async () => {
    const ids = sandbox.seed?.contactIds ?? [];
    const e = await failure(client.crm.contacts.batchApi.read({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) })), properties: [], propertiesWithHistory: [] }));
    expect(e.code).toBe(400);
    expect(e.body.category).toBe('VALIDATION_ERROR');
    const h = await failure(client.crm.contacts.batchApi.read({ inputs: ids.slice(0, 51).map((id) => ({ id })), properties: ['email'], propertiesWithHistory: ['lifecyclestage'] }));
    expect(h.code).toBe(400);
    expect(h.body.message).toContain('property histories is 50');
    const ok = await client.crm.contacts.batchApi.read({ inputs: ids.slice(0, 50).map((id) => ({ id })), properties: ['email'], propertiesWithHistory: ['lifecyclestage'] });
    expect(ok.results).toHaveLength(50);
    expect(ok.results[0]?.propertiesWithHistory?.lifecyclestage?.[0]?.sourceType).toBe('IMPORT');
    const create101 = await failure(client.crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, (_, i) => ({ properties: { email: `b${i}@x.jp` }, associations: [] })) }));
    expect(create101.code).toBe(400);
  });

  it('answers 207 with OBJECT_NOT_FOUND for missing ids in a batch read', async () => {
    const id = sandbox.seed?.contactIds[0] as string;
    const r = await client.crm.contacts.batchApi.read({ inputs: [{ id }, { id: '999999999' }], properties: ['email'], propertiesWithHistory: [] });
    expect(r.results.map((x) => x.id)).toEqual([id]);
    expect((r as { errors?: { category: string; context: Record<string, string[]> }[] }).errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999'] } });
  });

  it('searches with filters, sorts and after-paging, capped at 200 per page', async () => {
    const all: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' as never }] }],
        sorts: ['hs_object_id'],
        properties: ['email'],
        limit: 25,
        ...(after ? { after } : {}),
      });
      all.push(...page.results.map((r) => r.id));
      expect(page.total).toBeGreaterThanOrEqual(60);
      after = page.paging?.next?.after;
    } while (after);
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all).size).toBe(all.length);
    expect(all.map(Number)).toEqual([...all.map(Number)].sort((a, b) => a - b));

    const e = await failure(client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 201 }));
    expect(e.code).toBe(400);
    const deep = await failure(client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 10, after: '10000' }));
    expect(deep.code).toBe(400);

    const companyId = sandbox.seed?.companyIds[1] as string;
    const big = await client.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'numberofemployees', operator: 'GTE' as never, value: '1000' }, { propertyName: 'industry', operator: 'IN' as never, values: ['COMPUTER_SOFTWARE', 'BANKING'] }] }],
      sorts: ['-numberofemployees'] as never,
      properties: ['name', 'numberofemployees'],
      limit: 10,
    });
    expect(big.results.map((r) => r.id)).toContain(companyId);
    expect(big.results.every((r) => Number(r.properties.numberofemployees) >= 1000)).toBe(true);
    const counts = big.results.map((r) => Number(r.properties.numberofemployees));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('creates property groups and properties (201), 409 on duplicates, and reads the portal’s lifecycle stages', async () => {
    const g = await client.crm.properties.groupsApi.create('contacts', { name: 'tossup', label: 'tossup（トスアップ）', displayOrder: -1 });
    expect(g.name).toBe('tossup');
    const p = await client.crm.properties.coreApi.create('contacts', { name: 'tossup_bant_need', label: 'BANT: ニーズ', type: 'bool' as never, fieldType: 'booleancheckbox' as never, groupName: 'tossup', options: [{ label: 'はい', value: 'true', hidden: false }, { label: 'いいえ', value: 'false', hidden: false }] });
    expect(p.name).toBe('tossup_bant_need');
    const dup = await failure(client.crm.properties.coreApi.create('contacts', { name: 'tossup_bant_need', label: 'x', type: 'bool' as never, fieldType: 'booleancheckbox' as never, groupName: 'tossup' }));
    expect(dup.code).toBe(409);
    expect(dup.body.category).toBe('OBJECT_ALREADY_EXISTS');
    const dupGroup = await failure(client.crm.properties.groupsApi.create('contacts', { name: 'tossup', label: 'again' }));
    expect(dupGroup.code).toBe(409);
    const lc = await client.crm.properties.coreApi.getByName('contacts', 'lifecyclestage');
    expect(lc.options.map((o) => o.value)).toEqual(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
    // The new custom property is now writable and validated.
    const id = sandbox.seed?.contactIds[3] as string;
    const u = await client.crm.contacts.basicApi.update(id, { properties: { tossup_bant_need: 'true' } });
    expect(u.properties.tossup_bant_need).toBe('true');
    const bad = await failure(client.crm.contacts.basicApi.update(id, { properties: { tossup_bant_need: 'maybe' } }));
    expect(bad.code).toBe(400);
  });

  it('lists owners with teams, paged, and archived owners separately; users carry superAdmin', async () => {
    const page1 = await client.crm.owners.ownersApi.getPage(undefined, undefined, 5, false);
    expect(page1.results).toHaveLength(5);
    expect(page1.paging?.next?.after).toBeDefined();
    const page2 = await client.crm.owners.ownersApi.getPage(undefined, page1.paging?.next?.after, 100, false);
    const active = [...page1.results, ...page2.results];
    expect(active.map((o) => o.id)).toEqual(expect.arrayContaining([...(sandbox.seed?.ownerIds.insideSales ?? [])]));
    expect(active.some((o) => o.archived)).toBe(false);
    const teams = new Set(active.flatMap((o) => o.teams?.map((t) => t.name) ?? []));
    expect([...teams].sort()).toEqual(['インサイドセールス部', 'フィールドセールス部', 'マーケティング部'].sort());
    const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, true);
    expect(archived.results.map((o) => o.id)).toEqual([sandbox.seed?.ownerIds.archived]);
    const users = await client.settings.users.usersApi.getPage();
    expect(users.results.filter((u) => u.superAdmin)).toHaveLength(1);
    const teamList = await client.settings.users.teamsApi.getAll();
    expect(teamList.results).toHaveLength(3);
  });

  it('pages marketing-event participations (breakdown) and counts them', async () => {
    const eventId = sandbox.seed?.marketingEventId as string;
    const contactId = sandbox.seed?.contactIds[20] as string;
    sandbox.scenario.attendEvent({ contactId, eventId });
    const counters = await client.marketing.events.retrieveParticipantStateApi.getParticipationsCountersByMarketingEventId(Number(eventId));
    expect(counters).toMatchObject({ attended: 1, registered: 6 });
    const first = await client.marketing.events.retrieveParticipantStateApi.getParticipationsBreakdownByMarketingEventId(Number(eventId), undefined, undefined, 4);
    expect(first.total).toBe(6);
    expect(first.results).toHaveLength(4);
    const rest = await client.marketing.events.retrieveParticipantStateApi.getParticipationsBreakdownByMarketingEventId(Number(eventId), undefined, undefined, 4, first.paging?.next?.after);
    expect(rest.results).toHaveLength(2);
    const attended = await client.marketing.events.retrieveParticipantStateApi.getParticipationsBreakdownByContactId(contactId, 'ATTENDED');
    expect(attended.results[0]?.properties.attendanceState).toBe('ATTENDED');
    expect(attended.results[0]?.associations.marketingEvent.marketingEventId).toBe(eventId);
  });
});
