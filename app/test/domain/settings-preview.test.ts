import { withFactThreshold } from '@tossup/shared/rule-threshold';
/**
 * The settings preview's simulation (app/src/domain/settings-preview.ts): which
 * stage each sampled contact reaches under the current and the edited rules, and
 * how many change.
 */
import { describe, expect, it } from 'vitest';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { previewSettingsChange, stageUnder, type EvaluateContact } from '../../src/domain/settings-preview';
import { tossupStageOf } from '../../src/domain/tossup-stage';
import { emptyPlan, type ContactSnapshot, type LedgerEntry, type TossupStage } from '../../src/domain/types';
import { DAY, T0, directory, settings, snapshot } from './fixtures';

const withId = (id: string, s: ContactSnapshot): ContactSnapshot => ({ ...s, contact: { ...s.contact, id } });
const inquiry: LedgerEntry = { signalKey: 'form:inquiry', kind: 'form_submission', occurredAt: T0 - DAY, details: { title: 'お問い合わせ' } };
/** Any score at all makes an eligible contact MQL. */
const lowerMql = settings((s) => (s.rules.mql = { type: 'compare', fact: 'score', op: 'gte', value: 0 }));

describe('tossupStageOf', () => {
  it('reads the six stages and takes anything else for new', () => {
    for (const stage of ['new', 'mql', 'sql', 'accepted', 'rejected', 'recycled'] as const) expect(tossupStageOf({ tossup_stage: stage })).toBe(stage);
    expect(tossupStageOf({})).toBe('new');
    expect(tossupStageOf({ tossup_stage: 'SQL' })).toBe('new');
    expect(tossupStageOf({ tossup_stage: null })).toBe('new');
  });
});

describe('previewSettingsChange (real engine)', () => {
  it('counts only the contacts whose stage the edit changes', () => {
    const snapshots = [
      withId('1', snapshot()), // new → mql under the lower bar
      withId('2', snapshot()), // likewise
      withId('3', snapshot({ tossup_stage: 'sql' })), // with Sales already: no MQL step
      withId('4', snapshot({ lifecyclestage: 'salesqualifiedlead' })), // HubSpot has it past MQL
    ];
    const preview = previewSettingsChange({ snapshots, current: settings(), edited: lowerMql, directory: directory(), now: T0 });
    expect(preview).toEqual({ evaluated: 4, changed: 2, transitions: [{ from: 'new', to: 'mql', count: 2 }] });
  });

  it('does not count what the current rules would do anyway (pipeline lag)', () => {
    // 75 points + an inquiry: MQL under the current rules already, not yet evaluated.
    const s = snapshot({ hs_email_open: '4', jobtitle: '情報システム部 部長' }, {
      observations: [inquiry, { ...inquiry, signalKey: 'form:dl', details: { title: '資料ダウンロード' } }, { ...inquiry, signalKey: 'form:wp', details: { title: 'whitepaper' } }],
      eventParticipations: [{ eventId: 'e1', eventName: 'DXセミナー', state: 'ATTENDED', occurredAt: T0 - 4 * DAY }],
      company: { id: '8001', properties: { numberofemployees: '1200' } },
    });
    expect(stageUnder(s, settings(), directory(), T0)).toBe('mql');
    expect(previewSettingsChange({ snapshots: [s], current: settings(), edited: lowerMql, directory: directory(), now: T0 })).toEqual({ evaluated: 1, changed: 0, transitions: [] });
  });

  it('evaluates nothing for an empty sample', () => {
    expect(previewSettingsChange({ snapshots: [], current: settings(), edited: lowerMql, directory: directory(), now: T0 })).toEqual({ evaluated: 0, changed: 0, transitions: [] });
  });
});

describe('previewSettingsChange (counting)', () => {
  /** A stand-in engine: the stage each contact id reaches under the "edited" settings. */
  function engine(edited: PortalSettings, after: Record<string, TossupStage>): EvaluateContact {
    return (s, used) => {
      const plan = emptyPlan(s.portalId, s.contact.id);
      const to = used === edited ? after[s.contact.id] : undefined;
      if (to) plan.contactProperties.tossup_stage = to;
      return plan;
    };
  }

  it('groups the changes by transition, most frequent first, ties in the order met', () => {
    const current = settings();
    const edited = settings((s) => (s.gate.rule = withFactThreshold(s.gate.rule, 'bant_count', 1)));
    const snapshots = ['1', '2', '3', '4', '5', '6'].map((id) => withId(id, snapshot({ tossup_stage: id === '6' ? 'mql' : 'new' })));
    const evaluate = engine(edited, { '1': 'mql', '2': 'sql', '3': 'sql', '4': 'sql', '5': 'mql', '6': 'sql' });
    expect(previewSettingsChange({ snapshots, current, edited, directory: directory(), now: T0 }, evaluate)).toEqual({
      evaluated: 6,
      changed: 6,
      transitions: [
        { from: 'new', to: 'sql', count: 3 },
        { from: 'new', to: 'mql', count: 2 },
        { from: 'mql', to: 'sql', count: 1 },
      ],
    });
  });

  it('reads the stage after the plan, with the snapshot value where the plan writes none', () => {
    const current = settings();
    const edited = settings((s) => (s.automaticHandoff = false));
    const s = withId('9', snapshot({ tossup_stage: 'accepted' }));
    expect(stageUnder(s, edited, directory(), T0, engine(edited, {}))).toBe('accepted');
    expect(stageUnder(s, edited, directory(), T0, engine(edited, { '9': 'rejected' }))).toBe('rejected');
    expect(previewSettingsChange({ snapshots: [s], current, edited, directory: directory(), now: T0 }, engine(edited, { '9': 'accepted' })).changed).toBe(0);
  });
});
