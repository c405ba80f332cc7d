import type { AdminClient } from './admin-client';

/**
 * What a person sees of one contact in HubSpot after a step: the tossup state on
 * the record, and the tasks and notes associated with it. `describeChanges` turns
 * two readings into the lines each CLI command prints.
 */
export interface ContactView {
  id: string;
  properties: Record<string, string>;
  tasks: { id: string; subject: string; owner: string; status: string; due: string }[];
  notes: { id: string; body: string }[];
  companies: string[];
  deals: string[];
}

interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  associations?: Record<string, unknown>;
}

const idsOf = (record: StoredRecord, type: string) =>
  Object.keys(record.associations ?? {})
    .filter((k) => k.startsWith(`${type}:`))
    .map((k) => k.slice(type.length + 1));

export async function readContactView(client: AdminClient, portalId: number, contactId: string): Promise<ContactView> {
  const record = (await client.get(`/portals/${portalId}/objects/contacts/${contactId}`)) as StoredRecord;
  const read = (type: string, id: string) => client.get(`/portals/${portalId}/objects/${type}/${id}`) as Promise<StoredRecord>;
  const tasks = await Promise.all(idsOf(record, 'tasks').map((id) => read('tasks', id)));
  const notes = await Promise.all(idsOf(record, 'notes').map((id) => read('notes', id)));
  return {
    id: record.id,
    properties: record.properties,
    tasks: tasks
      .filter((t) => !(t as { archived?: boolean }).archived)
      .map((t) => ({ id: t.id, subject: t.properties.hs_task_subject ?? '', owner: t.properties.hubspot_owner_id ?? '', status: t.properties.hs_task_status ?? '', due: when(t.properties.hs_timestamp) })),
    notes: notes.map((n) => ({ id: n.id, body: (n.properties.hs_note_body ?? '').replace(/<span style="display:none">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() })),
    companies: idsOf(record, 'companies'),
    deals: idsOf(record, 'deals'),
  };
}

/** HubSpot datetimes (epoch ms or ISO) in Japan time, as the portal shows them. */
export function when(value: string | undefined): string {
  if (!value) return '';
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

/** The properties a step can move, with how people call them. */
const WATCHED: [string, string][] = [
  ['lifecyclestage', 'lifecycle stage / ライフサイクル'],
  ['tossup_stage', 'tossup stage / 段階'],
  ['tossup_score', 'score / スコア'],
  ['hubspot_owner_id', 'owner / 担当者'],
  ['tossup_bant_count', 'BANT'],
  ['tossup_handoff_to', 'handed off to / 受け手'],
  ['tossup_first_touch_due_at', 'first touch due / 初回接触期限'],
  ['tossup_sla_first_touch', 'SLA first touch / 初回接触SLA'],
  ['tossup_first_touch_hours', 'hours to first touch / 初回接触(h)'],
  ['tossup_sla_status_update', 'SLA status update / ステータス更新SLA'],
  ['tossup_escalated_to', 'escalated to / エスカレーション先'],
  ['tossup_reject_reason', 'reject reason / 差戻し理由'],
  ['hs_lead_status', 'lead status / リードステータス'],
];
const TIMES = new Set(['tossup_first_touch_due_at']);

const OWNERS = new Set(['hubspot_owner_id', 'tossup_handoff_to', 'tossup_escalated_to']);

export function describeChanges(before: ContactView | undefined, after: ContactView, names: ReadonlyMap<string, string> = new Map()): string[] {
  const who = (id: string) => (names.has(id) ? `${names.get(id)} (${id})` : id);
  const lines: string[] = [];
  const b = before?.properties ?? {};
  const a = after.properties;
  for (const [key, label] of WATCHED) {
    if ((b[key] ?? '') === (a[key] ?? '')) continue;
    const show = (v: string | undefined) => (v ? (TIMES.has(key) ? when(v) : OWNERS.has(key) ? who(v) : v) : '—');
    lines.push(`  ${label}: ${show(b[key])} → ${show(a[key])}`);
  }
  if ((b.tossup_score_breakdown ?? '') !== (a.tossup_score_breakdown ?? '') && a.tossup_score_breakdown) {
    lines.push('  score breakdown / スコア内訳:');
    for (const l of a.tossup_score_breakdown.split('\n')) lines.push(`    ${l}`);
  }
  const oldTasks = new Set(before?.tasks.map((t) => `${t.id}:${t.status}`) ?? []);
  for (const t of after.tasks) if (!oldTasks.has(`${t.id}:${t.status}`)) lines.push(`  task ${t.id} / タスク: ${t.subject} (owner ${who(t.owner)}, ${t.status}, due ${t.due})`);
  const oldNotes = new Set(before?.notes.map((n) => n.id) ?? []);
  for (const n of after.notes) if (!oldNotes.has(n.id)) lines.push(`  note ${n.id} / メモ: ${n.body.slice(0, 160)}`);
  if (lines.length === 0) lines.push('  (no change on the contact / 変化なし)');
  return lines;
}

/** Plain aligned columns for people (--json gives the rows instead). */
export function formatTable(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(cell(r[c])))));
  const line = (vals: string[]) => vals.map((v, i) => v + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(v)))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
