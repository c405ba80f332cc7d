/**
 * Sales' answer to a hand-off (docs/product.md §7). Accept → stage `accepted`. Reject with
 * a reason code → stage `rejected`, `tossup_reject_reason`, a cool-off during which the
 * lead cannot become MQL again; the next evaluation recycles it (`recycled`) back to
 * IS or to nurture. Both count as the SLA status update.
 */
import { DEFAULT_REJECT_REASONS } from '@tossup/shared/reject-reasons';
import { reasonCodeToWrite } from './reject-reason-options';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { analyzeContact, recordDecision, setStage, type ContactAnalysis } from './analyze';
import { addSlaHours } from './business-hours';
import type { BlockingItem } from './gate';
import { formatHubSpotTime } from './hubspot-values';
import { routeInsideSales } from './routing';
import { evaluateSla } from './sla';
import { contactDisplayName, mergeInto } from './plan-builder';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from './types';
import { inPortalLanguage } from './portal-text';

const DAY = 86_400_000;

export type AnswerResult = { ok: true; plan: Plan } | { ok: false; blocking: BlockingItem[] };

function notHandedOff(): BlockingItem {
  return { code: 'not_handed_off', message: { ja: 'トスアップされていないリードです', en: 'This lead has not been handed off' } };
}

/** Marks the status update on the clock (met, or breached if it came after the deadline) and folds SLA effects into the plan. */
function recordStatusUpdate(a: ContactAnalysis, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): SlaClock | undefined {
  const clock = snapshot.slaClock;
  if (!clock) return undefined;
  const withUpdate: SlaClock = clock.statusUpdateAt === undefined ? { ...clock, statusUpdateAt: now } : clock;
  const slaPlan = evaluateSla(withUpdate, snapshot, settings, directory, now);
  mergeInto(a.builder, slaPlan);
  const next = slaPlan.slaClock ?? withUpdate;
  a.builder.plan.slaClock = next;
  return next;
}

export function planAccept(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number, options: { actorOwnerId: string }): AnswerResult {
  const a = analyzeContact(snapshot, settings, directory, now);
  const stage = a.builder.get('tossup_stage');
  if (stage === 'accepted') return { ok: true, plan: a.builder.plan }; // pressing twice changes nothing
  if (stage !== 'sql') return { ok: false, blocking: [notHandedOff()] };
  setStage(a, 'accepted');
  a.builder.set('tossup_accepted_at', formatHubSpotTime(now));
  recordStatusUpdate(a, snapshot, settings, directory, now);
  a.builder.plan.handoffLog.push({
    dedupeKey: `accept:${snapshot.contact.id}:c${a.cycle}`,
    action: 'accept',
    actorOwnerId: options.actorOwnerId,
    details: {},
    at: now,
  });
  a.builder.explain('営業が受け入れました', 'Accepted by Sales');
  return { ok: true, plan: a.builder.plan };
}

export function planReject(
  snapshot: ContactSnapshot,
  settings: PortalSettings,
  directory: PortalDirectory,
  now: number,
  options: {
    actorOwnerId: string;
    reasonCode: string;
    reasonText?: string;
    /**
     * Codes that are options of `tossup_reject_reason_code` in HubSpot (the portal's
     * last options sync, engine/sync-reject-reasons.ts); default: the default reasons,
     * the options the property is created with.
     */
    acceptedReasonCodes?: readonly string[];
  },
): AnswerResult {
  const a = analyzeContact(snapshot, settings, directory, now);
  const stage = a.builder.get('tossup_stage');
  if (stage !== 'sql' && stage !== 'accepted') return { ok: false, blocking: [notHandedOff()] };
  const reason = settings.recycle.reasons.find((r) => r.code === options.reasonCode);
  if (!reason) {
    return {
      ok: false,
      blocking: [{ code: 'unknown_reason', message: { ja: `差戻し理由コード「${options.reasonCode}」は設定にありません`, en: `Unknown reject reason code "${options.reasonCode}"` } }],
    };
  }
  const text = options.reasonText?.trim();
  const reasonValue = `${inPortalLanguage(settings, reason)}${text ? `: ${text}` : ''}`;
  const coolOffUntil = now + settings.recycle.coolOffDays * DAY;
  setStage(a, 'rejected');
  a.builder.set('tossup_reject_reason', reasonValue);
  // HubSpot refuses a value that is not an option: a code the options sync has not made one yet is grouped as `other`.
  a.builder.set('tossup_reject_reason_code', reasonCodeToWrite(reason.code, options.acceptedReasonCodes ?? DEFAULT_REJECT_REASONS.map((r) => r.code)));
  a.builder.set('tossup_rejected_at', formatHubSpotTime(now));
  recordStatusUpdate(a, snapshot, settings, directory, now);
  // The hand-off is over: no more reminders or escalations for it.
  a.builder.plan.slaClock = null;
  recordDecision(a, { signalKey: `rejected:c${a.cycle}`, kind: 'rejected', occurredAt: now, details: { reasonCode: reason.code, coolOffUntil, by: options.actorOwnerId } });
  a.builder.plan.handoffLog.push({
    dedupeKey: `reject:${snapshot.contact.id}:c${a.cycle}`,
    action: 'reject',
    actorOwnerId: options.actorOwnerId,
    reason: reasonValue,
    details: { reasonCode: reason.code, coolOffUntil },
    at: now,
  });
  a.builder.explain(`営業が差し戻しました（${reason.ja}）`, `Rejected by Sales (${reason.en})`);
  return { ok: true, plan: a.builder.plan };
}

/**
 * A rejected lead goes back: to IS (the IS rep who handed it off if still active,
 * else the contact owner / IS round-robin, with a follow-up task) or to nurture
 * (stage only; Marketing's lists pick it up by tossup_stage = recycled).
 */
export function applyRecycle(a: ContactAnalysis, snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): void {
  const rejectedCycle = a.cycle - 1; // the rejection already opened the next cycle
  const contactId = snapshot.contact.id;
  setStage(a, 'recycled');
  let routingPath: string | undefined;
  let toOwnerId: string | undefined;
  if (settings.recycle.destination === 'inside_sales') {
    const routing = routeInsideSales(snapshot, settings, directory, a.builder.get('tossup_handoff_by') ?? undefined);
    if (routing) {
      routingPath = routing.path;
      toOwnerId = routing.ownerId;
      a.builder.set('hubspot_owner_id', routing.ownerId);
      if (routing.roundRobin) a.builder.plan.roundRobinAssignment = routing.roundRobin;
      const reason = a.builder.get('tossup_reject_reason') ?? '';
      a.builder.plan.tasks.push({
        key: `task:recycle:${contactId}:c${rejectedCycle}`,
        ownerId: routing.ownerId,
        subject: inPortalLanguage(settings, { ja: `【差戻し】${contactDisplayName(snapshot, settings.portalLanguage)} 様が営業から戻りました`, en: `Returned by Sales: ${contactDisplayName(snapshot, settings.portalLanguage)}` }),
        body: inPortalLanguage(settings, {
          ja: `差戻し理由: ${reason}\nクールオフ: ${settings.recycle.coolOffDays}日（この間はMQLになりません）`,
          en: `Reason: ${reason}\nCool-off: ${settings.recycle.coolOffDays} days (cannot become MQL meanwhile).`,
        }),
        dueAt: addSlaHours(now, settings.sla.mqlFollowUpHours, settings.sla.calendar),
        priority: 'MEDIUM',
        type: 'TODO',
        associations: { contactId },
      });
    }
  }
  a.builder.plan.handoffLog.push({
    dedupeKey: `recycle:${contactId}:c${rejectedCycle}`,
    action: 'recycle',
    ...(toOwnerId ? { toOwnerId } : {}),
    ...(routingPath ? { routingPath } : {}),
    details: { destination: settings.recycle.destination },
    at: now,
  });
  a.builder.explain(`リサイクル（${settings.recycle.destination === 'inside_sales' ? 'ISへ戻す' : 'ナーチャリング'}）`, `Recycled (${settings.recycle.destination})`);
}
