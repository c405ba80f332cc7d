/**
 * The BANT form's plan (app/src/domain/bant-edit.ts): only what changed is written,
 * and hand-written text in the notes property survives.
 */
import { describe, expect, it } from 'vitest';
import { planBantEdit, planBantSave, type BantEdit } from '../../src/domain/bant-edit';
import { evaluateContact } from '../../src/domain/evaluate';
import { T0, applyToSnapshot, directory, settings, snapshot } from './fixtures';

const NO_NOTES = { budget: '', authority: '', need: '', timeline: '' };
const edit = (over: Partial<BantEdit> = {}): BantEdit => ({ bant: { budget: false, authority: true, need: true, timeline: true }, notes: NO_NOTES, reason: '比較検討中', ...over });

describe('planBantEdit', () => {
  it('writes the four items, their count, the notes and the trimmed reason', () => {
    const plan = planBantEdit(snapshot(), edit({ notes: { ...NO_NOTES, authority: '部長が決裁', need: '工数削減' }, reason: '  比較検討中\n' }), { userId: '9201' });
    expect(plan.contactProperties).toEqual({
      tossup_bant_count: '3',
      tossup_bant_notes: '決裁者 / Authority: 部長が決裁\nニーズ / Need: 工数削減',
      tossup_handoff_reason: '比較検討中',
      tossup_bant_budget: 'false',
      tossup_bant_authority: 'true',
      tossup_bant_need: 'true',
      tossup_bant_timeline: 'true',
    });
    expect(plan).toMatchObject({ portalId: '555', contactId: '7001', tasks: [], notes: [], handoffLog: [] });
    expect(plan.explanations).toEqual(['card: BANT/reason updated by user 9201']);
  });

  it('writes nothing when the form matches the contact', () => {
    const s = snapshot({
      tossup_bant_count: '3',
      tossup_bant_budget: 'false',
      tossup_bant_authority: 'true',
      tossup_bant_need: 'true',
      tossup_bant_timeline: 'true',
      tossup_handoff_reason: '比較検討中',
    });
    expect(planBantEdit(s, edit(), { userId: '9201' }).contactProperties).toEqual({});
  });

  it('writes only the properties that differ', () => {
    const s = snapshot({ tossup_bant_count: '3', tossup_bant_budget: 'false', tossup_bant_authority: 'true', tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_handoff_reason: '比較検討中' });
    const plan = planBantEdit(s, edit({ bant: { budget: true, authority: true, need: true, timeline: true } }), { userId: '9201' });
    expect(plan.contactProperties).toEqual({ tossup_bant_count: '4', tossup_bant_budget: 'true' });
  });

  it('keeps text typed into the notes property by hand that is none of the four items', () => {
    const s = snapshot({ tossup_bant_notes: '予算 / Budget: 旧メモ\n展示会で名刺交換' });
    const plan = planBantEdit(s, edit({ notes: { ...NO_NOTES, need: '工数削減' } }), { userId: '9201' });
    expect(plan.contactProperties.tossup_bant_notes).toBe('ニーズ / Need: 工数削減\n展示会で名刺交換');
  });
});

describe('planBantSave: the save that completes the gate credits the saver (issue 14)', () => {
  // Called, reason written, Need ticked: ticking Timeline in the card completes the default SQL rule and gate.
  const almost = { tossup_bant_need: 'true', notes_last_contacted: '2025-03-31T05:00:00Z', tossup_handoff_reason: '比較検討中' };
  const completing = edit({ bant: { budget: false, authority: false, need: true, timeline: true } });
  const actor = { userId: '9201', ownerId: '102' };

  it('hands off in the same plan with tossup_handoff_by = the saving user\'s owner and source card', () => {
    const plan = planBantSave(snapshot(almost), completing, settings(), directory(), T0, actor);
    expect(plan.contactProperties).toMatchObject({
      tossup_bant_timeline: 'true',
      tossup_bant_count: '2',
      tossup_stage: 'sql',
      tossup_handoff_by: '102',
      tossup_handoff_source: 'card',
      tossup_mql_rule: 'handoff',
    });
    expect(plan.handoffLog).toEqual([expect.objectContaining({ action: 'handoff', actorOwnerId: '102', details: expect.objectContaining({ source: 'card' }) })]);
    expect(plan.explanations[0]).toBe('card: BANT/reason updated by user 9201');
    // The webhook for this write finds nothing left to do: no second hand-off, no integration credit.
    const after = applyToSnapshot(snapshot(almost), plan);
    expect(evaluateContact(after, settings(), directory(), T0 + 1000).handoffLog).toEqual([]);
  });

  it('the pipeline alone would have credited nobody (the bug this guards)', () => {
    const written = { ...almost, ...planBantEdit(snapshot(almost), completing, actor).contactProperties };
    const history = { tossup_bant_timeline: [{ value: 'true', timestamp: T0, sourceType: 'INTEGRATION' }] };
    const plan = evaluateContact(snapshot(written, { contactHistory: history }), settings(), directory(), T0);
    expect(plan.contactProperties).toMatchObject({ tossup_stage: 'sql', tossup_handoff_source: 'integration' });
    expect(plan.contactProperties.tossup_handoff_by ?? '').toBe('');
  });

  it('a user who is no owner is source card with nobody credited', () => {
    const plan = planBantSave(snapshot(almost), completing, settings(), directory(), T0, { userId: '9201', ownerId: null });
    expect(plan.contactProperties).toMatchObject({ tossup_stage: 'sql', tossup_handoff_source: 'card' });
    expect(plan.contactProperties.tossup_handoff_by ?? '').toBe('');
  });

  it('is the edit alone when the gate still does not hold or the automatic hand-off is off', () => {
    const partial = planBantSave(snapshot({ ...almost, tossup_bant_need: 'false' }), edit({ bant: { budget: false, authority: false, need: false, timeline: true } }), settings(), directory(), T0, actor);
    expect(partial.contactProperties).toEqual({ tossup_bant_timeline: 'true', tossup_bant_budget: 'false', tossup_bant_authority: 'false', tossup_bant_count: '1' });
    expect(partial.handoffLog).toEqual([]);
    const manual = planBantSave(snapshot(almost), completing, settings((s) => (s.automaticHandoff = false)), directory(), T0, actor);
    expect(manual.contactProperties).toEqual({ tossup_bant_timeline: 'true', tossup_bant_budget: 'false', tossup_bant_authority: 'false', tossup_bant_count: '2' });
  });
});
