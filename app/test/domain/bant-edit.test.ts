/**
 * The BANT form's plan (app/src/domain/bant-edit.ts): only what changed is written,
 * and hand-written text in the notes property survives.
 */
import { describe, expect, it } from 'vitest';
import { planBantEdit, type BantEdit } from '../../src/domain/bant-edit';
import { snapshot } from './fixtures';

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
