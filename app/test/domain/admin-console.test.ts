import { withFactThreshold } from '@tossup/shared/rule-threshold';
/**
 * The admin console's pure parts (issue 16): the rule trace agrees with the rule
 * interpreter, the contact test spells out the engine's decision, and the settings
 * diff reads as the summary of a version.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { testContact } from '../../src/domain/contact-test';
import { evaluateRule } from '../../src/domain/rule-expression';
import { traceRule } from '../../src/domain/rule-trace';
import { diffSettings, summarizeChanges } from '../../src/domain/settings-diff';
import { impactOfChange } from '../../src/domain/settings-impact';
import type { ContactSnapshot } from '../../src/domain/types';
import { READY_FOR_HANDOFF, T0, directory, ruleFacts, settings, snapshot } from './fixtures';

const withId = (id: string, s: ContactSnapshot): ContactSnapshot => ({ ...s, contact: { ...s.contact, id } });

describe('traceRule', () => {
  const mql = DEFAULT_SETTINGS.rules.mql;

  it('traces the article\'s first MQL example (score ≥ 70 and an inquiry) with the values it saw, agreeing with evaluateRule', () => {
    const f = ruleFacts({ flags: { inquiry_submitted: true }, numbers: { score: 75 } });
    const trace = traceRule(mql, f);
    expect(trace.holds).toBe(evaluateRule(mql, f).holds);
    expect(trace).toEqual({
      kind: 'or',
      holds: true,
      of: [
        {
          kind: 'and',
          holds: true,
          of: [
            { kind: 'compare', holds: true, condition: { ja: expect.stringContaining('≥ 70'), en: expect.stringContaining('≥ 70') }, value: 75 },
            { kind: 'flag', holds: true, condition: expect.any(Object), value: true },
          ],
        },
        { kind: 'and', holds: false, of: [expect.objectContaining({ holds: false, value: false }), expect.objectContaining({ holds: false, value: false })] },
      ],
    });
  });

  it('traces the second example (a seminar attended and a need) and a near miss', () => {
    const yes = ruleFacts({ flags: { seminar_attended: true, bant_need: true }, numbers: { score: 10 } });
    expect(traceRule(mql, yes)).toMatchObject({ holds: true, of: [{ holds: false, of: [{ value: 10, holds: false }, { holds: false }] }, { holds: true }] });
    const no = ruleFacts({ flags: { seminar_attended: true }, numbers: { score: 69 } });
    expect(traceRule(mql, no).holds).toBe(false);
    expect(evaluateRule(mql, no).holds).toBe(false);
  });

  it('agrees with evaluateRule under NOT for every combination of two facts', () => {
    const rule = { type: 'not' as const, of: { type: 'or' as const, of: [{ type: 'flag' as const, fact: 'bant_need' as const }, { type: 'compare' as const, fact: 'bant_count' as const, op: 'gte' as const, value: 2 }] } };
    for (const need of [true, false]) {
      for (const count of [0, 3]) {
        const f = ruleFacts({ flags: { bant_need: need }, numbers: { bant_count: count } });
        expect(traceRule(rule, f).holds).toBe(evaluateRule(rule, f).holds);
      }
    }
  });
});

describe('testContact', () => {
  it('spells out a hand-off that would go: gate passed, company owner path, SLA deadlines', () => {
    const s = snapshot(READY_FOR_HANDOFF, { company: { id: '1', properties: { hubspot_owner_id: '202' } } });
    const r = testContact(s, settings(), directory(), T0);
    expect(r.sql.holds).toBe(true);
    expect(r.gate).toEqual({ passed: true, blocking: [] });
    expect(r.routing).toEqual({ ownerId: '202', steps: [{ ja: '担当企業の所有者 → 営業チーム所属 → #202', en: 'Company owner → in a Sales team → #202' }] });
    expect(r.sla.firstTouchDueAt).toBeGreaterThan(T0);
    expect(r.sla.statusUpdateDueAt).toBeGreaterThan(r.sla.firstTouchDueAt);
  });

  it('names every blocking item of a failing gate and why the company owner was skipped', () => {
    const s = snapshot({ tossup_bant_need: 'true' }, { company: { id: '1', properties: { hubspot_owner_id: '101' } } });
    const r = testContact(s, settings(), directory(), T0);
    expect(r.gate.passed).toBe(false);
    expect(r.gate.blocking.map((b) => b.en)).toEqual([
      expect.stringMatching(/^SQL rule not met/),
      expect.stringMatching(/^At least 2 BANT items required/),
      expect.stringMatching(/^No last-contact date/),
      'The hand-off reason is empty',
    ]);
    expect(r.sql).toMatchObject({ kind: 'and', holds: false, of: [{ holds: true, value: true }, { holds: false, value: false }] });
    expect(r.routing.steps.map((x) => x.ja)).toEqual(['担当企業の所有者 IS 花子 は有効な営業チーム所属ではありません → スキップ', '営業のラウンドロビン（割り当てが最も少ない人） → #201']);
    expect(r.stageAfter).toBe('new');
  });

  it('differs between a draft and the published settings only where the draft does', () => {
    const s = snapshot(READY_FOR_HANDOFF);
    const stricter = settings((x) => (x.gate.rule = withFactThreshold(x.gate.rule, 'bant_count', 3)));
    expect(testContact(s, settings(), directory(), T0).gate.passed).toBe(true);
    expect(testContact(s, stricter, directory(), T0).gate.blocking.map((b) => b.en)).toEqual([expect.stringMatching(/^At least 3 BANT items/)]);
  });
});

describe('diffSettings', () => {
  it('lists each changed field with before and after, rules in words', () => {
    const after = settings((s) => {
      s.sla.firstTouchHours = 8;
      s.rules.sql = { type: 'flag', fact: 'bant_need' };
    });
    const changes = diffSettings(DEFAULT_SETTINGS, after);
    expect(changes.map((c) => c.path)).toEqual(['rules.sql', 'sla.firstTouchHours']);
    const lines = summarizeChanges(changes);
    expect(lines[1]).toEqual({ ja: 'sla.firstTouchHours: 24 → 8', en: 'sla.firstTouchHours: 24 → 8' });
    expect(lines[0]?.en).toMatch(/^rules\.sql: .+ AND .+ → /);
    expect(summarizeChanges(diffSettings(DEFAULT_SETTINGS, DEFAULT_SETTINGS))).toEqual([{ ja: '変更なし', en: 'No change' }]);
  });
});

describe('impactOfChange', () => {
  it('spells out the hand-offs per rep, the MQL tasks and the stage moves an edit causes, not what the current rules do anyway', () => {
    const ready = (id: string, companyOwner: string) =>
      withId(id, snapshot({ ...READY_FOR_HANDOFF, tossup_stage: 'mql' }, { company: { id: `c${id}`, properties: { hubspot_owner_id: companyOwner } } }));
    const snapshots = [ready('1', '202'), ready('2', '202'), ready('3', '201'), withId('4', snapshot({ tossup_bant_need: 'true' }))];
    // Current: no automatic hand-off; edited: automatic hand-off on, and any score makes MQL.
    const current = settings((s) => (s.automaticHandoff = false));
    const edited = settings((s) => (s.rules.mql = { type: 'compare', fact: 'score', op: 'gte', value: 0 }));
    const impact = impactOfChange({ snapshots, current, edited, directory: directory(), now: T0 });
    expect(impact).toEqual({ handoffs: 3, handoffTasksByRep: [{ ownerId: '202', count: 2 }, { ownerId: '201', count: 1 }], mqlTasks: 1, stageMoves: 4 });
    expect(impactOfChange({ snapshots, current, edited: current, directory: directory(), now: T0 })).toEqual({ handoffs: 0, handoffTasksByRep: [], mqlTasks: 0, stageMoves: 0 });
  });
});
