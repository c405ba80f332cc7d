import { beforeEach, describe, expect, it } from 'vitest';
import type { OutOfOfficeListView } from '@tossup/shared/routing-dto';
import { createManualClock } from '../../src/platform/clock';
import { addOutOfOffice, deleteOutOfOffice, listOutOfOffice } from '../../src/storage/routing-out-of-office-store';
import { useTestDatabase } from '../../../test/kit/use-test-database';
import { createFakeWorld, PORTAL, send, startCardApi, T0, testContext, type CardServer } from './card-api-test-kit';

const REP = '9301'; // owner 301
const OTHER_REP = '9302'; // owner 302
const SUPER_ADMIN = '9999'; // no owner record
let n = 0;
const key = () => `ooo-test-key-${String((n += 1)).padStart(8, '0')}`;

// 「不在設定」 (issue 17) on the real store: a rep for themself, a super admin for anyone.
describe('card API out of office (/api/v1/out-of-office)', () => {
  const t = useTestDatabase('pglite');
  let server: CardServer;

  beforeEach(async (testCtx) => {
    await t.db.query('delete from routing_out_of_office');
    const world = createFakeWorld();
    world.deps.outOfOffice = { list: (p, f, o) => listOutOfOffice(t.db, p, f, o), add: (p, r, by, now) => addOutOfOffice(t.db, p, r, by, now), remove: (p, id, o) => deleteOutOfOffice(t.db, p, id, o) };
    server = await startCardApi(testContext(t.db, world.deps, createManualClock(T0)));
    testCtx.onTestFinished(() => server.close());
  });

  it('refuses unsigned requests', async () => {
    const res = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: REP, body: { idempotencyKey: key(), from: '2026-12-28', to: '2027-01-04' } }, { headers: { 'x-hubspot-signature-v3': 'forged' } });
    expect(res.status).toBe(401);
  });

  it('a rep sets and removes their own days, never someone else’s', async () => {
    const set = await send<OutOfOfficeListView>(server, { method: 'POST', path: '/api/v1/out-of-office', userId: REP, body: { idempotencyKey: key(), from: '2026-12-28', to: '2027-01-04', note: '年末年始' } });
    expect(set.json.data).toMatchObject({ canEditOthers: false, ownerId: '301', ranges: [{ ownerId: '301', ownerName: '鈴木 健太', from: '2026-12-28', to: '2027-01-04', note: '年末年始' }] });
    const forOther = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: REP, body: { idempotencyKey: key(), ownerId: '302', from: '2026-12-28', to: '2026-12-29' } });
    expect(forOther.json.error).toMatchObject({ code: 'forbidden', message_ja: '他の担当者の不在はスーパー管理者のみ設定できます。' });
    const id = set.json.data!.ranges[0]!.id;
    const byOther = await send(server, { method: 'POST', path: `/api/v1/out-of-office/${id}/delete`, userId: OTHER_REP, body: { idempotencyKey: key() } });
    expect(byOther.json.error).toMatchObject({ code: 'not_found' });
    const mine = await send<OutOfOfficeListView>(server, { method: 'POST', path: `/api/v1/out-of-office/${id}/delete`, userId: REP, body: { idempotencyKey: key() } });
    expect(mine.json.data!.ranges).toEqual([]);
  });

  it('a super admin sets anyone’s days; ranges are checked', async () => {
    const res = await send<OutOfOfficeListView>(server, { method: 'POST', path: '/api/v1/out-of-office', userId: SUPER_ADMIN, body: { idempotencyKey: key(), ownerId: '302', from: '2026-12-01', to: '2026-12-02' } });
    expect(res.json.data).toMatchObject({ canEditOthers: true, ranges: [{ ownerId: '302', from: '2026-12-01' }] });
    const own = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: SUPER_ADMIN, body: { idempotencyKey: key(), from: '2026-12-01', to: '2026-12-02' } });
    expect(own.json.error?.message_ja).toMatch(/^HubSpotの担当者（オーナー）として登録されていないため/);
    const backwards = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: REP, body: { idempotencyKey: key(), from: '2026-12-02', to: '2026-12-01' } });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error?.fields).toEqual([{ path: 'to', message_ja: '終了日: 終了日は開始日と同じ日か、それより後にしてください', message_en: 'To: The end date must be on or after the start date' }]);
    const tooLong = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: REP, body: { idempotencyKey: key(), from: '2026-01-01', to: '2027-12-31' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error?.fields).toEqual([{ path: 'to', message_ja: '終了日: 不在期間は366日までです。期間を分けて登録してください', message_en: 'To: A range is at most 366 days; enter it in parts' }]);
    const unknown = await send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: SUPER_ADMIN, body: { idempotencyKey: key(), ownerId: '777', from: '2026-12-01', to: '2026-12-02' } });
    expect(unknown.json.error).toMatchObject({ code: 'invalid_request', fields: [{ path: 'ownerId', message_ja: '担当者: 担当者 777 はこのポータルにいません', message_en: 'Rep: Owner 777 is not in this portal' }] });
    // Past ranges drop out of the list (T0 is 2026-11-27).
    await addOutOfOffice(t.db, PORTAL, { ownerId: '301', from: '2026-10-01', to: '2026-10-02' }, null, T0);
    const listed = await send<OutOfOfficeListView>(server, { method: 'GET', path: '/api/v1/out-of-office', userId: REP });
    expect(listed.json.data!.ranges.map((r) => r.from)).toEqual(['2026-12-01']);
  });

  it('bad input is answered field by field, in both languages, naming the field', async () => {
    const post = (body: Record<string, unknown>) => send(server, { method: 'POST', path: '/api/v1/out-of-office', userId: SUPER_ADMIN, body: { idempotencyKey: key(), ...body } });
    const shape = await post({ ownerId: 'yamada', from: '2026/12/01', to: '2026-02-30', note: 'x'.repeat(201) });
    expect(shape.status).toBe(400);
    expect(shape.json.error).toMatchObject({ code: 'invalid_request' });
    expect(shape.json.error?.fields).toEqual([
      { path: 'ownerId', message_ja: '担当者: 担当者はHubSpotのオーナーID（数字）で指定してください', message_en: 'Rep: Name the rep by their HubSpot owner id (digits)' },
      { path: 'from', message_ja: '開始日: 日付は YYYY-MM-DD（例 2026-04-06）で入力してください', message_en: 'From: Enter the date as YYYY-MM-DD (e.g. 2026-04-06)' },
      { path: 'to', message_ja: '終了日: 存在しない日付です（例 2026-02-30）。カレンダーの日付を入力してください', message_en: 'To: That date does not exist (e.g. 2026-02-30); enter a calendar date' },
      { path: 'note', message_ja: 'メモ: メモは200文字までです', message_en: 'Note: The note is at most 200 characters' },
    ]);
    expect(shape.json.error?.message_ja).toMatch(/^入力内容を確認してください。担当者: /);
    const missing = await post({ ownerId: '302', to: '2026-12-02' });
    expect(missing.json.error?.fields).toEqual([{ path: 'from', message_ja: '開始日: 入力してください', message_en: 'From: This field is required' }]);
  });
});
