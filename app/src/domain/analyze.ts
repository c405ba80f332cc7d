/**
 * The common first half of every decision: merge signals, score, and write the score
 * properties. Every plan (automatic evaluation, button press, accept / reject) starts
 * from here, so each also refreshes the score and records new signals.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { computeScore, type ScoreResult } from './scoring';
import { buildFacts, bantCount } from './facts';
import { createPlanBuilder, type PlanBuilder } from './plan-builder';
import { mergeSignals, newLedgerEntries, observeSignals } from './signals';
import { currentCycle } from './cycle';
import { isBlank } from './hubspot-values';
import type { Facts } from './rule-expression';
import type { ContactSnapshot, LedgerEntry, PortalDirectory } from './types';

export interface ContactAnalysis {
  builder: PlanBuilder;
  signals: LedgerEntry[];
  score: ScoreResult;
  cycle: number;
  /** Facts as of now; call again after properties change (facts() reads the builder). */
  facts: () => Facts;
}

export function analyzeContact(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): ContactAnalysis {
  const builder = createPlanBuilder(snapshot);
  const observed = observeSignals(snapshot, settings, directory, now);
  const signals = mergeSignals(snapshot.ledger, observed);
  builder.plan.ledgerAppend.push(...newLedgerEntries(snapshot.ledger, observed));

  const score = computeScore(signals, snapshot, settings, now);
  builder.set('tossup_score', String(score.total));
  builder.set('tossup_score_behavior', String(score.behavior));
  builder.set('tossup_score_attribute', String(score.attribute));
  builder.set('tossup_score_breakdown', score.breakdown);
  builder.set('tossup_bant_count', String(bantCount(builder.get)));
  if (isBlank(builder.get('tossup_stage'))) builder.set('tossup_stage', 'new');

  return { builder, signals, score, cycle: currentCycle(signals), facts: () => buildFacts(score, builder.get) };
}

/** Records an engine decision in the ledger (idempotency across replays) and in the working signal set. */
export function recordDecision(a: ContactAnalysis, entry: LedgerEntry): void {
  if (a.signals.some((s) => s.signalKey === entry.signalKey)) return;
  a.signals.push(entry);
  a.builder.plan.ledgerAppend.push(entry);
}

export function setStage(a: ContactAnalysis, to: string): void {
  const from = a.builder.get('tossup_stage') ?? '';
  if (from === to) return;
  a.builder.set('tossup_stage', to);
  a.builder.plan.transitions.push({ field: 'tossup_stage', from, to });
}

export function setLifecycle(a: ContactAnalysis, to: string | undefined): void {
  if (!to) return;
  const from = a.builder.get('lifecyclestage') ?? '';
  a.builder.set('lifecyclestage', to);
  a.builder.plan.transitions.push({ field: 'lifecyclestage', from, to });
}
