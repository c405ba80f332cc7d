import { vi } from 'vitest';
import type { CardApiClient } from '@tossup/ui/client/card-api-client';
import type { ApiResult } from '@tossup/shared/card-dto';

/** A CardApiClient whose every method is a vi.fn; unset methods fail loudly so a test never passes by accident. */
export function fakeApi(overrides: Partial<Record<keyof CardApiClient, (...args: never[]) => Promise<ApiResult<unknown>>>> = {}) {
  const unexpected = (name: string) => vi.fn(async () => {
    throw new Error(`unexpected call to api.${name}`);
  });
  const api = {
    getHandoff: overrides.getHandoff ? vi.fn(overrides.getHandoff) : unexpected('getHandoff'),
    saveBant: overrides.saveBant ? vi.fn(overrides.saveBant) : unexpected('saveBant'),
    tossUp: overrides.tossUp ? vi.fn(overrides.tossUp) : unexpected('tossUp'),
    getTimeline: overrides.getTimeline ? vi.fn(overrides.getTimeline) : unexpected('getTimeline'),
    accept: overrides.accept ? vi.fn(overrides.accept) : unexpected('accept'),
    reject: overrides.reject ? vi.fn(overrides.reject) : unexpected('reject'),
    getSettings: overrides.getSettings ? vi.fn(overrides.getSettings) : unexpected('getSettings'),
    saveSettings: overrides.saveSettings ? vi.fn(overrides.saveSettings) : unexpected('saveSettings'),
    previewSettings: overrides.previewSettings ? vi.fn(overrides.previewSettings) : unexpected('previewSettings'),
    listSettingsVersions: overrides.listSettingsVersions ? vi.fn(overrides.listSettingsVersions) : unexpected('listSettingsVersions'),
    getSettingsVersion: overrides.getSettingsVersion ? vi.fn(overrides.getSettingsVersion) : unexpected('getSettingsVersion'),
    saveSettingsDraft: overrides.saveSettingsDraft ? vi.fn(overrides.saveSettingsDraft) : unexpected('saveSettingsDraft'),
    publishSettingsVersion: overrides.publishSettingsVersion ? vi.fn(overrides.publishSettingsVersion) : unexpected('publishSettingsVersion'),
    restoreSettingsVersion: overrides.restoreSettingsVersion ? vi.fn(overrides.restoreSettingsVersion) : unexpected('restoreSettingsVersion'),
    diffSettings: overrides.diffSettings ? vi.fn(overrides.diffSettings) : unexpected('diffSettings'),
    testContact: overrides.testContact ? vi.fn(overrides.testContact) : unexpected('testContact'),
    listForms: overrides.listForms ? vi.fn(overrides.listForms) : unexpected('listForms'),
    startImpactRun: overrides.startImpactRun ? vi.fn(overrides.startImpactRun) : unexpected('startImpactRun'),
    getImpactRun: overrides.getImpactRun ? vi.fn(overrides.getImpactRun) : unexpected('getImpactRun'),
    getLatestImpactRun: overrides.getLatestImpactRun ? vi.fn(overrides.getLatestImpactRun) : unexpected('getLatestImpactRun'),
    cancelImpactRun: overrides.cancelImpactRun ? vi.fn(overrides.cancelImpactRun) : unexpected('cancelImpactRun'),
  };
  return api as typeof api & CardApiClient;
}

export function cardContext(locale: string, objectTypeId = '0-1', objectId = 5001) {
  return { user: { locale }, portal: { timezone: 'Asia/Tokyo' }, crm: { objectId, objectTypeId } };
}

export function fakeActions() {
  return { addAlert: vi.fn(), refreshObjectProperties: vi.fn() };
}

/**
 * Fires an event handler with an argument. The testing library types the argument
 * of trigger() as the handler itself (0.17), so the call goes through this one cast.
 */
export function fire(node: { trigger: (...args: never[]) => void }, event: string, arg?: unknown): void {
  (node.trigger as unknown as (event: string, arg?: unknown) => void)(event, arg);
}
