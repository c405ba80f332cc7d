/**
 * The settings page: read, save (super admins, optimistic concurrency) and preview
 * the effect of an edit on current contacts. Validation is the shared schema's
 * (extensions/shared/src/settings-schema.ts); the preview's counting is the domain's
 * (app/src/domain/settings-preview.ts).
 */
import { settingsPreviewBodySchema, settingsSaveBodySchema, type MissingItem, type SettingsPreviewView, type SettingsView, type SettingsWarning, type TeamRef } from '@tossup/shared/card-dto';
import { parseSettings, settingsWarnings, type PortalSettings, type SettingsFieldError } from '@tossup/shared/settings-schema';
import type { Bilingual } from '@tossup/shared/i18n';
import { diffSettings, summarizeChanges } from '../../domain/settings-diff';
import { impactOfChange } from '../../domain/settings-impact';
import { previewSettingsChange } from '../../domain/settings-preview';
import type { ContactSnapshot, PortalDirectory } from '../../domain/types';
import { ERRORS } from '../api-errors';
import { ownerName } from '../build-views';
import type { RejectReasonSyncState } from '../../storage/reject-reason-sync-store';
import type { CardApiDeps, PortalUser } from '../card-api-deps';
import { AnswerNow, defineRoute, fail, ok, type Call, type CardRoute } from '../request-pipeline';
import type { RouteKit, Viewer } from '../route-kit';

/** Contacts evaluated by the settings preview: enough to be telling, few enough for the deadline and the API budget. */
export const PREVIEW_SAMPLE_SIZE = 200;

function teamsOf(directory: PortalDirectory): TeamRef[] {
  const byId = new Map<string, TeamRef>();
  for (const owner of directory.owners) for (const t of owner.teams) byId.set(t.id, { id: t.id, name: t.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A scope HubSpot refused for this portal: the settings page says which, and what it costs. */
export function missingScopeMessage(scope: string): Bilingual {
  return {
    ja: `HubSpotの権限「${scope}」が許可されていません。この権限が必要なデータを使うルールはスキップされています（アプリを再インストールして許可できます）。`,
    en: `HubSpot scope "${scope}" is not granted: the rules that need its data are skipped (reinstall the app to grant it).`,
  };
}

function warningsFor(deps: CardApiDeps, portalId: string, settings: PortalSettings, directory: PortalDirectory): SettingsWarning[] {
  const teams = teamsOf(directory).map((t) => ({ ...t, department: deps.engine.departmentOfTeam({ id: t.id, name: t.name }, settings) }));
  const scopes = (deps.data.recentMissingScopes?.(portalId) ?? []).map((scope) => ({ code: `missing_scope:${scope}`, message: missingScopeMessage(scope) }));
  return [...settingsWarnings(settings, teams), ...scopes].map((w) => ({ code: w.code, message_ja: w.message.ja, message_en: w.message.en }));
}

/**
 * The settings page's warning when HubSpot refused the reject-reason options (issue 14):
 * which codes are recorded as `other` meanwhile, why, and how to fix it.
 */
export function rejectReasonSyncWarnings(state: RejectReasonSyncState | null): SettingsWarning[] {
  if (!state || state.status !== 'failed') return [];
  const missing = state.publishedCodes.filter((c) => !state.acceptedCodes.includes(c));
  const codes = missing.length ? missing.join(', ') : '—';
  return [
    {
      code: 'reject_reason_sync',
      message_ja: `差戻し理由をHubSpotのプロパティ「差戻し理由コード（tossup_reject_reason_code）」に反映できませんでした。反映されるまで、理由コード ${codes} は「その他（other）」として記録されます。${state.error?.ja ?? ''}`,
      message_en: `The reject reasons could not be written to the HubSpot property "Reject reason code" (tossup_reject_reason_code). Until they are, the codes ${codes} are recorded as "other". ${state.error?.en ?? ''}`,
    },
  ];
}

/** Syncs the reject-reason options with the reasons just published; the warning when HubSpot refused. */
export async function syncRejectReasons(deps: CardApiDeps, portalId: string, settings: PortalSettings): Promise<SettingsWarning[]> {
  if (!deps.rejectReasons) return [];
  return rejectReasonSyncWarnings(await deps.rejectReasons.sync(portalId, settings.recycle.reasons, settings.portalLanguage));
}

export function settingsErrors(errors: SettingsFieldError[]): MissingItem[] {
  return errors.map((e) => ({ code: e.path || '(settings)', label_ja: e.message.ja, label_en: e.message.en }));
}

/** A settings document from a request, or the answer naming every invalid field (save-time checks). */
export function parsedSettingsOrFail(value: unknown): PortalSettings {
  const parsed = parseSettings(value);
  if (!parsed.ok) throw new AnswerNow(fail(ERRORS.invalidSettings(settingsErrors(parsed.errors))));
  return parsed.settings;
}

export function settingsView(
  deps: CardApiDeps,
  portalId: string,
  settings: PortalSettings,
  version: number,
  updatedAt: number | null,
  directory: PortalDirectory,
  user: PortalUser,
  extraWarnings: SettingsWarning[] = [],
): SettingsView<PortalSettings> {
  return {
    settings,
    version,
    updatedAt,
    warnings: [...warningsFor(deps, portalId, settings, directory), ...extraWarnings],
    missingScopes: deps.data.recentMissingScopes?.(portalId) ?? [],
    teams: teamsOf(directory),
    owners: directory.owners
      .filter((o) => !o.archived)
      .map((o) => ({ ownerId: o.id, name: ownerName(o) ?? `#${o.id}` }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    canEdit: user.superAdmin,
  };
}

/** The signed user, or a forbidden answer unless they are a super admin of the portal. */
export async function requireSuperAdmin(kit: RouteKit, call: Call, settings: PortalSettings): Promise<Viewer> {
  const who = await kit.viewer(call, settings);
  if (!who.user.superAdmin) throw new AnswerNow(fail(ERRORS.notSuperAdmin()));
  return who;
}

export function settingsRoutes(kit: RouteKit): CardRoute[] {
  const superAdmin = (call: Call, settings: PortalSettings) => requireSuperAdmin(kit, call, settings);

  return [
    defineRoute({
      method: 'get',
      path: '/settings',
      name: 'get_settings',
      async handle(call) {
        const stored = await kit.settingsOf(call);
        const [who, directory, sync] = await Promise.all([kit.viewer(call, stored.settings), kit.directoryOf(call), call.deps.rejectReasons?.state(call.identity.portalId) ?? null]);
        return ok(settingsView(call.deps, call.identity.portalId, stored.settings, stored.version, stored.updatedAt, directory, who.user, rejectReasonSyncWarnings(sync)));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/settings',
      name: 'put_settings',
      body: settingsSaveBodySchema,
      mutation: true,
      async handle(call) {
        const { portalId, userId } = call.identity;
        const current = await kit.settingsOf(call);
        const who = await superAdmin(call, current.settings);
        const settings = parsedSettingsOrFail(call.body.settings);
        const expected = call.body.expectedVersion !== undefined ? { expectedVersion: call.body.expectedVersion } : {};
        // With history, the save is a published version (who, when, what changed) in the same transaction.
        const versions = call.deps.settingsVersions;
        const saved = versions
          ? await versions
              .add(portalId, { settings, summary: summarizeChanges(diffSettings(current.settings, settings)), createdBy: userId, now: call.now, publish: expected })
              .then((r) => (r.ok ? { ok: true as const, version: r.token ?? 0 } : r))
          : await call.deps.settings.save(portalId, settings, { ...expected, updatedBy: userId, now: call.now });
        if (!saved.ok) return fail(ERRORS.settingsConflict());
        // New rules change every view of the portal (departments, gate, scores).
        kit.cache.invalidatePortal(portalId);
        // The published reasons become the options of tossup_reject_reason_code (never fails the save).
        const [directory, syncWarnings] = await Promise.all([kit.directoryOf(call), syncRejectReasons(call.deps, portalId, settings)]);
        return ok(settingsView(call.deps, portalId, settings, saved.version, saved.version, directory, who.user, syncWarnings));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/settings/preview',
      name: 'post_settings_preview',
      body: settingsPreviewBodySchema,
      async handle(call) {
        const current = await kit.settingsOf(call);
        await superAdmin(call, current.settings);
        const edited = parsedSettingsOrFail(call.body.settings);
        const [directory, sample] = await Promise.all([kit.directoryOf(call), call.deps.data.sampleContactSnapshots(call.identity.portalId, PREVIEW_SAMPLE_SIZE)]);
        // The injected engine evaluates, so the preview and the pipeline can never disagree.
        const { engine } = call.deps;
        const input = { snapshots: sample.snapshots, current: current.settings, edited, directory, now: call.now };
        const evaluate = (s: ContactSnapshot, settings: PortalSettings, d: PortalDirectory, now: number) => engine.evaluateContact(s, settings, d, now);
        const preview = previewSettingsChange(input, evaluate);
        const impact = impactOfChange(input, evaluate);
        const nameOf = (ownerId: string) => ownerName(directory.owners.find((o) => o.id === ownerId)) ?? `#${ownerId}`;
        const view: SettingsPreviewView = {
          evaluated: preview.evaluated,
          changed: preview.changed,
          truncated: sample.total > sample.snapshots.length,
          transitions: preview.transitions,
          warnings: warningsFor(call.deps, call.identity.portalId, edited, directory),
          sample: { size: sample.snapshots.length, total: sample.total },
          impact: { ...impact, handoffTasksByRep: impact.handoffTasksByRep.map((r) => ({ ...r, name: nameOf(r.ownerId) })) },
        };
        return ok(view);
      },
    }),
  ];
}
