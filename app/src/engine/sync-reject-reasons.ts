/**
 * Keeps the options of `tossup_reject_reason_code` in step with the admin's reject
 * reasons (settings `recycle.reasons`), at publish, at install and at start-up for
 * installed portals. Idempotent: it reads the options first and writes only when they
 * differ (domain/reject-reason-options.ts). It never throws: a refused update (missing
 * scope, a HubSpot error) is recorded per portal (reject_reason_sync), counted in
 * `tossup_reject_reason_sync_failures_total` and shown on the settings page, and rejects
 * keep working — a code HubSpot does not accept is written as `other`.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { RejectReason } from '@tossup/shared/reject-reasons';
import { DEFAULT_REJECT_REASONS } from '@tossup/shared/reject-reasons';
import { rejectReasonOptions, sameOptions } from '../domain/reject-reason-options';
import type { HubSpotPortalSetup } from '../hubspot/hubspot-gateway-types';
import { HubSpotApiError } from '../hubspot/hubspot-errors';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Metrics } from '../platform/metrics';
import type { RejectReasonSyncState, RejectReasonSyncStore } from '../storage/reject-reason-sync-store';

export const REJECT_REASON_PROPERTY = 'tossup_reject_reason_code';

export interface RejectReasonSyncDeps {
  gateway: HubSpotPortalSetup;
  store: RejectReasonSyncStore;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
}

/** The codes a reject may write for the portal: the synced options, else the defaults the property was created with. */
export async function acceptedReasonCodes(store: RejectReasonSyncStore, portalId: string): Promise<string[]> {
  const state = await store.get(portalId);
  return state ? state.acceptedCodes : DEFAULT_REJECT_REASONS.map((r) => r.code);
}

/** Why HubSpot refused, and what the admin does about it, in both languages (shown on the settings page). */
function whyRefused(err: unknown): Bilingual {
  const property = REJECT_REASON_PROPERTY;
  if (err instanceof HubSpotApiError) {
    if (err.category === 'auth') {
      const scopes = err.options.requiredScopes?.length ? err.options.requiredScopes.join(', ') : 'crm.schemas.contacts.write';
      return {
        ja: `HubSpotがプロパティ ${property} の更新を拒否しました（${err.status ?? 'auth'}）。アプリに権限 ${scopes} が必要です。アプリを再インストールして権限を許可し、設定を再度公開してください。`,
        en: `HubSpot refused to update the property ${property} (${err.status ?? 'auth'}): the app needs the scope ${scopes}. Reinstall the app to grant it, then publish the settings again.`,
      };
    }
    const what = `${err.category}${err.status ? ` ${err.status}` : ''}`;
    return {
      ja: `HubSpotがプロパティ ${property} の更新を拒否しました（${what}: ${err.detail}）。設定を再度公開すると再試行します。`,
      en: `HubSpot refused to update the property ${property} (${what}): ${err.detail}. Publish the settings again to retry.`,
    };
  }
  const message = (err as Error).message;
  return {
    ja: `プロパティ ${property} を更新できませんでした（${message}）。設定を再度公開すると再試行します。`,
    en: `Could not update the property ${property}: ${message}. Publish the settings again to retry.`,
  };
}

export function createRejectReasonSync(deps: RejectReasonSyncDeps) {
  const failures = deps.metrics.counter('tossup_reject_reason_sync_failures_total', 'Reject-reason option syncs HubSpot refused (rejects write `other` for codes that are not options)', ['reason']);
  const fallbacks = deps.metrics.counter('tossup_reject_reason_fallback_total', 'Rejects whose reason code was written as `other` because it is not an option in HubSpot yet');
  return {
    acceptedCodes: (portalId: string) => acceptedReasonCodes(deps.store, portalId),
    state: (portalId: string) => deps.store.get(portalId),
    countFallback: () => fallbacks.inc(),
    async sync(portalId: string, reasons: readonly RejectReason[]): Promise<RejectReasonSyncState> {
      const publishedCodes = reasons.map((r) => r.code);
      const attemptedAt = deps.clock.now();
      const before = await deps.store.get(portalId).catch(() => null);
      let known: string[] = before?.acceptedCodes ?? DEFAULT_REJECT_REASONS.map((r) => r.code);
      try {
        if (!deps.gateway.readContactPropertyOptions || !deps.gateway.replaceContactPropertyOptions) throw new Error('this gateway cannot update property options');
        const current = await deps.gateway.readContactPropertyOptions(portalId, REJECT_REASON_PROPERTY);
        if (current === null) throw new Error(`the property does not exist yet; it is created at install and at start-up`);
        known = current.map((o) => o.value);
        const wanted = rejectReasonOptions(reasons, current);
        if (!sameOptions(current, wanted)) {
          await deps.gateway.replaceContactPropertyOptions(portalId, REJECT_REASON_PROPERTY, wanted);
          deps.logger.info({ portalId, codes: publishedCodes }, 'reject reason options synced');
        }
        const state = { status: 'synced' as const, acceptedCodes: wanted.map((o) => o.value), publishedCodes, error: null, attemptedAt };
        await deps.store.record(portalId, state);
        return { ...state, syncedAt: attemptedAt };
      } catch (err) {
        const error = whyRefused(err);
        failures.inc({ reason: err instanceof HubSpotApiError ? err.category : 'other' });
        deps.logger.warn({ err, portalId }, 'reject reason options not synced; rejects with a code HubSpot does not accept write `other`');
        const state = { status: 'failed' as const, acceptedCodes: known, publishedCodes, error, attemptedAt };
        await deps.store.record(portalId, state).catch((e: unknown) => deps.logger.warn({ err: e, portalId }, 'reject reason sync state not stored'));
        return { ...state, syncedAt: before?.syncedAt ?? null };
      }
    },
  };
}

export type RejectReasonSync = ReturnType<typeof createRejectReasonSync>;
