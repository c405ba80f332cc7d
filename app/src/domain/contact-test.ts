/**
 * "Test on a contact" (issue 16): what the engine would decide for one contact under
 * one settings document, spelled out for an admin: the score with its breakdown,
 * the MQL and SQL rules traced condition by condition, the hand-off gate, who the
 * hand-off would go to and why each candidate was or was not taken, the SLA
 * deadlines a hand-off now would get, and the stage the evaluation reaches. Pure and
 * read-only: it plans, it never applies (the card API route answers with it).
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { analyzeContact } from './analyze';
import { addSlaHours } from './business-hours';
import { isActiveIn } from './departments';
import { handoffBlockers } from './handoff';
import { routeHandoff } from './routing';
import { routingPathInWords } from './routing-path';
import { traceRule, type RuleTrace } from './rule-trace';
import { scoreLineLabel } from './scoring';
import { stageUnder } from './settings-preview';
import type { ContactSnapshot, EpochMs, Owner, PortalDirectory, TossupStage } from './types';

export interface ContactTestResult {
  score: { total: number; behavior: number; attribute: number; lines: { label: Bilingual; part: 'behavior' | 'attribute'; points: number }[] };
  mql: RuleTrace;
  sql: RuleTrace;
  /** Everything that would stop a hand-off now (the SQL rule, the gate, routing, state); empty = it would go. */
  gate: { passed: boolean; blocking: Bilingual[] };
  /** The hand-off's routing in steps, e.g. 担当企業の所有者 → 営業チーム所属 → 吉田 健. */
  routing: { ownerId: string | null; steps: Bilingual[] };
  /** Deadlines a hand-off made now would get (settings.sla with its calendar). */
  sla: { firstTouchDueAt: EpochMs; statusUpdateDueAt: EpochMs };
  /** The stage the contact reaches once the engine's evaluation is applied. */
  stageAfter: TossupStage;
}

function nameOf(owner: Owner | undefined, id: string): string {
  const name = [owner?.lastName, owner?.firstName].filter((p) => p && p.trim() !== '').join(' ');
  return name || owner?.email || `#${id}`;
}

function explainRouting(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory): ContactTestResult['routing'] {
  const owner = (id: string) => nameOf(directory.owners.find((o) => o.id === id), id);
  const steps: Bilingual[] = [];
  const companyOwner = snapshot.company?.properties.hubspot_owner_id ?? undefined;
  if (!settings.routing.preferCompanyOwner) steps.push({ ja: '担当企業の所有者を優先しない設定', en: 'The company owner is not preferred (setting)' });
  else if (!snapshot.company) steps.push({ ja: '担当企業なし → スキップ', en: 'No primary company → skipped' });
  else if (!companyOwner) steps.push({ ja: '担当企業に所有者がいません → スキップ', en: 'The company has no owner → skipped' });
  else if (!isActiveIn(directory, companyOwner, 'sales', settings.departments)) {
    steps.push({ ja: `担当企業の所有者 ${owner(companyOwner)} は有効な営業チーム所属ではありません → スキップ`, en: `Company owner ${owner(companyOwner)} is not an active Sales team member → skipped` });
  }
  const decision = routeHandoff(snapshot, settings, directory);
  if (!decision) {
    steps.push({ ja: '営業チームに有効な担当者がいません', en: 'No active owner in a Sales team' });
    return { ownerId: null, steps };
  }
  const who = owner(decision.ownerId);
  if (decision.trace && decision.path !== 'company_owner' && decision.path !== 'round_robin:sales') {
    steps.push(routingPathInWords(decision.trace, decision.ownerId, directory));
    return { ownerId: decision.ownerId, steps };
  }
  steps.push(
    decision.path === 'company_owner'
      ? { ja: `担当企業の所有者 → 営業チーム所属 → ${who}`, en: `Company owner → in a Sales team → ${who}` }
      : { ja: `営業のラウンドロビン（割り当てが最も少ない人） → ${who}`, en: `Sales round-robin (fewest assignments) → ${who}` },
  );
  return { ownerId: decision.ownerId, steps };
}

export function testContact(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: EpochMs): ContactTestResult {
  const a = analyzeContact(snapshot, settings, directory, now);
  const facts = a.facts();
  const { soft, hard } = handoffBlockers(a, settings, directory, snapshot);
  const blocking = [...hard, ...soft].map((b) => b.message);
  return {
    score: {
      total: a.score.total,
      behavior: a.score.behavior,
      attribute: a.score.attribute,
      lines: a.score.lines.map((l) => ({ label: scoreLineLabel(l), part: l.part, points: l.points })),
    },
    mql: traceRule(settings.rules.mql, facts),
    sql: traceRule(settings.rules.sql, facts),
    gate: { passed: blocking.length === 0, blocking },
    routing: explainRouting(snapshot, settings, directory),
    sla: {
      firstTouchDueAt: addSlaHours(now, settings.sla.firstTouchHours, settings.sla.calendar),
      statusUpdateDueAt: addSlaHours(now, settings.sla.statusUpdateHours, settings.sla.calendar),
    },
    stageAfter: stageUnder(snapshot, settings, directory, now),
  };
}
