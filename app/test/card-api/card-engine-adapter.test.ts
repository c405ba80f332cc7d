/**
 * The card API's CardEngine backed by the real domain: what the sidebar shows as
 * missing and what a button press plans are the engine's own answers.
 */
import { describe, expect, it } from 'vitest';
import { createCardEngine } from '../../src/card-api/create-card-engine';
import { directory, READY_FOR_HANDOFF, settings, snapshot, T0 } from '../domain/fixtures';

describe('createCardEngine (real domain)', () => {
  const engine = createCardEngine();

  it('names each missing gate item in Japanese and English', () => {
    const a = engine.assess(snapshot({ tossup_bant_need: 'true' }), settings(), directory(), T0);
    expect(a.gate.passed).toBe(false);
    const byCode = Object.fromEntries(a.gate.missing.map((m) => [m.code, m]));
    expect(Object.keys(byCode).sort()).toEqual(['bant_count', 'handoff_reason', 'last_contacted', 'sql_rule']);
    expect(byCode.handoff_reason).toMatchObject({ label: { ja: expect.stringContaining('未記入'), en: 'The hand-off reason is empty' } });
    expect(byCode.bant_count!.label?.en).toMatch(/At least 2 BANT items required \(1 confirmed/);
    expect(a.mql).toEqual({ isMql: false, threshold: 70, gap: 70, firedBy: [] });
    expect(a.followUpDueAt).toBeNull();
  });

  it('gives an MQL lead the IS follow-up deadline on the SLA calendar, counted from when it became MQL', () => {
    const mqlAt = T0 - 3_600_000;
    const a = engine.assess(snapshot({ tossup_stage: 'mql', tossup_mql_at: String(mqlAt) }), settings(), directory(), T0);
    expect(a.followUpDueAt).not.toBeNull();
    expect(a.followUpDueAt!).toBeGreaterThanOrEqual(mqlAt + settings().sla.mqlFollowUpHours * 3_600_000);
    expect(a.reactions).toEqual({ inquirySubmitted: false, isFirstCallDone: expect.any(Boolean), surveyAnswered: false });
  });

  it('passes the gate for a ready contact and plans the hand-off with a HIGH task for a Sales rep', () => {
    const s = snapshot(READY_FOR_HANDOFF);
    expect(engine.assess(s, settings(), directory(), T0).gate).toEqual({ passed: true, missing: [] });
    const outcome = engine.planHandoff(s, settings(), directory(), T0, { ownerId: '101' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.plan.contactProperties.tossup_stage).toBe('sql');
    expect(outcome.plan.contactProperties.tossup_handoff_by).toBe('101');
    expect(outcome.plan.tasks.map((t) => t.priority)).toContain('HIGH');
    // Same input, same clock → same keys: what makes a retried request harmless.
    const again = engine.planHandoff(s, settings(), directory(), T0, { ownerId: '101' });
    expect(again.ok && again.plan.tasks.map((t) => t.key)).toEqual(outcome.plan.tasks.map((t) => t.key));
  });

  it('refuses a second toss-up as a state problem, not as missing items', () => {
    const outcome = engine.planHandoff(snapshot({ ...READY_FOR_HANDOFF, tossup_stage: 'sql' }), settings(), directory(), T0, { ownerId: '101' });
    expect(outcome).toMatchObject({ ok: false, code: 'invalid_state', message: { en: 'This lead has already been handed off' } });
  });

  it('maps teams to departments with the portal settings', () => {
    expect(engine.departmentOfTeam({ id: '10', name: 'インサイドセールス部' }, settings())).toBe('inside_sales');
    expect(engine.departmentOfTeam({ id: '10', name: 'インサイドセールス部' }, settings((s) => (s.departments.teamMap['10'] = 'marketing')))).toBe('marketing');
  });
});
