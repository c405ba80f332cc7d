import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { evaluateRule, type Facts } from '../../src/domain/rule-expression';
import { firedBy } from '../../src/domain/rule-fired';

const facts = (flags: Partial<Facts['flags']>, numbers: Partial<Facts['numbers']>): Facts =>
  ({
    flags: { inquiry_submitted: false, survey_answered: false, is_first_call_done: false, seminar_attended: false, seminar_registered: false, bant_budget: false, bant_authority: false, bant_need: false, bant_timeline: false, handoff_reason_present: false, last_contacted_recorded: false, ...flags },
    numbers: { score: 0, score_behavior: 0, score_attribute: 0, bant_count: 0, email_opens: 0, downloads: 0, seminars_attended: 0, ...numbers },
  }) as Facts;

describe('firedBy (which part of a rule made it hold)', () => {
  const mql = DEFAULT_SETTINGS.rules.mql;

  it('names only the branch of the default MQL rule that holds', () => {
    const bySeminar = firedBy(mql, facts({ seminar_attended: true, bant_need: true }, { score: 40 }));
    const byScore = firedBy(mql, facts({ inquiry_submitted: true }, { score: 80 }));
    expect(bySeminar.length).toBeGreaterThan(0);
    expect(byScore.length).toBeGreaterThan(0);
    expect(bySeminar).not.toEqual(byScore);
    expect(byScore.map((l) => l.ja).join()).toMatch(/70/);
    expect(bySeminar.map((l) => l.ja).join()).not.toMatch(/70/);
  });

  it('is empty exactly when the rule does not hold', () => {
    for (const f of [facts({}, { score: 10 }), facts({ seminar_attended: true }, { score: 10 }), facts({}, { score: 90 }), facts({ inquiry_submitted: true }, { score: 90 })]) {
      expect(firedBy(mql, f).length > 0).toBe(evaluateRule(mql, f).holds);
    }
  });
});
