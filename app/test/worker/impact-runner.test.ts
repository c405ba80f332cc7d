import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import { impactOfChange } from '../../src/domain/settings-impact';
import { previewSettingsChange } from '../../src/domain/settings-preview';
import { emptyPlan, type ContactSnapshot, type Plan, type PortalDirectory } from '../../src/domain/types';
import type { HubSpotGateway } from '../../src/hubspot/hubspot-gateway-types';
import { createManualClock } from '../../src/platform/clock';
import { createImpactRunStore, EMPTY_IMPACT_PROGRESS, type ImpactRunInputs, type ImpactRunStore } from '../../src/storage/job-store';
import { compareIds, createImpactRunner } from '../../src/worker/impact-runner';
import { useTestDatabase } from '../../../test/kit/use-test-database';

const PORTAL = '77';
const T0 = Date.UTC(2026, 11, 8, 0, 0, 0);
const directory: PortalDirectory = { owners: [], lifecycleStages: [], timeZone: 'Asia/Tokyo' } as unknown as PortalDirectory;

/** The draft lowers the MQL bar from 80 to 50 (carried in a field the fake engine reads). */
const published: PortalSettings = DEFAULT_SETTINGS;
const draft: PortalSettings = { ...DEFAULT_SETTINGS, sla: { ...DEFAULT_SETTINGS.sla, firstTouchHours: DEFAULT_SETTINGS.sla.firstTouchHours + 1 } };
const barOf = (s: PortalSettings) => (s.sla.firstTouchHours === published.sla.firstTouchHours ? 80 : 50);

/** A small engine: score ≥ bar → MQL with a task for IS; score ≥ bar + 30 → hand-off with a HIGH task for rep 301 or 302. */
function evaluate(s: ContactSnapshot, settings: PortalSettings): Plan {
  const plan = emptyPlan(s.portalId, s.contact.id);
  const score = Number(s.contact.properties.tossup_score);
  const bar = barOf(settings);
  const task = (kind: string, ownerId: string) => ({ key: `task:${kind}:${s.contact.id}`, ownerId, subject: kind, body: '', dueAt: 0, priority: 'HIGH' as const, type: 'TODO' as const, associations: { contactId: s.contact.id } });
  if (score >= bar + 30) {
    plan.contactProperties.tossup_stage = 'sql';
    plan.tasks.push(task('handoff', Number(s.contact.id) % 2 ? '301' : '302'));
  } else if (score >= bar) {
    plan.contactProperties.tossup_stage = 'mql';
    plan.tasks.push(task('mql', '201'));
  }
  return plan;
}

const snapshotOf = (id: string): ContactSnapshot => ({
  portalId: PORTAL,
  contact: { id, properties: { tossup_stage: 'new', tossup_score: String((Number(id) * 37) % 120) } },
  ledger: [],
  observations: [],
});

// 250 contacts, ids deliberately not in numeric order as text ("1000" < "999").
const IDS = Array.from({ length: 250 }, (_, i) => String(900 + i * 3));

describe('impact runner (full-portal impact run, read-only)', () => {
  const t = useTestDatabase('pglite');
  let store: ImpactRunStore;
  let clock: ReturnType<typeof createManualClock>;
  let pagesRead: string[][];
  let gatewayCalls: string[];
  let onPage: (n: number) => Promise<void>;
  let listFails: Error | null;

  /** A gateway that only lists; any other call (a write above all) fails the test. */
  const gateway = new Proxy({} as HubSpotGateway, {
    get(_, name: string) {
      if (name === 'then') return undefined;
      return async (...args: unknown[]) => {
        gatewayCalls.push(name);
        if (name !== 'listContactsModifiedBetween') throw new Error(`the impact run called ${name}`);
        if (listFails) throw listFails;
        expect(args).toEqual([PORTAL, 0, expect.any(Number)]);
        return IDS.map((id) => ({ id, lastModifiedAt: T0 - 1 }));
      };
    },
  });

  const runner = (instanceId = 'w1') =>
    createImpactRunner({
      store,
      gateway,
      clock,
      logger: pino({ level: 'silent' }),
      instanceId,
      evaluate,
      loadDirectory: async () => directory,
      async loadSnapshots(portalId, ids) {
        pagesRead.push(ids);
        await onPage(pagesRead.length);
        // One listed contact was deleted meanwhile: HubSpot does not return it.
        return new Map(ids.filter((id) => id !== '903').map((id) => [id, snapshotOf(id)]));
      },
      options: { pageSize: 100, leaseMs: 60_000, maxAttempts: 3 },
    });

  const inputs: ImpactRunInputs = { draft, published, publishedVersion: 4, publishedToken: 1_700, draftFingerprint: 'abcdef0123456789', requestedBy: '9999', limit: 100_000 };
  const all = () => IDS.filter((id) => id !== '903').map(snapshotOf);
  const whole = () => {
    const input = { snapshots: all(), current: published, edited: draft, directory, now: T0 };
    return { preview: previewSettingsChange(input, evaluate), impact: impactOfChange(input, evaluate) };
  };

  beforeEach(async () => {
    for (const table of ['jobs', 'installs']) await t.db.query(`delete from ${table}`);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (${PORTAL}, 'active', 0, 0)`);
    store = createImpactRunStore(t.db);
    clock = createManualClock(T0);
    pagesRead = [];
    gatewayCalls = [];
    onPage = async () => undefined;
    listFails = null;
  });

  it('pages every contact in id order, saves progress after each page, and ends with the counts of all contacts at once — nothing written', async () => {
    const { run } = await store.start(PORTAL, inputs, T0);
    const seen: { read: number; evaluated: number; total: number | null; pagesDone: number; phase: string }[] = [];
    onPage = async () => {
      const p = (await store.get(PORTAL, run.id))!.progress;
      seen.push({ read: p.read, evaluated: p.evaluated, total: p.total, pagesDone: p.pagesDone, phase: p.phase });
    };
    expect(await runner().runDue()).toBe(1);

    expect(pagesRead.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pagesRead.flat()).toEqual([...IDS].sort(compareIds));
    expect(seen).toEqual([
      { read: 0, evaluated: 0, total: 250, pagesDone: 0, phase: 'evaluating' },
      { read: 100, evaluated: 99, total: 250, pagesDone: 1, phase: 'evaluating' },
      { read: 200, evaluated: 199, total: 250, pagesDone: 2, phase: 'evaluating' },
    ]);
    const done = (await store.get(PORTAL, run.id))!;
    const { preview, impact } = whole();
    expect(preview.changed).toBeGreaterThan(0);
    expect(impact.handoffs).toBeGreaterThan(0);
    expect(done).toMatchObject({ status: 'done', error: null });
    expect(done.progress).toMatchObject({
      phase: 'finished',
      total: 250,
      read: 250,
      evaluated: 249,
      pagesDone: 3,
      cursor: [...IDS].sort(compareIds).at(-1),
      truncated: false,
      changed: preview.changed,
      transitions: preview.transitions,
      handoffs: impact.handoffs,
      handoffTasksByRep: impact.handoffTasksByRep,
      mqlTasks: impact.mqlTasks,
      stageMoves: impact.stageMoves,
      startedAt: T0,
      finishedAt: T0,
    });
    expect(gatewayCalls).toEqual(['listContactsModifiedBetween']);
  });

  it('stops between pages when cancelled: the page in flight is not counted and no further page is read', async () => {
    const { run } = await store.start(PORTAL, inputs, T0);
    onPage = async (n) => {
      if (n === 2) await store.cancel(PORTAL, run.id, clock.now());
    };
    await runner().runDue();
    expect(pagesRead).toHaveLength(2);
    expect(await store.get(PORTAL, run.id)).toMatchObject({ status: 'cancelled', progress: { read: 100, evaluated: 99, pagesDone: 1 } });
  });

  it('a run whose process died resumes after its cursor once the lease expires, and ends with the same counts', async () => {
    const { run } = await store.start(PORTAL, inputs, T0);
    // Process "dead" evaluated the first page and vanished.
    const first = [...IDS].sort(compareIds).slice(0, 100);
    await store.claim(T0, 'dead', 60_000);
    const input = { snapshots: first.filter((id) => id !== '903').map(snapshotOf), current: published, edited: draft, directory, now: T0 };
    const p1 = previewSettingsChange(input, evaluate);
    const i1 = impactOfChange(input, evaluate);
    await store.save(run.id, 'dead', { ...EMPTY_IMPACT_PROGRESS, phase: 'evaluating', startedAt: T0, cursor: first.at(-1)!, total: 250, read: 100, evaluated: 99, pagesDone: 1, changed: p1.changed, transitions: p1.transitions, ...i1 }, T0, 60_000);

    expect(await runner('w2').runDue()).toBe(0); // still leased
    clock.advance(60_001);
    expect(await runner('w2').runDue()).toBe(1);
    expect(pagesRead.flat()).toEqual([...IDS].sort(compareIds).slice(100));
    const { preview, impact } = whole();
    expect(await store.get(PORTAL, run.id)).toMatchObject({
      status: 'done',
      attempts: 2,
      progress: { total: 250, read: 250, evaluated: 249, pagesDone: 3, changed: preview.changed, transitions: preview.transitions, handoffs: impact.handoffs, handoffTasksByRep: impact.handoffTasksByRep, mqlTasks: impact.mqlTasks, stageMoves: impact.stageMoves, startedAt: T0 },
    });
  });

  it('a shutdown between pages hands the run back at once, resumed by the next worker without counting a lost claim', async () => {
    const { run } = await store.start(PORTAL, inputs, T0);
    const first = runner('w1');
    onPage = async (n) => {
      if (n === 1) void first.stop();
    };
    await first.runDue();
    expect(pagesRead).toHaveLength(1);
    expect(await store.get(PORTAL, run.id)).toMatchObject({ status: 'pending', attempts: 0, progress: { read: 100, pagesDone: 1 } });
    onPage = async () => undefined;
    expect(await runner('w2').runDue()).toBe(1); // no lease to wait for
    expect(await store.get(PORTAL, run.id)).toMatchObject({ status: 'done', attempts: 1, progress: { read: 250, evaluated: 249 } });
  });

  it('is bounded: past its limit it evaluates the first contacts by id and says the result is truncated', async () => {
    const { run } = await store.start(PORTAL, { ...inputs, limit: 120 }, T0);
    await runner().runDue();
    expect(pagesRead.map((p) => p.length)).toEqual([100, 20]);
    expect(await store.get(PORTAL, run.id)).toMatchObject({ status: 'done', progress: { total: 120, read: 120, truncated: true, evaluated: 119 } });
  });

  it('fails honestly: HubSpot refusing the listing, or a run that keeps losing its process, ends failed with the reason in both languages', async () => {
    const { run } = await store.start(PORTAL, inputs, T0);
    listFails = new Error('HubSpot 502');
    await runner().runDue();
    expect(await store.get(PORTAL, run.id)).toMatchObject({ status: 'failed', error: { ja: expect.stringContaining('HubSpot 502'), en: expect.stringContaining('HubSpot 502') } });

    listFails = null;
    const second = await store.start(PORTAL, inputs, T0);
    for (let i = 0; i < 3; i++) {
      await store.claim(clock.now(), `dead${i}`, 60_000);
      clock.advance(60_001);
    }
    await runner().runDue();
    expect(pagesRead).toEqual([]);
    expect(await store.get(PORTAL, second.run.id)).toMatchObject({ status: 'failed', attempts: 4, error: { ja: expect.stringContaining('何度も停止'), en: expect.stringContaining('went down repeatedly') } });
  });
});
