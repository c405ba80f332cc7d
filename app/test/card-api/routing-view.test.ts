import { describe, expect, it } from 'vitest';
import { buildRoutingPanel, type RoutingLogRow } from '../../src/card-api/routing-view';
import { evaluateContact } from '../../src/domain/evaluate';
import { evaluateSla } from '../../src/domain/sla';
import type { ContactSnapshot, Plan } from '../../src/domain/types';
import { HOUR, READY_FOR_HANDOFF, T0, applyToSnapshot, directory, settings, snapshot } from '../domain/fixtures';

const rows = (plans: Plan[]): RoutingLogRow[] => plans.flatMap((p) => p.handoffLog.map((l) => ({ action: l.action, toOwnerId: l.toOwnerId ?? null, at: l.at, details: l.details })));

// The tab card's routing panel is built from the hand-off log the engine writes (issue 17).
describe('routing panel from the hand-off log', () => {
  it('path, then reminder → breach → escalation → reassign as they happen', () => {
    const s = settings((x) => {
      x.routing.reassignAfterHours = 2;
      x.escalation.ownersByTeam = { '20': '901' };
    });
    const d = directory();
    const start: ContactSnapshot = snapshot(READY_FOR_HANDOFF);
    const handoff = evaluateContact(start, s, d, T0);
    let snap = { ...applyToSnapshot(start, handoff, d), activities: [] };
    expect(buildRoutingPanel(rows([handoff]), s, d)).toMatchObject({
      path: { ja: '該当ルールなし → 営業チーム → 201（稼働中・担当 0件）［対象外: 203（無効なユーザー）］' },
      warning: null,
      ladder: [
        { step: 'reminder', state: 'pending' },
        { step: 'breach', state: 'pending' },
        { step: 'escalation', state: 'pending' },
        { step: 'reassign', state: 'pending' },
      ],
    });
    const plans: Plan[] = [handoff];
    const due = snap.slaClock!.firstTouchDueAt;
    for (const at of [due - 2 * HOUR, due, due + 2 * HOUR]) {
      const p = evaluateSla(snap.slaClock!, snap, s, d, at);
      plans.push(p);
      snap = { ...applyToSnapshot(snap, p, d), activities: [] };
    }
    const panel = buildRoutingPanel(rows(plans), s, d);
    expect(panel.ladder.map((l) => [l.step, l.state, l.at])).toEqual([
      ['reminder', 'done', due - 2 * HOUR],
      ['breach', 'done', due],
      ['escalation', 'done', due],
      ['reassign', 'done', due + 2 * HOUR],
    ]);
    expect(panel.ladder[3]!.to).toBe('#202');
    expect(panel.path!.ja).toMatch(/^該当ルールなし → 営業チーム → 202（稼働中・担当 0件）［対象外: 201（再割当元/);
  });

  it('without a hand-off: no path, no ladder; reassign off when not configured', () => {
    expect(buildRoutingPanel([], settings(), directory())).toEqual({ path: null, pathAt: null, warning: null, ladder: [] });
    const handoff = evaluateContact(snapshot(READY_FOR_HANDOFF), settings(), directory(), T0);
    expect(buildRoutingPanel(rows([handoff]), settings(), directory()).ladder.at(-1)).toEqual({ step: 'reassign', state: 'off', at: null, to: null });
  });
});
