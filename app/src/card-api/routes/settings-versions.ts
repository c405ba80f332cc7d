/**
 * Settings history (issue 16): save a draft, list versions, export one, publish it,
 * restore an old one (a new published version), and the diff an import would make.
 * Drafts live only in settings_versions; the pipeline reads portal_settings, which
 * only publishing writes (app/src/storage/settings-versions-store.ts). Reads are for
 * any user of the portal; every write is super-admin only and idempotent.
 */
import {
  settingsDiffBodySchema,
  settingsDraftBodySchema,
  settingsVersionActionBodySchema,
  type SettingsDiffView,
  type SettingsVersionDocumentView,
  type SettingsVersionView,
  type SettingsVersionsView,
} from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { diffSettings, summarizeChanges } from '../../domain/settings-diff';
import type { PortalDirectory } from '../../domain/types';
import { ERRORS } from '../api-errors';
import { ownerName } from '../build-views';
import type { SettingsVersion, SettingsVersionsStore } from '../card-api-deps';
import { AnswerNow, defineRoute, fail, ok, param, type Call, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';
import { parsedSettingsOrFail, requireSuperAdmin, syncRejectReasons } from './settings';

/** Versions the page lists; older ones stay stored (and restorable by number). */
export const VERSION_LIST_LIMIT = 50;

const versionLabel = (n: number) => ({ ja: `設定の版 ${n}`, en: `Settings version ${n}` });

function storeOf(call: Call): SettingsVersionsStore {
  const store = call.deps.settingsVersions;
  if (!store) throw new AnswerNow(fail(ERRORS.notFound({ ja: '設定の履歴', en: 'Settings history' })));
  return store;
}

function versionNoOf(call: Call): number {
  const n = Number(param(call.req, 'versionNo'));
  if (!Number.isSafeInteger(n) || n < 1) throw new AnswerNow(fail(ERRORS.notFound(versionLabel(n))));
  return n;
}

function viewOf(v: SettingsVersion, live: SettingsVersion | null, directory: PortalDirectory): SettingsVersionView {
  const owner = v.createdBy === null ? undefined : directory.owners.find((o) => String(o.userId) === v.createdBy);
  return {
    versionNo: v.versionNo,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    createdByName: ownerName(owner),
    summary: v.summary,
    restoredFrom: v.restoredFrom,
    publishedAt: v.publishedAt,
    live: live?.versionNo === v.versionNo,
    pendingDraft: v.publishedAt === null && v.versionNo > (live?.versionNo ?? 0),
  };
}


export function settingsVersionRoutes(kit: RouteKit): CardRoute[] {
  async function answerWith(call: Call, version: SettingsVersion) {
    const store = storeOf(call);
    const [live, directory] = await Promise.all([store.live(call.identity.portalId), kit.directoryOf(call)]);
    return ok(viewOf(version, live, directory));
  }

  async function publishing(call: Call, versionNo: number, restore: boolean) {
    const { portalId, userId } = call.identity;
    const store = storeOf(call);
    const current = await kit.settingsOf(call);
    await requireSuperAdmin(kit, call, current.settings);
    const found = await store.get(portalId, versionNo);
    if (!found) return fail(ERRORS.notFound(versionLabel(versionNo)));
    let version: SettingsVersion;
    if (restore) {
      const summary = summarizeChanges(diffSettings(current.settings, found.settings));
      const added = await store.add(portalId, { settings: found.settings, summary, createdBy: userId, now: call.now, restoredFrom: versionNo, publish: {} });
      if (!added.ok) return fail(ERRORS.settingsConflict());
      version = added.version;
    } else {
      version = (await store.publish(portalId, versionNo, { publishedBy: userId, now: call.now }))!.version;
    }
    // The live rules changed: every view of the portal (departments, gate, scores) with them.
    kit.cache.invalidatePortal(portalId);
    // The published reasons become the options of tossup_reject_reason_code (issue 14); a refusal shows on the settings page.
    await syncRejectReasons(call.deps, portalId, found.settings);
    return answerWith(call, version);
  }

  return [
    defineRoute({
      method: 'get',
      path: '/settings/versions',
      name: 'get_settings_versions',
      async handle(call) {
        const store = storeOf(call);
        const stored = await kit.settingsOf(call);
        const who = await kit.viewer(call, stored.settings);
        const [versions, live, directory] = await Promise.all([
          store.list(call.identity.portalId, VERSION_LIST_LIMIT),
          store.live(call.identity.portalId),
          kit.directoryOf(call),
        ]);
        const view: SettingsVersionsView = { versions: versions.map((v) => viewOf(v, live, directory)), liveVersionNo: live?.versionNo ?? null, canEdit: who.user.superAdmin };
        return ok(view);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/settings/versions/:versionNo',
      name: 'get_settings_version',
      async handle(call) {
        const store = storeOf(call);
        const stored = await kit.settingsOf(call);
        await kit.viewer(call, stored.settings);
        const versionNo = versionNoOf(call);
        const found = await store.get(call.identity.portalId, versionNo);
        if (!found) return fail(ERRORS.notFound(versionLabel(versionNo)));
        const { settings, ...version } = found;
        const [live, directory] = await Promise.all([store.live(call.identity.portalId), kit.directoryOf(call)]);
        const view: SettingsVersionDocumentView<PortalSettings> = { version: viewOf(version, live, directory), settings };
        return ok(view);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/settings/draft',
      name: 'put_settings_draft',
      body: settingsDraftBodySchema,
      mutation: true,
      async handle(call) {
        const store = storeOf(call);
        const current = await kit.settingsOf(call);
        await requireSuperAdmin(kit, call, current.settings);
        const settings = parsedSettingsOrFail(call.body.settings);
        const summary = summarizeChanges(diffSettings(current.settings, settings));
        const added = await store.add(call.identity.portalId, { settings, summary, createdBy: call.identity.userId, now: call.now, publish: false });
        // A draft has no concurrency check to fail.
        if (!added.ok) return fail(ERRORS.settingsConflict());
        return answerWith(call, added.version);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/settings/versions/:versionNo/publish',
      name: 'post_settings_publish',
      body: settingsVersionActionBodySchema,
      mutation: true,
      handle: (call) => publishing(call, versionNoOf(call), false),
    }),
    defineRoute({
      method: 'post',
      path: '/settings/versions/:versionNo/restore',
      name: 'post_settings_restore',
      body: settingsVersionActionBodySchema,
      mutation: true,
      handle: (call) => publishing(call, versionNoOf(call), true),
    }),
    defineRoute({
      method: 'post',
      path: '/settings/diff',
      name: 'post_settings_diff',
      body: settingsDiffBodySchema,
      async handle(call) {
        const current = await kit.settingsOf(call);
        await requireSuperAdmin(kit, call, current.settings);
        const changes = diffSettings(current.settings, parsedSettingsOrFail(call.body.settings));
        const view: SettingsDiffView = { changes: changes.length > 0 ? summarizeChanges(changes) : [], changed: changes.length };
        return ok(view);
      },
    }),
  ];
}
