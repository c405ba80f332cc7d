/**
 * Toss-up (hand-off to Sales), docs/product.md §5: when the SQL rule and the gate hold,
 * automatically (settings.automaticHandoff) or when IS presses the button. HubSpot's
 * state is trusted: the app's own MQL is not a precondition. One hand-off per cycle:
 * the ledger entry `handoff:c<cycle>` and every key below make replays harmless.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { analyzeContact, recordDecision, setLifecycle, setStage, type ContactAnalysis } from './analyze';
import { addSlaHours } from './business-hours';
import { coolOffUntil, hasDecision } from './cycle';
import { attributeDeals } from './deal-attribution';
import { BANT_ITEMS } from './facts';
import { evaluateGate, type BlockingItem } from './gate';
import type { HandoffCredit } from './handoff-credit';
import { recordHandoffReportFields } from './handoff-report-fields';
import { formatHubSpotTime, parseHubSpotBool } from './hubspot-values';
import { forwardLifecycle } from './lifecycle';
import { contactDisplayName } from './plan-builder';
import { evaluateRule } from './rule-expression';
import { routeHandoff, type RoutingDecision } from './routing';
import { routingPathInWords } from './routing-path';
import { reminderTimes } from './sla';
import { formatDeadline, inPortalLanguage, routeInWords, sourceInWords } from './portal-text';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from './types';

const HANDED_OFF_STAGES = new Set(['sql', 'accepted']);

export interface HandoffOptions {
  /** Owner id of the IS rep pressing the button; undefined for the automatic hand-off. */
  actorOwnerId?: string;
  /** Hand off although the SQL rule or the gate does not hold (the missing items are recorded). */
  force?: boolean;
  /** Who completed the gate, for the automatic hand-off (handoff-credit.ts); absent = the card's button. */
  credit?: HandoffCredit;
}

export type HandoffResult = { ok: true; plan: Plan; routing: RoutingDecision } | { ok: false; blocking: BlockingItem[]; plan: Plan };

/** Routing for this cycle's hand-off; a seat it already holds (a retried apply) keeps its rep. */
export function routeThisHandoff(a: ContactAnalysis, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): RoutingDecision | undefined {
  const seat = snapshot.routingSeat?.handoffKey === `c${a.cycle}` ? snapshot.routingSeat.ownerId : undefined;
  return routeHandoff(snapshot, settings, directory, now, seat ? { seatOwnerId: seat } : {});
}

/** Everything that stops a hand-off right now, in the order the card shows it. */
export function handoffBlockers(a: ContactAnalysis, settings: PortalSettings, directory: PortalDirectory, snapshot: ContactSnapshot): { soft: BlockingItem[]; hard: BlockingItem[] } {
  const hard: BlockingItem[] = [];
  if (HANDED_OFF_STAGES.has(a.builder.get('tossup_stage') ?? '') || hasDecision(a.signals, 'handoff', a.cycle)) {
    hard.push({ code: 'already_handed_off', message: { ja: 'このリードはトスアップ済みです', en: 'This lead has already been handed off' } });
  }
  if (!routeHandoff(snapshot, settings, directory)) {
    hard.push({
      code: 'no_sales_owner',
      message: {
        ja: '営業チームに有効な担当者がいません。設定画面で営業チームの対応付けを確認してください',
        en: 'No active owner in a Sales team; check the team-to-department mapping in the settings',
      },
    });
  }
  const facts = a.facts();
  const soft: BlockingItem[] = [];
  const sql = evaluateRule(settings.rules.sql, facts);
  if (!sql.holds) {
    soft.push({
      code: 'sql_rule',
      message: { ja: `SQL条件を満たしていません: ${sql.unmet.map((u) => u.ja).join('、')}`, en: `SQL rule not met: ${sql.unmet.map((u) => u.en).join(', ')}` },
    });
  }
  soft.push(...evaluateGate(facts, settings.gate));
  return { soft, hard };
}

function bantSummary(a: ContactAnalysis): { ja: string; en: string } {
  const marks = BANT_ITEMS.map((b) => ({ b, ok: parseHubSpotBool(a.builder.get(b.property)) }));
  return {
    ja: marks.map(({ b, ok }) => `${ok ? '✔' : '✖'} ${b.ja}`).join('　'),
    en: marks.map(({ b, ok }) => `${ok ? '✔' : '✖'} ${b.en}`).join('  '),
  };
}

/** Adds the hand-off to `a`'s plan. Callers have checked the blockers. */
export function applyHandoff(
  a: ContactAnalysis,
  snapshot: ContactSnapshot,
  settings: PortalSettings,
  directory: PortalDirectory,
  now: number,
  routing: RoutingDecision,
  options: HandoffOptions & { missing: BlockingItem[] },
): void {
  const { builder } = a;
  const contactId = snapshot.contact.id;
  const handoffKey = `c${a.cycle}`;
  const rep = routing.ownerId;
  const firstTouchDueAt = addSlaHours(now, settings.sla.firstTouchHours, settings.sla.calendar);
  const statusUpdateDueAt = addSlaHours(now, settings.sla.statusUpdateHours, settings.sla.calendar);
  const reason = builder.get('tossup_handoff_reason')?.trim() ?? '';
  const bantNotes = builder.get('tossup_bant_notes')?.trim() ?? '';
  const bant = bantSummary(a);
  const name = contactDisplayName(snapshot, settings.portalLanguage);
  const actor = options.actorOwnerId;
  const credit: HandoffCredit = options.credit ?? { source: 'card', ...(actor ? { ownerId: actor } : {}) };

  setLifecycle(a, forwardLifecycle(builder.get('lifecyclestage'), 'salesqualifiedlead', directory));
  setStage(a, 'sql');
  builder.set('tossup_sql_at', formatHubSpotTime(now));
  builder.set('tossup_handoff_by', credit.ownerId ?? '');
  builder.set('tossup_handoff_to', rep);
  builder.set('hubspot_owner_id', rep);
  builder.set('tossup_first_touch_due_at', formatHubSpotTime(firstTouchDueAt));
  builder.set('tossup_status_update_due_at', formatHubSpotTime(statusUpdateDueAt));
  builder.set('tossup_sla_first_touch', 'pending');
  builder.set('tossup_sla_status_update', 'pending');
  // A new hand-off starts a clean SLA record (a recycled lead may carry the last cycle's).
  builder.set('tossup_first_touch_at', '');
  builder.set('tossup_first_touch_hours', '');
  builder.set('tossup_reject_reason', '');
  const mqlAtHandoff = recordHandoffReportFields(a, snapshot, directory, now, credit);

  recordDecision(a, { signalKey: `handoff:${handoffKey}`, kind: 'handoff', occurredAt: now, details: { rep, actor: actor ?? null, routingPath: routing.path } });
  if (routing.roundRobin) builder.plan.roundRobinAssignment = routing.roundRobin;
  if (routing.claim) builder.plan.routingClaim = { ...routing.claim, handoffKey };

  const associations = {
    contactId,
    ...(snapshot.company ? { companyId: snapshot.company.id } : {}),
    ...(snapshot.openDealId ? { dealId: snapshot.openDealId } : {}),
  };
  const say = (text: { ja: string; en: string }) => inPortalLanguage(settings, text);
  const forced =
    options.force && options.missing.length
      ? say({
          ja: `※条件未達のまま手動でトスアップ: ${options.missing.map((m) => m.message.ja).join('／')}`,
          en: `Note: handed off manually with unmet conditions: ${options.missing.map((m) => m.message.en).join('; ')}`,
        })
      : '';
  const firstReminder = reminderTimes({ handoffAt: now, firstTouchDueAt }, settings, 'first_touch')[0];
  const due = formatDeadline(firstTouchDueAt, settings);
  // Without a button press the note says how it happened: 「自動（ワークフロー）」.
  const route = routeInWords(routing.path, settings);
  const how = actor ? route : `${route}${say({ ja: '、', en: ', ' })}${sourceInWords(credit.source === 'card' ? 'automatic' : credit.source, settings)}`;
  // The decision step by step (issue 17): rule → target → rep with load, and who was passed over.
  const pathLine = routing.trace ? say({ ja: `割当の経緯: ${routingPathInWords(routing.trace, rep, directory).ja}`, en: `Routing path: ${routingPathInWords(routing.trace, rep, directory).en}` }) : '';

  builder.plan.tasks.push({
    key: `task:handoff:${contactId}:${handoffKey}`,
    ownerId: rep,
    subject: say({ ja: `【トスアップ】${name} 様に初回接触してください（${due}）`, en: `Hand-off: first touch with ${name} ${due}` }),
    body: [
      say({
        ja: 'インサイドセールスからトスアップされたリードです。期限までに電話・メール等で初回接触し、対応を記録してください。',
        en: 'A lead handed off by Inside Sales. Make the first contact (call, email…) before the deadline and log it.',
      }),
      `BANT: ${say(bant)}`,
      say({ ja: `トスアップ理由: ${reason || '（未記入）'}`, en: `Reason: ${reason || '(empty)'}` }),
      ...(bantNotes ? [say({ ja: `ヒアリングメモ: ${bantNotes}`, en: `Discovery notes: ${bantNotes}` })] : []),
      say({
        ja: `初回接触: ${settings.sla.firstTouchHours}時間以内（${due}）／ステータス更新: ${settings.sla.statusUpdateHours}時間以内（${formatDeadline(statusUpdateDueAt, settings)}）`,
        en: `First touch within ${settings.sla.firstTouchHours} h (${due}); status update within ${settings.sla.statusUpdateHours} h (${formatDeadline(statusUpdateDueAt, settings)}).`,
      }),
      forced,
    ]
      .filter((l) => l !== '')
      .join('\n'),
    dueAt: firstTouchDueAt,
    priority: 'HIGH',
    type: 'CALL',
    ...(firstReminder !== undefined && firstReminder > now ? { reminderAt: firstReminder } : {}),
    associations,
  });

  builder.plan.notes.push({
    key: `note:handoff:${contactId}:${handoffKey}`,
    body: [
      say({ ja: `【トスアップ】営業担当へ引き渡しました（経路: ${how}）`, en: `Hand-off to Sales (route: ${how})` }),
      pathLine,
      `BANT: ${say(bant)}`,
      ...(bantNotes ? [say({ ja: `ヒアリングメモ: ${bantNotes}`, en: `Discovery notes: ${bantNotes}` })] : []),
      say({ ja: `理由: ${reason || '（未記入）'}`, en: `Reason: ${reason || '(empty)'}` }),
      forced,
    ]
      .filter((l) => l !== '')
      .join('\n'),
    timestamp: now,
    ...(actor ? { ownerId: actor } : {}),
    associations,
  });

  const clock: SlaClock = {
    handoffAt: now,
    repOwnerId: rep,
    firstTouchDueAt,
    statusUpdateDueAt,
    firstTouchStatus: 'pending',
    statusUpdateStatus: 'pending',
    remindersSent: [],
    escalated: { firstTouch: false, statusUpdate: false },
    handoffKey,
  };
  builder.plan.slaClock = clock;

  builder.plan.handoffLog.push({
    dedupeKey: `handoff:${contactId}:${handoffKey}`,
    action: 'handoff',
    ...(credit.ownerId ? { actorOwnerId: credit.ownerId } : {}),
    toOwnerId: rep,
    reason,
    routingPath: routing.path,
    details: {
      bant: Object.fromEntries(BANT_ITEMS.map((b) => [b.key, parseHubSpotBool(builder.get(b.property))])),
      score: a.score.total,
      automatic: !actor,
      source: credit.source,
      ...(mqlAtHandoff ? { mqlRule: 'handoff' } : {}),
      forced: Boolean(options.force && options.missing.length),
      missing: options.missing.map((m) => m.code),
      firstTouchDueAt,
      statusUpdateDueAt,
      // The decision in full (issue 17): rule, target, every candidate and why it was skipped.
      ...(routing.trace ? { routing: routing.trace, routingWords: routingPathInWords(routing.trace, rep, directory) } : {}),
    },
    at: now,
  });
  builder.explain(`${rep} にトスアップ（${routing.path}）`, `Handed off to ${rep} (${routing.path})`);
}

/**
 * The IS button (card API). Returns the plan, or every item that blocks the hand-off
 * (bilingual) together with the score-only plan so the card can still refresh the score.
 * With `force`, only hard blockers (already handed off, nobody to route to) stop it.
 */
export function planHandoff(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number, options: HandoffOptions): HandoffResult {
  const a = analyzeContact(snapshot, settings, directory, now);
  const { soft, hard } = handoffBlockers(a, settings, directory, snapshot);
  const until = coolOffUntil(a.signals);
  const coolOff: BlockingItem[] =
    until !== undefined && now < until && !options.force
      ? [{ code: 'cool_off', message: { ja: `差戻し後のクールオフ期間中です（${new Date(until).toISOString().slice(0, 10)} まで）`, en: `In the cool-off period after a rejection (until ${new Date(until).toISOString().slice(0, 10)})` } }]
      : [];
  const blocking = [...hard, ...(options.force ? [] : [...coolOff, ...soft])];
  if (blocking.length > 0) return { ok: false, blocking, plan: a.builder.plan };
  const routing = routeThisHandoff(a, snapshot, settings, directory, now);
  if (!routing) return { ok: false, blocking: hard, plan: a.builder.plan };
  applyHandoff(a, snapshot, settings, directory, now, routing, { ...options, missing: soft });
  attributeDeals(a, snapshot);
  return { ok: true, plan: a.builder.plan, routing };
}
