import { describe, expect, it } from 'vitest';
import { findDuplicateOutreach, type OutreachTouch } from '../../src/domain/duplicate-outreach';

/**
 * 対応の重複 (app/src/domain/duplicate-outreach.ts): the article's designed flow
 * (Marketing → IS → Sales) never warns; its failure stories do.
 */
const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 0, 0);
const touch = (department: OutreachTouch['department'], ownerId: string | null, hoursAfter: number): OutreachTouch => ({ department, ownerId, at: T0 + hoursAfter * H });

describe('findDuplicateOutreach', () => {
  it('the designed flow — Marketing e-mail → IS call → hand-off → the rep calls — raises no warning', () => {
    const touches = [touch('marketing', null, 0), touch('inside_sales', 'is1', 2), touch('inside_sales', 'is1', 20), touch('sales', 'rep1', 26)];
    expect(findDuplicateOutreach(touches, [{ at: T0 + 24 * H, repOwnerId: 'rep1' }], 72)).toEqual([]);
  });

  it("a former rep's other-product proposal after the hand-off warns (two Sales people)", () => {
    const touches = [touch('inside_sales', 'is1', 0), touch('sales', 'rep1', 26), touch('sales', 'former', 30)];
    expect(findDuplicateOutreach(touches, [{ at: T0 + 24 * H, repOwnerId: 'rep1' }], 72)).toEqual([{ departments: ['sales', 'sales'], rule: 'other_rep', firstAt: T0 + 24 * H, secondAt: T0 + 30 * H }]);
  });

  it("a former rep's proposal warns even before the assigned rep has called", () => {
    const touches = [touch('inside_sales', 'is1', 0), touch('sales', 'former', 25)];
    expect(findDuplicateOutreach(touches, [{ at: T0 + 24 * H, repOwnerId: 'rep1' }], 72)).toEqual([{ departments: ['sales', 'sales'], rule: 'other_rep', firstAt: T0 + 24 * H, secondAt: T0 + 25 * H }]);
  });

  it("Marketing's mail during an open deal (after the rep called) warns", () => {
    const touches = [touch('inside_sales', 'is1', 0), touch('sales', 'rep1', 26), touch('marketing', null, 40)];
    // After the hand-off to Sales (the rule the card names, over "after the rep's call"), and against the flow after IS had taken the lead over.
    expect(findDuplicateOutreach(touches, [{ at: T0 + 24 * H, repOwnerId: 'rep1' }], 72)).toEqual([
      { departments: ['marketing', 'sales'], rule: 'after_handoff', firstAt: T0 + 24 * H, secondAt: T0 + 40 * H },
      { departments: ['inside_sales', 'marketing'], rule: 'against_flow', firstAt: T0, secondAt: T0 + 40 * H },
    ]);
  });

  it("Marketing's mail right after the hand-off warns before the rep has called", () => {
    const touches = [touch('inside_sales', 'is1', 0), touch('marketing', null, 30)];
    expect(findDuplicateOutreach(touches, [{ at: T0 + 24 * H, repOwnerId: 'rep1' }], 72)).toContainEqual({ departments: ['marketing', 'sales'], rule: 'after_handoff', firstAt: T0 + 24 * H, secondAt: T0 + 30 * H });
  });

  it('two IS reps on one lead warn; one IS rep calling twice does not', () => {
    expect(findDuplicateOutreach([touch('inside_sales', 'is1', 0), touch('inside_sales', 'is1', 5)], [], 72)).toEqual([]);
    expect(findDuplicateOutreach([touch('inside_sales', 'is1', 0), touch('inside_sales', 'is2', 5)], [], 72)).toEqual([
      { departments: ['inside_sales', 'inside_sales'], rule: 'same_department', firstAt: T0, secondAt: T0 + 5 * H },
    ]);
  });

  it('against the flow without a recorded hand-off (IS calls after a Sales e-mail) warns; outside the window it does not', () => {
    expect(findDuplicateOutreach([touch('sales', 'rep1', 0), touch('inside_sales', 'is1', 24)], [], 72)).toEqual([{ departments: ['inside_sales', 'sales'], rule: 'against_flow', firstAt: T0, secondAt: T0 + 24 * H }]);
    expect(findDuplicateOutreach([touch('sales', 'rep1', 0), touch('inside_sales', 'is1', 80)], [], 72)).toEqual([]);
    expect(findDuplicateOutreach([touch('sales', 'rep1', 0), touch('inside_sales', 'is1', 80)], [], 96)).toHaveLength(1);
  });
});
