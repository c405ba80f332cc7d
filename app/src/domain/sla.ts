/**
 * SLA tracking after a hand-off (docs/product.md §6), pure: given the clock, what the
 * snapshot shows and `now`, decide first touch / status update met or breached,
 * reminders and escalations. Each reminder and each escalation happens once per
 * clock: the clock remembers them, and their task keys are deterministic, so even a
 * replay after a crash between "task created" and "clock saved" creates nothing twice.
 */
import { engagementsIncomplete } from './unavailable-sources';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { addSlaHours, slaHoursBetween } from './business-hours';
import { contactDisplayName, createPlanBuilder, type PlanBuilder } from './plan-builder';
import { routeHandoff } from './routing';
import { routingPathInWords } from './routing-path';
import { activeOwner } from './departments';
import { formatHubSpotNumber, formatHubSpotTime, isBlank } from './hubspot-values';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from './types';
import { formatDeadline, formatForPeople, inPortalLanguage, ownerInWords } from './portal-text';

const HOUR = 3_600_000;
const FIRST_TOUCH_TYPES = new Set(['call', 'email', 'meeting']);

type SlaKind = 'first_touch' | 'status_update';

const KIND_LABEL: Record<SlaKind, { ja: string; en: string }> = {
  first_touch: { ja: '初回接触', en: 'First touch' },
  status_update: { ja: 'ステータス更新', en: 'Status update' },
};

function dueOf(clock: Pick<SlaClock, 'firstTouchDueAt'> & Partial<SlaClock>, kind: SlaKind): number | undefined {
  return kind === 'first_touch' ? clock.firstTouchDueAt : clock.statusUpdateDueAt;
}

const reminderKey = (kind: SlaKind, hours: number) => `${kind}:-${hours}h`;

/** Reminder instants for one deadline, earliest first; reminders that would fall before the hand-off are dropped. */
export function reminderTimes(clock: Pick<SlaClock, 'handoffAt' | 'firstTouchDueAt'> & Partial<SlaClock>, settings: PortalSettings, kind: SlaKind): number[] {
  const due = dueOf(clock, kind);
  if (due === undefined) return [];
  return settings.sla.remindersBeforeHours
    .map((h) => due - h * HOUR)
    .filter((t) => t > clock.handoffAt)
    .sort((a, b) => a - b);
}

function pendingReminders(clock: SlaClock, settings: PortalSettings, kind: SlaKind): { key: string; at: number; hours: number }[] {
  const due = dueOf(clock, kind)!;
  return settings.sla.remindersBeforeHours
    .map((hours) => ({ key: reminderKey(kind, hours), at: due - hours * HOUR, hours }))
    .filter((r) => r.at > clock.handoffAt && !clock.remindersSent.includes(r.key));
}

const statusOf = (clock: SlaClock, kind: SlaKind) => (kind === 'first_touch' ? clock.firstTouchStatus : clock.statusUpdateStatus);

/** When the scheduler must look at this clock again; null when nothing is pending. */
export function nextSlaCheckAt(clock: SlaClock, settings: PortalSettings): number | null {
  let next: number | null = null;
  for (const kind of ['first_touch', 'status_update'] as const) {
    if (statusOf(clock, kind) !== 'pending') continue;
    const candidates = [dueOf(clock, kind)!, ...pendingReminders(clock, settings, kind).map((r) => r.at)];
    for (const c of candidates) if (next === null || c < next) next = c;
  }
  const reassignAt = reassignDueAt(clock, settings);
  if (reassignAt !== undefined && (next === null || reassignAt < next)) next = reassignAt;
  return next;
}

/**
 * The last rung of the ladder (issue 17): when the lead goes to the next available
 * rep, N hours (settings.routing.reassignAfterHours, on the SLA calendar) after the
 * first-touch escalation with still no first touch. Undefined = not (or no longer) due.
 */
export function reassignDueAt(clock: SlaClock, settings: PortalSettings): number | undefined {
  const hours = settings.routing.reassignAfterHours;
  if (hours === null || (clock.escalated as SlaClock['escalated'] | undefined)?.firstTouch !== true || clock.firstTouchAt !== undefined) return undefined;
  if (clock.ladder?.reassignedAt !== undefined || clock.ladder?.reassignSkipped) return undefined;
  return addSlaHours(clock.ladder?.escalatedAt ?? clock.firstTouchDueAt, hours, settings.sla.calendar);
}

/** First call / email / meeting by the rep after the hand-off; or, if the hand-off task is completed, the first activity (a note too) logged by the rep. */
export function findFirstTouch(clock: SlaClock, snapshot: ContactSnapshot): number | undefined {
  // After a reassign the new rep is measured from the moment they got the lead.
  const since = clock.ladder?.reassignedAt ?? clock.handoffAt;
  const acts = (snapshot.activities ?? []).filter((a) => a.ownerId === clock.repOwnerId && a.timestamp > since);
  const taskDone = clock.handoffTaskId !== undefined && (snapshot.activities ?? []).some((a) => a.type === 'task' && a.id === clock.handoffTaskId && a.status === 'COMPLETED');
  let first: number | undefined;
  for (const a of acts) {
    const counts = FIRST_TOUCH_TYPES.has(a.type) || (taskDone && a.type === 'note');
    if (counts && (first === undefined || a.timestamp < first)) first = a.timestamp;
  }
  return first;
}

/** Accept / reject by the rep (stage moved on) or an hs_lead_status change after the hand-off. */
export function findStatusUpdate(clock: SlaClock, snapshot: ContactSnapshot, now: number): number | undefined {
  if (clock.statusUpdateAt !== undefined) return clock.statusUpdateAt;
  let first: number | undefined;
  for (const h of snapshot.contactHistory?.hs_lead_status ?? []) {
    if (h.timestamp > clock.handoffAt && (first === undefined || h.timestamp < first)) first = h.timestamp;
  }
  if (first !== undefined) return first;
  // The stage changed without our accept/reject plan (e.g. edited in HubSpot): we only know it happened by now.
  const stage = snapshot.contact.properties.tossup_stage;
  if (stage === 'accepted' || stage === 'rejected' || stage === 'recycled') return now;
  return undefined;
}

/** Who receives an escalation for this rep: the escalation owner of the rep's team (primary team first), else the rep. */
export function escalationOwner(clock: SlaClock, settings: PortalSettings, directory: PortalDirectory): { ownerId: string; configured: boolean } | undefined {
  const rep = directory.owners.find((o) => o.id === clock.repOwnerId);
  const teams = [...(rep?.teams ?? [])].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary)));
  for (const t of teams) {
    const owner = settings.escalation.ownersByTeam[t.id];
    if (owner && activeOwner(directory, owner)) return { ownerId: owner, configured: true };
  }
  return activeOwner(directory, clock.repOwnerId) ? { ownerId: clock.repOwnerId, configured: false } : undefined;
}

function clockKey(snapshot: ContactSnapshot, clock: SlaClock): string {
  return `${snapshot.contact.id}:${clock.handoffKey ?? clock.handoffAt}`;
}

/** SLA results of the rep a lead was reassigned to are their own log entries. */
const resultKey = (clock: SlaClock, key: string): string => (clock.ladder?.reassignedAt !== undefined ? `${key}:reassigned` : key);

export function evaluateSla(clock: SlaClock, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): Plan {
  const b = createPlanBuilder(snapshot);
  const plan = b.plan;
  // Without every engagement type "no touch yet" is not known: no breach, reminder
  // or escalation on a guess; the clock is looked at again on the next read.
  if (clock.firstTouchStatus === 'pending' && engagementsIncomplete(snapshot)) {
    b.explain('SLA判定を保留: 活動の一部を取得できません', 'SLA check postponed: some engagements could not be read');
    return plan;
  }
  const next: SlaClock = structuredClone(clock);
  const key = clockKey(snapshot, clock);
  const contactId = snapshot.contact.id;
  const name = contactDisplayName(snapshot, settings.portalLanguage);
  const say = (text: { ja: string; en: string }) => inPortalLanguage(settings, text);
  const rep = ownerInWords(directory, clock.repOwnerId, settings);
  const cal = settings.sla.calendar;

  // First touch: recorded whenever it is found, even after a breach (the KPI needs the time).
  if (next.firstTouchAt === undefined) {
    const at = findFirstTouch(clock, snapshot);
    if (at !== undefined) {
      next.firstTouchAt = at;
      b.set('tossup_first_touch_at', formatHubSpotTime(at));
      b.set('tossup_first_touch_hours', formatHubSpotNumber(slaHoursBetween(clock.handoffAt, at, cal)));
      if (next.firstTouchStatus === 'pending') {
        next.firstTouchStatus = at <= clock.firstTouchDueAt ? 'met' : 'breached';
        plan.handoffLog.push({ dedupeKey: `sla:first_touch:${resultKey(clock, key)}`, action: next.firstTouchStatus === 'met' ? 'sla_met' : 'sla_breached', toOwnerId: clock.repOwnerId, details: { kind: 'first_touch', at, dueAt: clock.firstTouchDueAt }, at });
      }
    }
  }
  if (next.statusUpdateStatus === 'pending') {
    const at = findStatusUpdate(clock, snapshot, now);
    if (at !== undefined) {
      next.statusUpdateAt = at;
      next.statusUpdateStatus = at <= clock.statusUpdateDueAt ? 'met' : 'breached';
      plan.handoffLog.push({ dedupeKey: `sla:status_update:${resultKey(clock, key)}`, action: next.statusUpdateStatus === 'met' ? 'sla_met' : 'sla_breached', toOwnerId: clock.repOwnerId, details: { kind: 'status_update', at, dueAt: clock.statusUpdateDueAt }, at });
    }
  }

  for (const kind of ['first_touch', 'status_update'] as const) {
    const due = dueOf(clock, kind)!;
    const label = KIND_LABEL[kind];
    const escalatedFlag = kind === 'first_touch' ? 'firstTouch' : 'statusUpdate';
    if (statusOf(next, kind) === 'pending' && now >= due) {
      // Breach: recorded once, escalated once.
      if (kind === 'first_touch') next.firstTouchStatus = 'breached';
      else next.statusUpdateStatus = 'breached';
      plan.handoffLog.push({ dedupeKey: `sla:${kind}:${resultKey(clock, key)}`, action: 'sla_breached', toOwnerId: clock.repOwnerId, details: { kind, dueAt: due }, at: now });
      b.explain(`${label.ja}SLA超過`, `${label.en} SLA breached`);
    }
    if (statusOf(next, kind) === 'breached' && !next.escalated[escalatedFlag] && next[kind === 'first_touch' ? 'firstTouchAt' : 'statusUpdateAt'] === undefined) {
      next.escalated[escalatedFlag] = true;
      if (kind === 'first_touch') next.ladder = { ...next.ladder, escalatedAt: now };
      const to = escalationOwner(clock, settings, directory);
      if (to) {
        plan.tasks.push({
          key: `task:escalation:${key}:${kind}`,
          ownerId: to.ownerId,
          subject: say({ ja: `【SLA超過】${name} 様の${label.ja}期限（${formatForPeople(due, settings)}）を過ぎています`, en: `SLA breached: ${label.en} for ${name} was ${formatDeadline(due, settings)}` }),
          body: [
            say({
              ja: `担当: ${rep} ／ トスアップ: ${formatForPeople(clock.handoffAt, settings)} ／ 期限: ${formatForPeople(due, settings)}`,
              en: `Rep: ${rep}; handed off ${formatForPeople(clock.handoffAt, settings)}; due ${formatForPeople(due, settings)}.`,
            }),
            to.configured
              ? say({ ja: '担当者に状況を確認し、対応を促してください。', en: 'Check with the rep and get the lead worked.' })
              : say({
                  ja: 'エスカレーション先が未設定のため担当者本人に通知しています。設定画面でエスカレーション先を設定してください。',
                  en: 'No escalation owner is set, so the rep is notified; set one in the settings.',
                }),
          ].join('\n'),
          dueAt: now,
          priority: 'HIGH',
          type: 'TODO',
          associations: { contactId },
        });
      } else {
        b.explain('エスカレーション先も担当者も無効なためタスクを作成できません', 'No active escalation owner or rep: escalation task not created');
      }
      // The first escalation of this hand-off, for 担当者ごとの放置 reports (recorded once).
      if (isBlank(snapshot.contact.properties.tossup_escalated_at)) {
        b.set('tossup_escalated_at', formatHubSpotTime(now));
        b.set('tossup_escalated_to', to?.ownerId ?? '');
      }
      plan.handoffLog.push({ dedupeKey: `escalation:${key}:${kind}`, action: 'escalation', toOwnerId: to?.ownerId, details: { kind, configured: to?.configured ?? false, unassigned: !to }, at: now });
    }
    if (statusOf(next, kind) === 'pending') {
      for (const r of pendingReminders(next, settings, kind)) {
        if (now < r.at) continue;
        next.remindersSent.push(r.key);
        if (!activeOwner(directory, clock.repOwnerId)) continue;
        plan.tasks.push({
          key: `task:reminder:${key}:${r.key}`,
          ownerId: clock.repOwnerId,
          subject: say({ ja: `【リマインド】${name} 様の${label.ja}期限まで残り${r.hours}時間`, en: `Reminder: ${label.en} for ${name} due in ${r.hours} h` }),
          body: say({ ja: `${label.ja}期限: ${formatDeadline(due, settings)}`, en: `${label.en} ${formatDeadline(due, settings)}` }),
          dueAt: due,
          priority: 'HIGH',
          type: 'TODO',
          associations: { contactId },
        });
        plan.handoffLog.push({ dedupeKey: `reminder:${key}:${r.key}`, action: 'reminder', toOwnerId: clock.repOwnerId, details: { kind, hoursBefore: r.hours }, at: now });
      }
    }
  }

  const reassignAt = reassignDueAt(next, settings);
  if (reassignAt !== undefined && now >= reassignAt && snapshot.activities !== undefined && !engagementsIncomplete(snapshot) && snapshot.contact.properties.tossup_stage === 'sql') {
    planReassign(b, next, snapshot, settings, directory, now, key);
  }

  // The first status update, whenever it is known (also after a breach: the KPI needs the time).
  const updatedAt = next.statusUpdateAt ?? (next.statusUpdateStatus === 'breached' ? findStatusUpdate(next, snapshot, now) : undefined);
  if (updatedAt !== undefined && isBlank(snapshot.contact.properties.tossup_status_updated_at)) {
    b.set('tossup_status_updated_at', formatHubSpotTime(updatedAt));
    b.set('tossup_status_update_hours', formatHubSpotNumber(slaHoursBetween(clock.handoffAt, updatedAt, cal)));
  }
  b.set('tossup_sla_first_touch', next.firstTouchStatus);
  b.set('tossup_sla_status_update', next.statusUpdateStatus);
  if (JSON.stringify(next) !== JSON.stringify(clock)) plan.slaClock = next;
  return plan;
}

/**
 * The reassign rung: the lead goes to the next available rep of the same rule's
 * target (the account owner step is skipped, the current rep excluded), with a new
 * hand-off task and the SLA clock restarted for them; the first rep gets a task
 * saying why. Once per hand-off: `ladder.reassignedAt` (or `reassignSkipped` when
 * nobody else can take it) is recorded in the clock, and every key is deterministic.
 */
function planReassign(b: PlanBuilder, next: SlaClock, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number, key: string): void {
  const plan = b.plan;
  const from = next.repOwnerId;
  const decision = routeHandoff(snapshot, settings, directory, now, { exclude: [from], skipAccountOwner: true });
  if (!decision) {
    next.ladder = { ...next.ladder, reassignSkipped: 'nobody_available' };
    b.explain('再割当できません: 他に対応可能な営業担当者がいません', 'Not reassigned: no other Sales owner is available');
    plan.handoffLog.push({ dedupeKey: `reassign:${key}`, action: 'reassign', toOwnerId: from, details: { skipped: 'nobody_available', from }, at: now });
    return;
  }
  const to = decision.ownerId;
  const say = (text: { ja: string; en: string }) => inPortalLanguage(settings, text);
  const name = contactDisplayName(snapshot, settings.portalLanguage);
  const hours = settings.routing.reassignAfterHours ?? 0;
  const firstTouchDueAt = addSlaHours(now, settings.sla.firstTouchHours, settings.sla.calendar);
  const statusUpdateDueAt = addSlaHours(now, settings.sla.statusUpdateHours, settings.sla.calendar);
  const fromName = ownerInWords(directory, from, settings);
  const toName = ownerInWords(directory, to, settings);
  const words = decision.trace ? routingPathInWords(decision.trace, to, directory) : undefined;
  const why = say({
    ja: `初回接触の期限（${formatForPeople(next.firstTouchDueAt, settings)}）を過ぎ、エスカレーション後${hours}時間たっても対応の記録がないため`,
    en: `the first-touch deadline (${formatForPeople(next.firstTouchDueAt, settings)}) passed and nothing was logged ${hours} h after the escalation`,
  });
  const contactId = snapshot.contact.id;
  const associations = {
    contactId,
    ...(snapshot.company ? { companyId: snapshot.company.id } : {}),
    ...(snapshot.openDealId ? { dealId: snapshot.openDealId } : {}),
  };

  plan.tasks.push({
    key: `task:reassign:${key}`,
    ownerId: to,
    subject: say({ ja: `【再割当】${name} 様に初回接触してください（${formatDeadline(firstTouchDueAt, settings)}）`, en: `Reassigned: first touch with ${name} ${formatDeadline(firstTouchDueAt, settings)}` }),
    body: [
      say({ ja: `${fromName}さんから再割当されたリードです（理由: ${why}）。`, en: `Reassigned from ${fromName} because ${why}.` }),
      ...(words ? [say({ ja: `割当の経緯: ${words.ja}`, en: `Routing path: ${words.en}` })] : []),
      say({ ja: `初回接触: ${formatDeadline(firstTouchDueAt, settings)}／ステータス更新: ${formatDeadline(statusUpdateDueAt, settings)}`, en: `First touch ${formatDeadline(firstTouchDueAt, settings)}; status update ${formatDeadline(statusUpdateDueAt, settings)}.` }),
    ].join('\n'),
    dueAt: firstTouchDueAt,
    priority: 'HIGH',
    type: 'CALL',
    associations,
  });
  if (activeOwner(directory, from)) {
    plan.tasks.push({
      key: `task:reassigned-from:${key}`,
      ownerId: from,
      subject: say({ ja: `【再割当のお知らせ】${name} 様は${toName}さんに再割当されました`, en: `${name} was reassigned to ${toName}` }),
      body: say({ ja: `理由: ${why}。以後の対応は${toName}さんが行います。`, en: `Why: ${why}. ${toName} works the lead from now on.` }),
      dueAt: now,
      priority: 'LOW',
      type: 'TODO',
      associations: { contactId },
    });
  }
  plan.notes.push({
    key: `note:reassign:${key}`,
    body: [
      say({ ja: `【再割当】${fromName} → ${toName}（理由: ${why}）`, en: `Reassigned: ${fromName} → ${toName} (why: ${why})` }),
      ...(words ? [say({ ja: `割当の経緯: ${words.ja}`, en: `Routing path: ${words.en}` })] : []),
    ].join('\n'),
    timestamp: now,
    associations,
  });

  b.set('hubspot_owner_id', to);
  b.set('tossup_handoff_to', to);
  b.set('tossup_first_touch_due_at', formatHubSpotTime(firstTouchDueAt));
  b.set('tossup_status_update_due_at', formatHubSpotTime(statusUpdateDueAt));
  // The clock restarts for the new rep; the breach stays on record in tossup_escalated_at and the log.
  next.repOwnerId = to;
  next.firstTouchDueAt = firstTouchDueAt;
  next.statusUpdateDueAt = statusUpdateDueAt;
  next.firstTouchStatus = 'pending';
  next.statusUpdateStatus = next.statusUpdateAt === undefined ? 'pending' : next.statusUpdateStatus;
  delete next.handoffTaskId;
  next.ladder = { ...next.ladder, reassignedAt: now, reassignedFrom: from, reassignedTo: to };
  if (decision.claim) plan.routingClaim = { ...decision.claim, handoffKey: next.handoffKey ?? `t${next.handoffAt}` };
  plan.handoffLog.push({
    dedupeKey: `reassign:${key}`,
    action: 'reassign',
    toOwnerId: to,
    routingPath: decision.path,
    reason: why,
    details: { from, to, afterHours: hours, firstTouchDueAt, statusUpdateDueAt, ...(decision.trace ? { routing: decision.trace, routingWords: words } : {}) },
    at: now,
  });
  b.explain(`${fromName} から ${toName} へ再割当`, `Reassigned from ${fromName} to ${toName}`);
}
