/**
 * The full-portal impact run of a settings draft (issue 16): the settings page's
 * preview counts a sample of 200 contacts within the request; a portal larger than
 * that starts this run, which the worker (app/src/worker/impact-runner.ts) carries
 * out in the background over every contact, read-only. The run and its progress are
 * a `jobs` row (app/src/storage/job-store.ts), so any web process answers progress.
 *
 * Starting and cancelling are for super admins and idempotent: a start carries an
 * idempotencyKey, a portal has one run at a time (starting again answers with the run
 * in progress, `created: false`), and cancelling a finished run answers with it as it
 * is. Reading is for any user of the portal, like the settings page itself.
 */
import { settingsImpactRunBodySchema, type SettingsImpactRunAnswer, type SettingsImpactRunView } from '@tossup/shared/card-dto';
import { settingsFingerprint } from '@tossup/shared/settings-fingerprint';
import { IMPACT_RUN_LIMIT } from '../../domain/settings-impact';
import type { PortalDirectory } from '../../domain/types';
import { ERRORS } from '../api-errors';
import { ownerName } from '../build-views';
import type { ImpactRun, ImpactRunStore } from '../card-api-deps';
import { AnswerNow, defineRoute, fail, ok, param, type Call, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';
import { parsedSettingsOrFail, requireSuperAdmin } from './settings';

const runLabel = (id: string) => ({ ja: `全件試算 ${id}`, en: `Full-portal impact run ${id}` });

function storeOf(call: Call): ImpactRunStore {
  const store = call.deps.impactRuns;
  if (!store) throw new AnswerNow(fail(ERRORS.notFound({ ja: '全件試算', en: 'The full-portal impact run' })));
  return store;
}

export function impactRunView(run: ImpactRun, directory: PortalDirectory, canEdit: boolean): SettingsImpactRunView {
  const p = run.progress;
  const nameOf = (ownerId: string) => ownerName(directory.owners.find((o) => o.id === ownerId)) ?? `#${ownerId}`;
  const active = run.status === 'pending' || run.status === 'running';
  return {
    id: run.id,
    status: run.status,
    phase: run.status === 'pending' ? 'queued' : active ? (p.phase === 'queued' ? 'listing' : p.phase) : 'finished',
    draftFingerprint: run.inputs.draftFingerprint,
    publishedVersion: run.inputs.publishedVersion,
    publishedToken: run.inputs.publishedToken,
    requestedBy: run.inputs.requestedBy,
    createdAt: run.createdAt,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    total: p.total,
    read: p.read,
    evaluated: p.evaluated,
    pagesDone: p.pagesDone,
    limit: run.inputs.limit,
    truncated: p.truncated,
    changed: p.changed,
    transitions: p.transitions,
    impact: { handoffs: p.handoffs, handoffTasksByRep: p.handoffTasksByRep.map((r) => ({ ...r, name: nameOf(r.ownerId) })), mqlTasks: p.mqlTasks, stageMoves: p.stageMoves },
    error: run.error,
    canCancel: canEdit && active,
  };
}

export function settingsImpactRunRoutes(kit: RouteKit): CardRoute[] {
  async function answer(call: Call, run: ImpactRun | null, canEdit: boolean, created?: boolean) {
    const directory = await kit.directoryOf(call);
    const view: SettingsImpactRunAnswer = { run: run ? impactRunView(run, directory, canEdit) : null, ...(created === undefined ? {} : { created }) };
    return ok(view);
  }

  return [
    defineRoute({
      method: 'post',
      path: '/settings/impact-runs',
      name: 'post_settings_impact_run',
      body: settingsImpactRunBodySchema,
      mutation: true,
      async handle(call) {
        const store = storeOf(call);
        const current = await kit.settingsOf(call);
        await requireSuperAdmin(kit, call, current.settings);
        const draft = parsedSettingsOrFail(call.body.settings);
        const live = (await call.deps.settingsVersions?.live(call.identity.portalId)) ?? null;
        const started = await store.start(
          call.identity.portalId,
          {
            draft,
            // The published side is frozen now: a resumed run compares the same two documents.
            published: current.settings,
            publishedVersion: live?.versionNo ?? null,
            publishedToken: current.version,
            draftFingerprint: call.body.draftFingerprint ?? settingsFingerprint(draft),
            requestedBy: call.identity.userId,
            limit: IMPACT_RUN_LIMIT,
          },
          call.now,
        );
        return answer(call, started.run, true, started.created);
      },
    }),
    // Before /:id: "latest" is not a record id (request-pipeline.ts checks every :param).
    defineRoute({
      method: 'get',
      path: '/settings/impact-runs/latest',
      name: 'get_settings_impact_run_latest',
      async handle(call) {
        const store = storeOf(call);
        const stored = await kit.settingsOf(call);
        const who = await kit.viewer(call, stored.settings);
        return answer(call, await store.latest(call.identity.portalId), who.user.superAdmin);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/settings/impact-runs/:id',
      name: 'get_settings_impact_run',
      async handle(call) {
        const store = storeOf(call);
        const id = param(call.req, 'id');
        const stored = await kit.settingsOf(call);
        const who = await kit.viewer(call, stored.settings);
        const run = await store.get(call.identity.portalId, id);
        if (!run) return fail(ERRORS.notFound(runLabel(id)));
        return answer(call, run, who.user.superAdmin);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/settings/impact-runs/:id',
      name: 'delete_settings_impact_run',
      async handle(call) {
        // Idempotent without a key: cancelling a cancelled (or finished) run answers with it unchanged.
        const store = storeOf(call);
        const id = param(call.req, 'id');
        const stored = await kit.settingsOf(call);
        await requireSuperAdmin(kit, call, stored.settings);
        const run = await store.cancel(call.identity.portalId, id, call.now);
        if (!run) return fail(ERRORS.notFound(runLabel(id)));
        return answer(call, run, true);
      },
    }),
  ];
}
