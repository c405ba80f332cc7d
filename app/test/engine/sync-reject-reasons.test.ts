/**
 * The reject-reason options sync (app/src/engine/sync-reject-reasons.ts) against a fake
 * gateway: idempotent (no write when HubSpot already has the list), never throws, and a
 * refusal is recorded, counted and keeps the codes HubSpot does accept.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REJECT_REASONS } from '@tossup/shared/reject-reasons';
import { rejectReasonOptions, type PropertyOption } from '../../src/domain/reject-reason-options';
import { createRejectReasonSync } from '../../src/engine/sync-reject-reasons';
import { HubSpotApiError } from '../../src/hubspot/hubspot-errors';
import { createManualClock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/log';
import { createMetrics } from '../../src/platform/metrics';
import type { RejectReasonSyncState, RejectReasonSyncStore } from '../../src/storage/reject-reason-sync-store';

function memoryStore(): RejectReasonSyncStore & { rows: Map<string, RejectReasonSyncState> } {
  const rows = new Map<string, RejectReasonSyncState>();
  return {
    rows,
    get: async (p) => rows.get(p) ?? null,
    record: async (p, s) => void rows.set(p, { ...s, syncedAt: s.status === 'synced' ? s.attemptedAt : (rows.get(p)?.syncedAt ?? null) }),
  };
}

function setup(options: PropertyOption[] | null, refuse?: HubSpotApiError) {
  const writes: PropertyOption[][] = [];
  let current = options;
  const gateway = {
    ensureContractProperties: async () => ({ groupCreated: false, created: [], existing: [], apiCalls: 0 }),
    readContactPropertyOptions: async () => current,
    replaceContactPropertyOptions: async (_p: string, _n: string, next: readonly PropertyOption[]) => {
      if (refuse) throw refuse;
      writes.push([...next]);
      current = [...next];
    },
  };
  const store = memoryStore();
  const metrics = createMetrics({ defaultMetrics: false });
  const sync = createRejectReasonSync({ gateway, store, metrics, logger: createLogger({ level: 'silent' }), clock: createManualClock(1_000) });
  return { sync, store, writes, metrics };
}

const created = rejectReasonOptions(DEFAULT_REJECT_REASONS, []);
const withPrice = [{ code: 'price', ja: '価格', en: 'Price' }, ...DEFAULT_REJECT_REASONS];

describe('reject reason options sync', () => {
  it('writes nothing when HubSpot already has the list, and writes the whole list once when it changed', async () => {
    const t = setup(created);
    expect(await t.sync.sync('1', DEFAULT_REJECT_REASONS)).toMatchObject({ status: 'synced', error: null });
    expect(t.writes).toEqual([]);
    const state = await t.sync.sync('1', withPrice);
    expect(t.writes).toHaveLength(1);
    expect(t.writes[0]![0]).toEqual({ value: 'price', label: '価格 / Price', displayOrder: 0, hidden: false });
    expect(state.acceptedCodes).toContain('price');
    await t.sync.sync('1', withPrice);
    expect(t.writes).toHaveLength(1);
    expect(await t.sync.acceptedCodes('1')).toContain('price');
  });

  it('a refused update never throws: recorded with how to fix it, counted, and the codes HubSpot has stay writable', async () => {
    const refusal = new HubSpotApiError('properties.contacts.update', '1', 'auth', 403, 'MISSING_SCOPES', { requiredScopes: ['crm.schemas.contacts.write'] });
    const t = setup(created, refusal);
    const state = await t.sync.sync('1', withPrice);
    expect(state).toMatchObject({ status: 'failed', publishedCodes: withPrice.map((r) => r.code) });
    expect(state.acceptedCodes).toEqual(DEFAULT_REJECT_REASONS.map((r) => r.code));
    expect(state.error?.en).toContain('crm.schemas.contacts.write');
    expect(state.error?.en).toContain('Reinstall');
    expect(state.error?.ja).toContain('アプリを再インストールして権限を許可し');
    expect(await t.metrics.registry.getSingleMetricAsString('tossup_reject_reason_sync_failures_total')).toContain('reason="auth"} 1');
    t.sync.countFallback();
    expect(await t.metrics.registry.getSingleMetricAsString('tossup_reject_reason_fallback_total')).toMatch(/tossup_reject_reason_fallback_total 1/);
  });

  it('a portal whose property is missing is recorded as failed, and the default codes stay the accepted ones', async () => {
    const t = setup(null);
    const state = await t.sync.sync('1', withPrice);
    expect(state.status).toBe('failed');
    expect(state.error?.en).toContain('does not exist yet');
    expect(await t.sync.acceptedCodes('2')).toEqual(DEFAULT_REJECT_REASONS.map((r) => r.code));
  });
});
