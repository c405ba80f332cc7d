/**
 * The full-portal impact run of a settings draft (issue 16, "a full-portal run
 * through the backfill's dry run in the background with progress"): the settings
 * page's preview counted over every contact of the portal instead of a sample.
 *
 * The backfill's read path (app/src/backfill/run-backfill.ts): the portal's contacts
 * are listed through the gateway (CRM search on hs_lastmodifieddate from the epoch to
 * now, the window split past 10,000 results), their snapshots built a page of 100 at
 * a time by the pipeline's batch reader, and the pure core evaluates each under the
 * published settings and under the draft (app/src/domain/settings-impact.ts
 * `tallyImpact`, the preview's own counting). Like a backfill dry run it writes
 * nothing to HubSpot: there is no applier here at all. Every read goes through the
 * gateway, so it waits for the portal's limiter like the webhook pipeline does.
 *
 * The run is a `jobs` row (app/src/storage/job-store.ts, kind `impact_run`): claimed
 * with a lease, progress and a cursor (the last contact id evaluated; contacts go in
 * ascending id order) saved after every page. Saving is also where a cancel is seen:
 * the save of a cancelled run changes no row, and the run stops between pages. A
 * process that dies leaves the lease to expire; the next claim lists again and
 * resumes after the cursor. A run that keeps losing its process, or that HubSpot
 * refuses, ends `failed` with its reason and the counts so far.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import { evaluateContact } from '../domain/evaluate';
import { tallyImpact, type ImpactTally } from '../domain/settings-impact';
import type { EvaluateContact } from '../domain/settings-preview';
import type { ContactSnapshot, PortalDirectory } from '../domain/types';
import { chunk } from '../hubspot/chunk';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { InstallNotActiveError } from '../hubspot/token-service';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { ImpactRun, ImpactRunProgress, ImpactRunStore } from '../storage/job-store';
import { BATCH_LIMIT } from '../hubspot/hubspot-limits';

export interface ImpactRunnerOptions {
  /** Contacts per page: HubSpot's batch-read size (hubspot-limits.ts), as in the backfill. */
  pageSize: number;
  /** A run's claim; renewed by every saved page, so a page must finish well within it. */
  leaseMs: number;
  /** Claims after which a run that keeps losing its process is failed rather than retried. */
  maxAttempts: number;
  /** How often the loop looks for a run to claim (start()). */
  pollMs: number;
}

/**
 * The lease outlasts the longest step, the listing: 100,000 contacts are 500 search pages at
 * HubSpot's 5 searches/s, about 2 minutes alone and more when the reconciliation sweep shares
 * the lane. A lost worker's run therefore waits up to 15 minutes; a graceful stop releases it at once.
 */
export const DEFAULT_IMPACT_RUNNER_OPTIONS: ImpactRunnerOptions = { pageSize: BATCH_LIMIT, leaseMs: 15 * 60_000, maxAttempts: 3, pollMs: 2_000 };

export interface ImpactRunnerDeps {
  store: ImpactRunStore;
  gateway: Pick<HubSpotGateway, 'listContactsModifiedBetween'>;
  /** The pipeline's snapshot builder (RunningServices.snapshots.load): reads only. */
  loadSnapshots(portalId: string, contactIds: string[]): Promise<Map<string, ContactSnapshot>>;
  loadDirectory(portalId: string): Promise<PortalDirectory>;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  evaluate?: EvaluateContact;
  options?: Partial<ImpactRunnerOptions>;
}

export interface ImpactRunner {
  /** Claims and runs every run this process can, one after the other; the number run. */
  runDue(): Promise<number>;
  start(): void;
  /** No new page after the current one; the run in progress goes back to pending with its cursor, for the next claim. */
  stop(): Promise<void>;
}

/** Record ids are numbers of up to 19 digits: compared as numbers, without BigInt. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const tallyOf = (p: ImpactRunProgress): ImpactTally => ({
  evaluated: p.evaluated,
  changed: p.changed,
  transitions: p.transitions,
  handoffs: p.handoffs,
  handoffTasksByRep: p.handoffTasksByRep,
  mqlTasks: p.mqlTasks,
  stageMoves: p.stageMoves,
});

export function failureMessage(err: unknown): Bilingual {
  if (err instanceof InstallNotActiveError)
    return {
      ja: 'tossup とこのポータルの接続が切れているため、試算を続けられませんでした。再インストール後にもう一度お試しください。',
      en: 'tossup is no longer connected to this portal, so the run could not go on; run it again after reinstalling.',
    };
  const detail = err instanceof Error ? err.message : String(err);
  return {
    ja: `HubSpotからコンタクトを読み取れなかったため、試算を中断しました（${detail}）。もう一度お試しください。`,
    en: `The run stopped because contacts could not be read from HubSpot (${detail}); run it again.`,
  };
}

const INTERRUPTED: Bilingual = {
  ja: '処理を担当するサーバーが何度も停止したため、試算を中断しました。途中までの件数を表示しています。もう一度お試しください。',
  en: 'The run stopped because the server running it went down repeatedly; the counts so far are shown. Run it again.',
};

export function createImpactRunner(deps: ImpactRunnerDeps): ImpactRunner {
  const opts = { ...DEFAULT_IMPACT_RUNNER_OPTIONS, ...deps.options };
  const evaluate = deps.evaluate ?? evaluateContact;
  const { store, clock, instanceId } = deps;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runOne(run: ImpactRun): Promise<void> {
    const { portalId, inputs } = run;
    let progress: ImpactRunProgress = { ...run.progress, startedAt: run.progress.startedAt ?? clock.now() };
    if (run.attempts > opts.maxAttempts) {
      await store.fail(run.id, instanceId, { ...progress, finishedAt: clock.now() }, INTERRUPTED, clock.now());
      return;
    }
    const save = (p: ImpactRunProgress) => store.save(run.id, instanceId, p, clock.now(), opts.leaseMs);
    try {
      progress = { ...progress, phase: 'listing' };
      if (!(await save(progress))) return;
      // Everything modified up to now (hs_lastmodifieddate is always set): every contact, as the backfill lists them.
      const listed = await deps.gateway.listContactsModifiedBetween(portalId, 0, clock.now() + 1);
      const ids = [...new Set(listed.map((c) => c.id))].sort(compareIds);
      const cursor = progress.cursor;
      const after = cursor === null ? ids : ids.filter((id) => compareIds(id, cursor) > 0);
      const room = Math.max(0, inputs.limit - progress.read);
      const todo = after.slice(0, room);
      // On a resume the total is what is done plus what is left now (contacts may have come or gone since).
      progress = { ...progress, phase: 'evaluating', total: progress.read + todo.length, truncated: after.length > room };
      if (!(await save(progress))) return;

      for (const page of chunk(todo, opts.pageSize)) {
        if (stopping) {
          // Shutdown between pages: another worker (or this one after its restart) resumes after the cursor at once.
          await store.release(run.id, instanceId, clock.now());
          return;
        }
        const [directory, snapshots] = await Promise.all([deps.loadDirectory(portalId), deps.loadSnapshots(portalId, page)]);
        const tally = tallyImpact(
          tallyOf(progress),
          // Contacts deleted since the listing are not read back, and not counted (as in the backfill).
          { snapshots: page.flatMap((id) => snapshots.get(id) ?? []), current: inputs.published, edited: inputs.draft, directory, now: clock.now() },
          evaluate,
        );
        progress = { ...progress, ...tally, cursor: page[page.length - 1]!, read: progress.read + page.length, pagesDone: progress.pagesDone + 1 };
        // false: cancelled (or the lease was lost to another process) — stop between pages.
        if (!(await save(progress))) return;
      }
      progress = { ...progress, phase: 'finished', finishedAt: clock.now() };
      await store.finish(run.id, instanceId, progress, clock.now());
      deps.logger.info({ portalId, runId: run.id, evaluated: progress.evaluated, changed: progress.changed }, 'impact run done');
    } catch (err) {
      deps.logger.warn({ portalId, runId: run.id, err }, 'impact run failed');
      await store.fail(run.id, instanceId, { ...progress, finishedAt: clock.now() }, failureMessage(err), clock.now());
    }
  }

  async function runAll(): Promise<number> {
    let n = 0;
    while (!stopping) {
      const run = await store.claim(clock.now(), instanceId, opts.leaseMs);
      if (!run) break;
      await runOne(run);
      n++;
    }
    return n;
  }

  const runner: ImpactRunner = {
    runDue() {
      // Never two loops at once in one process.
      running ??= runAll().finally(() => (running = undefined));
      return running;
    },
    start() {
      if (timer !== undefined) return;
      stopping = false;
      const tick = () => {
        timer = setTimeout(() => {
          runner
            .runDue()
            .catch((err: unknown) => deps.logger.error({ err }, 'impact runs: claiming failed; retrying at the next poll'))
            .finally(() => {
              if (!stopping) tick();
            });
        }, opts.pollMs);
      };
      tick();
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return runner;
}
