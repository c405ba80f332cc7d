import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillDepsFromBackend } from '../../src/composition/backfill-deps';
import { formatBackfillSummary } from '../../src/backfill/format-summary';
import { createProgressBar } from '../../src/backfill/progress-bar';
import { runBackfill, type BackfillProgress } from '../../src/backfill/run-backfill';
import { HOUR, startE2E, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * The backfill on the seeded sandbox portal (60 contacts, never evaluated, since seed
 * data emits no webhooks) after a rules change: the admin adds "manager level or above
 * at a 500+ company" (attribute score ≥ 15) as a third way to become MQL.
 *
 * The expected contacts are derived from the seed data alone: a title containing one
 * of the default seniority words and a primary company of 500+ employees.
 */

let h: E2E;

function expectedNewMqls(): { ids: string[]; fromLifecycle: Record<string, number> } {
  const portal = h.sandbox.portal();
  const words = DEFAULT_SETTINGS.scoring.attribute.seniority.words;
  const ids: string[] = [];
  const fromLifecycle: Record<string, number> = {};
  for (const id of h.seed.contactIds) {
    const p = portal.objects.contacts[id]!.properties;
    const company = portal.objects.companies[p.associatedcompanyid ?? '']?.properties;
    const senior = words.some((w) => (p.jobtitle ?? '').includes(w));
    if (!senior || Number(company?.numberofemployees ?? 0) < 500) continue;
    ids.push(id);
    const stage = p.lifecyclestage ?? '';
    if (stage !== 'marketingqualifiedlead') fromLifecycle[stage] = (fromLifecycle[stage] ?? 0) + 1;
  }
  return { ids: ids.sort(), fromLifecycle };
}

const contactsJson = () => JSON.stringify(h.sandbox.portal().objects.contacts);
const writeCalls = () => {
  const endpoints = h.sandbox.stats().portals[h.portalId]?.endpoints ?? {};
  return Object.entries(endpoints)
    .filter(([k]) => /batch\/(update|create)|PATCH|DELETE|PUT /.test(k))
    .reduce((n, [, e]) => n + e.calls, 0);
};

describe('backfill after a rules change', () => {
  beforeEach(async () => {
    h = await startE2E();
  });
  afterEach(async () => {
    await h.close();
  });

  it('dry run counts the transitions without writing; the real run applies exactly them; a second run changes nothing', async () => {
    await h.saveSettings((s) => {
      s.rules.mql = { type: 'or', of: [s.rules.mql, { type: 'compare', fact: 'score_attribute', op: 'gte', value: 15 }] };
    });
    h.advance(HOUR);
    const expected = expectedNewMqls();
    expect(expected.ids.length).toBeGreaterThan(0); // the seed has such contacts, so the test can fail
    const deps = backfillDepsFromBackend(h.backend);

    // Dry run.
    const before = contactsJson();
    h.sandbox.resetStats();
    const progress: BackfillProgress[] = [];
    const dry = await runBackfill(deps, h.portalId, { dryRun: true, batchSize: 25, onProgress: (p) => progress.push(p) });
    expect(dry.total).toBe(h.seed.contactIds.length);
    expect(dry.evaluated).toBe(h.seed.contactIds.length);
    expect(dry.transitions['tossup_stage new→mql']).toBe(expected.ids.length);
    for (const [from, n] of Object.entries(expected.fromLifecycle)) expect(dry.transitions[`lifecyclestage ${from}→marketingqualifiedlead`]).toBe(n);
    const lifecycleMoves = Object.entries(dry.transitions).filter(([k]) => k.startsWith('lifecyclestage ')).reduce((n, [, v]) => n + v, 0);
    expect(lifecycleMoves).toBe(Object.values(expected.fromLifecycle).reduce((a, b) => a + b, 0));
    expect(dry.tasks).toBe(expected.ids.length); // one IS follow-up per new MQL
    expect(dry.contactsChanged).toBe(h.seed.contactIds.length); // every contact gets its first score
    expect(contactsJson()).toBe(before);
    expect(h.allTasks()).toHaveLength(0);
    expect(writeCalls()).toBe(0);
    // Progress: from 0 to all, by batch, never backwards.
    expect(progress[0]).toEqual({ done: 0, total: 60 });
    expect(progress.at(-1)).toEqual({ done: 60, total: 60 });
    expect(progress.map((p) => p.done)).toEqual([0, 25, 50, 60]);

    const text = formatBackfillSummary(dry);
    expect(text).toContain(`tossup_stage new→mql: ${expected.ids.length}`);
    expect(text).toContain('ドライラン');

    // Real run: the same counts, and HubSpot now shows exactly the expected MQLs with their tasks.
    const real = await runBackfill(deps, h.portalId, { dryRun: false });
    expect(real.transitions).toEqual(dry.transitions);
    const portal = h.sandbox.portal();
    const mqls = h.seed.contactIds.filter((id) => portal.objects.contacts[id]!.properties.tossup_stage === 'mql').sort();
    expect(mqls).toEqual(expected.ids);
    for (const id of mqls) {
      expect(portal.objects.contacts[id]!.properties.lifecyclestage).toBe('marketingqualifiedlead');
      expect(h.associated(id, 'tasks')).toHaveLength(1);
    }
    expect(h.allTasks()).toHaveLength(expected.ids.length);
    expect(h.seed.contactIds.every((id) => portal.objects.contacts[id]!.properties.tossup_score !== undefined)).toBe(true);

    // The pipeline sees our writes come back as webhooks and skips them: still nothing new.
    await h.settle();
    const afterFirst = contactsJson();
    expect(h.allTasks()).toHaveLength(expected.ids.length);

    // Second run: idempotent.
    h.advance(HOUR);
    h.sandbox.resetStats();
    const again = await runBackfill(deps, h.portalId, { dryRun: false });
    expect(again.total).toBe(60);
    expect(again.contactsChanged).toBe(0);
    expect(again.tasks).toBe(0);
    expect(again.transitions).toEqual({});
    expect(writeCalls()).toBe(0);
    expect(contactsJson()).toBe(afterFirst);
    expect(h.allTasks()).toHaveLength(expected.ids.length);
  });
});

describe('progress bar', () => {
  it('redraws one line on a terminal and writes a line per 10 % elsewhere', () => {
    let t = 0;
    const tty = { isTTY: true, text: '', write(s: string) { this.text += s; } };
    const bar = createProgressBar(tty, { label: 'portal 1', now: () => t });
    bar.update(0, 200);
    t = 2000;
    bar.update(100, 200);
    bar.finish();
    expect(tty.text).toContain('\rportal 1 [');
    expect(tty.text).toContain('100/200 コンタクト / contacts 50%  50.0/s');
    expect(tty.text.endsWith('\n')).toBe(true);

    const log = { text: '', write(s: string) { this.text += s; } };
    const bar2 = createProgressBar(log, { label: 'p', now: () => 0 });
    for (let i = 0; i <= 1000; i += 5) bar2.update(i, 1000);
    bar2.finish();
    expect(log.text.trim().split('\n')).toHaveLength(11); // 0 %, 10 %, …, 100 %
  });
});
