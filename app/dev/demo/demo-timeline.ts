/**
 * The demo's per-lead timeline: what happened (the signal), and what HubSpot shows
 * afterwards (score, stages, owner, new tasks and notes, SLA fields). Everything
 * printed is read back from the sandbox portal, so the timeline shows what a HubSpot
 * user would see on the record, not what the app believes it wrote.
 */
import type { E2E } from '../sandbox-harness/sandbox-harness';
import { timeOf } from '../sandbox-harness/sandbox-harness';
import type { StoredObject } from '../sandbox/portal-state';

const TZ = 'Asia/Tokyo';
const WEEKDAY_JA = ['日', '月', '火', '水', '木', '金', '土'];

/** `04/06(月) 10:00` in Japan time: the portal's time zone. */
export function jst(ms: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: TZ, hourCycle: 'h23', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  const wd = WEEKDAY_JA[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '')] ?? '';
  return `${p.month}/${p.day}(${wd}) ${p.hour}:${p.minute}`;
}

interface View {
  props: Record<string, string>;
  taskIds: Set<string>;
  noteIds: Set<string>;
}

const WATCHED_SLA = ['tossup_first_touch_due_at', 'tossup_status_update_due_at', 'tossup_sla_first_touch', 'tossup_sla_status_update', 'tossup_first_touch_hours'] as const;

export interface LeadTimeline {
  readonly contactId: string;
  /** Records a step: the signal (ja / en), then what changed in HubSpot since the previous step. */
  step(signalJa: string, signalEn: string, at?: number): void;
  /** A line without a signal (e.g. an explanation). */
  info(ja: string, en: string): void;
  /** Lines printed so far. */
  lines(): string[];
}

export function createLeadTimeline(h: E2E, contactId: string): LeadTimeline {
  const out: string[] = [];
  const pad = ' '.repeat(16);
  const view = (): View => ({
    props: { ...h.contact(contactId) },
    taskIds: new Set(h.associated(contactId, 'tasks').map((t) => t.id)),
    noteIds: new Set(h.associated(contactId, 'notes').map((n) => n.id)),
  });
  let before: View = { props: {}, taskIds: new Set(), noteIds: new Set() };

  const ownerName = (ownerId: string | undefined): string => {
    if (!ownerId) return '—';
    const portal = h.sandbox.portal();
    const o = portal.owners.find((x) => x.id === ownerId);
    if (!o) return `#${ownerId}`;
    const team = portal.teams.find((t) => t.id === o.teamIds[0])?.name ?? '';
    return `${o.lastName} ${o.firstName}（${team}）`;
  };
  const taskLine = (t: StoredObject) => {
    const p = t.properties;
    const subject = (p.hs_task_subject ?? '').split(' / ')[0] ?? '';
    const due = timeOf(p.hs_timestamp);
    return `${pad}✚ タスク / task [${p.hs_task_priority ?? ''}] ${subject}\n${pad}    担当 / owner: ${ownerName(p.hubspot_owner_id)}  期限 / due: ${due !== undefined ? jst(due) : '—'}`;
  };

  const diff = () => {
    const linesBefore = out.length;
    const now = view();
    const a = before.props;
    const b = now.props;
    if ((a.tossup_score ?? '') !== (b.tossup_score ?? '')) {
      out.push(`${pad}スコア / score: ${a.tossup_score ?? '0'} → ${b.tossup_score ?? '0'}  (行動 / behaviour ${b.tossup_score_behavior ?? '0'}, 属性 / attribute ${b.tossup_score_attribute ?? '0'})`);
    }
    if ((a.tossup_stage ?? '') !== (b.tossup_stage ?? '')) out.push(`${pad}★ tossup_stage: ${a.tossup_stage || '—'} → ${b.tossup_stage}`);
    if ((a.lifecyclestage ?? '') !== (b.lifecyclestage ?? '') && a.lifecyclestage) out.push(`${pad}★ ライフサイクル / lifecyclestage: ${a.lifecyclestage} → ${b.lifecyclestage}`);
    if ((a.hubspot_owner_id ?? '') !== (b.hubspot_owner_id ?? '')) out.push(`${pad}担当者 / contact owner: ${ownerName(a.hubspot_owner_id)} → ${ownerName(b.hubspot_owner_id)}`);
    for (const name of WATCHED_SLA) {
      if ((a[name] ?? '') === (b[name] ?? '')) continue;
      const v = b[name] ?? '';
      const shown = name.endsWith('_at') ? jst(timeOf(v) ?? 0) : v;
      out.push(`${pad}SLA ${name}: ${shown}`);
    }
    for (const t of h.associated(contactId, 'tasks')) if (!before.taskIds.has(t.id)) out.push(taskLine(t));
    for (const n of h.associated(contactId, 'notes')) {
      if (before.noteIds.has(n.id)) continue;
      const first = (n.properties.hs_note_body ?? '').split('\n')[0] ?? '';
      out.push(`${pad}✎ メモ / note: ${first}`);
    }
    if (out.length === linesBefore) out.push(`${pad}（変化なし / no change）`);
    before = now;
  };

  return {
    contactId,
    step(ja, en, at = h.clock.now()) {
      out.push(`${jst(at).padEnd(15)} ${ja} / ${en}`);
      diff();
    },
    info(ja, en) {
      out.push(`${pad}${ja} / ${en}`);
    },
    lines: () => [...out],
  };
}
