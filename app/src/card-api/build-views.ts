/**
 * Turns engine answers and CRM state into the card DTOs (card-dto.ts). No lead
 * rule is decided here: scores, MQL, the gate and routing come from the engine;
 * SLA deadlines and statuses were computed by the engine and stored on the contact,
 * and this module only compares them with `now` for the countdown.
 */
import {
  BANT_ITEMS,
  type BantItemView,
  type CardRole,
  type DepartmentCode,
  type EscalationView,
  type HandoffSummaryView,
  type HandoffView,
  type MissingItem,
  type OverlapWarning,
  type PersonRef,
  type SlaClockView,
  type SlaStatusCode,
  type SlaView,
  type TimelineItemView,
  type TimelineKind,
  type TossupStageCode,
  type ViewerPermissions,
  type ViewerView,
} from '@tossup/shared/card-dto';
import { parseBantNotes } from '@tossup/shared/bant-notes';
import type { Bilingual } from '@tossup/shared/i18n';
import { FACT_LABELS } from '@tossup/shared/rule-labels';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { tossupStageOf } from '../domain/tossup-stage';
import { findDuplicateOutreach, type OutreachTouch } from '../domain/duplicate-outreach';
import type { ContactSnapshot, Department, Owner, PortalDirectory, Properties } from '../domain/types';
import type { CardEngine, GateMissingItem, HandoffAssessment, HandoffLogRow, PortalUser, TouchRecord } from './card-api-deps';

/** Stages in which the lead sits with Sales: a second toss-up makes no sense. */
const HANDED_OFF: readonly TossupStageCode[] = ['sql', 'accepted'];

/** Card pages stay far below hubspot.fetch's 1 MB response cap however long a subject is. */
export const MAX_TITLE_CHARS = 200;

/** HubSpot returns datetimes as ISO strings and accepts epoch ms; read both. */
export function timeOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}


export function ownerName(owner: Owner | undefined): string | null {
  if (!owner) return null;
  const name = [owner.lastName, owner.firstName].filter(Boolean).join(' ').trim();
  return name || owner.email || null;
}

export function personRef(ownerId: string | null | undefined, directory: PortalDirectory): PersonRef | null {
  if (!ownerId) return null;
  const owner = directory.owners.find((o) => o.id === ownerId);
  return { ownerId, name: ownerName(owner) ?? `#${ownerId}` };
}

export function bantOf(props: Properties): BantItemView[] {
  const { notes } = parseBantNotes(props.tossup_bant_notes);
  return BANT_ITEMS.map((item) => ({ item, checked: props[`tossup_bant_${item}`] === 'true', note: notes[item] }));
}

export function contactName(props: Properties): string {
  const name = [props.lastname, props.firstname].filter(Boolean).join(' ').trim();
  return name || props.email || '';
}

function slaClock(status: string | null | undefined, dueAt: number | null, at: number | null, now: number): SlaClockView {
  const s: SlaStatusCode = status === 'met' || status === 'breached' ? status : 'pending';
  return { status: s, dueAt, remainingMs: dueAt === null ? null : dueAt - now, at };
}

/** null until the engine started the clocks at hand-off. */
export function describeSla(snapshot: ContactSnapshot, now: number): SlaView | null {
  const p = snapshot.contact.properties;
  const firstDue = timeOf(p.tossup_first_touch_due_at) ?? snapshot.slaClock?.firstTouchDueAt ?? null;
  const updateDue = timeOf(p.tossup_status_update_due_at) ?? snapshot.slaClock?.statusUpdateDueAt ?? null;
  if (firstDue === null && updateDue === null && !p.tossup_sla_first_touch) return null;
  const firstTouch = slaClock(p.tossup_sla_first_touch ?? snapshot.slaClock?.firstTouchStatus, firstDue, timeOf(p.tossup_first_touch_at), now);
  const statusUpdate = slaClock(p.tossup_sla_status_update ?? snapshot.slaClock?.statusUpdateStatus, updateDue, null, now);
  return { firstTouch, statusUpdate, breached: firstTouch.status === 'breached' || statusUpdate.status === 'breached' };
}

export function buildSummary(snapshot: ContactSnapshot, directory: PortalDirectory): HandoffSummaryView | null {
  const p = snapshot.contact.properties;
  const at = timeOf(p.tossup_sql_at);
  const stage = tossupStageOf(p);
  if (at === null && !HANDED_OFF.includes(stage) && stage !== 'rejected') return null;
  return {
    stage,
    at,
    by: personRef(p.tossup_handoff_by, directory),
    to: personRef(p.tossup_handoff_to, directory),
    reason: p.tossup_handoff_reason ?? '',
    bant: bantOf(p),
    rejectReason: p.tossup_reject_reason || null,
  };
}

/** The rep who may accept or reject: the hand-off target, else the contact owner. */
export function assignedRep(props: Properties): string | null {
  return props.tossup_handoff_to || props.hubspot_owner_id || null;
}

export function departmentsOf(user: PortalUser, settings: PortalSettings, engine: CardEngine): DepartmentCode[] {
  const out = new Set<DepartmentCode>();
  for (const team of user.teams) {
    const d = engine.departmentOfTeam(team, settings);
    if (d) out.add(d);
  }
  return [...out];
}

export function viewerView(user: PortalUser, departments: DepartmentCode[]): ViewerView {
  return { userId: user.userId, ownerId: user.ownerId, departments, superAdmin: user.superAdmin };
}

export function permissionsFor(user: PortalUser, departments: DepartmentCode[], props: Properties | null): ViewerPermissions {
  const isAction = user.superAdmin || departments.includes('inside_sales');
  const rep = props ? assignedRep(props) : null;
  return {
    canEditBant: isAction,
    canTossUp: isAction,
    canRespond: Boolean(user.ownerId && rep && user.ownerId === rep),
    canEditSettings: user.superAdmin,
  };
}

/**
 * Which sidebar the viewer gets (card-dto.ts CardRole), from the viewer's owner
 * record and departments: the rep the lead was handed to gets the rep view; before
 * the hand-off (and after a rejection) Inside Sales — and a super admin who belongs to
 * no department, who may act for IS — the IS view; everyone else — a manager,
 * Marketing, another rep, IS once Sales has the lead — the read-only summary.
 */
export function roleOf(user: PortalUser, departments: DepartmentCode[], props: Properties): CardRole {
  const stage = tossupStageOf(props);
  const withSales = HANDED_OFF.includes(stage) || stage === 'rejected';
  if (withSales && user.ownerId && user.ownerId === assignedRep(props)) return 'rep';
  // With Sales, IS has nothing left to do on the lead (a rejected lead comes back to IS).
  if (HANDED_OFF.includes(stage)) return 'viewer';
  if (departments.includes('inside_sales') || (user.superAdmin && departments.length === 0)) return 'inside_sales';
  return 'viewer';
}

/** The first escalation of the current hand-off, as the engine recorded it on the contact. */
export function escalationOf(props: Properties, directory: PortalDirectory): EscalationView | null {
  const at = timeOf(props.tossup_escalated_at);
  return at === null ? null : { at, to: personRef(props.tossup_escalated_to, directory) };
}

/** Engine codes → bilingual names. Known fact codes use the shared labels; counts say how far off they are. */
export function labelMissing(items: GateMissingItem[]): MissingItem[] {
  return items.map(({ label, ...item }) => {
    const { ja, en } = label ?? defaultLabel(item);
    return { ...item, label_ja: ja, label_en: en };
  });
}

function defaultLabel(item: GateMissingItem): Bilingual {
  const known = (FACT_LABELS as Record<string, Bilingual | undefined>)[item.code];
  const base = known ?? { ja: item.code, en: item.code };
  const have = item.params?.have;
  const need = item.params?.need;
  const suffix = have !== undefined && need !== undefined ? { ja: `（${have} / ${need}以上）`, en: ` (${have} of at least ${need})` } : { ja: '', en: '' };
  return { ja: `${base.ja}${suffix.ja}`, en: `${base.en}${suffix.en}` };
}

export function buildHandoffView(input: {
  snapshot: ContactSnapshot;
  assessment: HandoffAssessment;
  settings: PortalSettings;
  directory: PortalDirectory;
  user: PortalUser;
  departments: DepartmentCode[];
  now: number;
}): HandoffView {
  const { snapshot, assessment, settings, directory, user, departments, now } = input;
  const p = snapshot.contact.properties;
  const stage = tossupStageOf(p);
  const bant = bantOf(p);
  return {
    contact: { id: snapshot.contact.id, name: contactName(p), stage, lifecycleStage: p.lifecyclestage ?? null },
    score: assessment.score,
    mql: { ...assessment.mql, firedBy: assessment.mql.firedBy.map((l) => ({ label_ja: l.ja, label_en: l.en })) },
    bant,
    bantCount: bant.filter((b) => b.checked).length,
    reason: p.tossup_handoff_reason ?? '',
    gate: { passed: assessment.gate.passed, missing: labelMissing(assessment.gate.missing) },
    handedOff: HANDED_OFF.includes(stage),
    summary: buildSummary(snapshot, directory),
    sla: describeSla(snapshot, now),
    permissions: permissionsFor(user, departments, p),
    viewer: viewerView(user, departments),
    role: roleOf(user, departments, p),
    reactions: assessment.reactions,
    followUpDueAt: assessment.followUpDueAt,
    escalation: escalationOf(p, directory),
    rejectReasons: settings.recycle.reasons.map((r) => ({ code: r.code, label_ja: r.ja, label_en: r.en })),
    now,
  };
}

// ---------------------------------------------------------------------------
// Timeline

const MARKETING_KINDS: ReadonlySet<TimelineKind> = new Set(['email_open', 'form_submission', 'event']);
/** Touches in which someone from a department reached the lead (notes and tasks are internal). */
const CONTACT_KINDS: ReadonlySet<TimelineKind> = new Set(['email_open', 'event', 'call', 'email', 'meeting']);
const LOG_KINDS: ReadonlySet<string> = new Set(['mql', 'handoff', 'accept', 'reject', 'recycle', 'sla_met', 'sla_breached', 'escalation', 'reminder']);

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_TITLE_CHARS ? `${t.slice(0, MAX_TITLE_CHARS - 1)}…` : t;
}

function ownerDepartment(ownerId: string | null, directory: PortalDirectory, settings: PortalSettings, engine: CardEngine): Department | null {
  if (!ownerId) return null;
  const owner = directory.owners.find((o) => o.id === ownerId);
  if (!owner) return null;
  // The primary team speaks for the person; other teams only when it maps to nothing.
  const teams = [...owner.teams].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary)));
  for (const team of teams) {
    const d = engine.departmentOfTeam(team, settings);
    if (d) return d;
  }
  return null;
}

export function timelineItems(input: {
  touches: TouchRecord[];
  log: HandoffLogRow[];
  directory: PortalDirectory;
  settings: PortalSettings;
  engine: CardEngine;
  /** On a deal: the name of each contact, so every row says whom it is about. */
  contactNames?: ReadonlyMap<string, string>;
}): TimelineItemView[] {
  const { touches, log, directory, settings, engine, contactNames } = input;
  const contactOf = (id: string | undefined) => {
    if (!contactNames || !id) return {};
    return { contact: { id, name: contactNames.get(id) || `#${id}` } };
  };
  const items: TimelineItemView[] = touches.map((t) => ({
    id: `${t.kind}:${t.id}`,
    kind: t.kind,
    department: MARKETING_KINDS.has(t.kind) ? 'marketing' : (ownerDepartment(t.ownerId, directory, settings, engine) ?? 'unknown'),
    actor: personRef(t.ownerId, directory),
    at: t.at,
    title: shorten(t.title),
    ...(t.kind === 'task' ? { dueAt: t.dueAt ?? null } : {}),
    ...contactOf(t.contactId),
  }));
  for (const row of log) {
    if (!LOG_KINDS.has(row.action)) continue;
    const to = personRef(row.toOwnerId, directory);
    const sla = SLA_OF_KEY.exec(row.dedupeKey)?.[1] as TimelineItemView['sla'] | undefined;
    items.push({
      id: `log:${row.dedupeKey}`,
      kind: row.action as TimelineKind,
      // The app's own record: one label (「tossup」) whoever pressed the button; the person column says who.
      department: 'system',
      actor: personRef(row.actorOwnerId, directory),
      at: row.at,
      title: shorten([to ? `→ ${to.name}` : '', row.reason ?? ''].filter(Boolean).join(' ')),
      ...(sla ? { sla } : {}),
      ...contactOf(row.contactId),
    });
  }
  // Newest first; ties broken by id so pages are stable between requests.
  return items.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** SLA rows' dedupe keys name the clock (domain/sla.ts: `sla:first_touch:…`, `sla:status_update:…`). */
const SLA_OF_KEY = /^sla:(first_touch|status_update):/;

/**
 * Repeated marketing e-mail opens in a row (newest first, nothing else between them,
 * same contact) become one row: 「メール開封 ×7（最終 12/2）」. Applied after the
 * department filter and before paging, so a page never splits a group.
 */
export function groupEmailOpens(items: readonly TimelineItemView[]): TimelineItemView[] {
  const out: TimelineItemView[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (item.kind === 'email_open' && last?.kind === 'email_open' && last.contact?.id === item.contact?.id) {
      const count = (last.count ?? 1) + 1;
      out[out.length - 1] = { ...last, count, firstAt: item.at, title: last.title === item.title ? last.title : '' };
    } else {
      out.push(item);
    }
  }
  return out;
}

/**
 * The timeline's duplicate-outreach warnings: the rule is the core's
 * (app/src/domain/duplicate-outreach.ts); this maps timeline rows and hand-off log
 * rows onto it.
 */
export function findOverlaps(items: TimelineItemView[], windowHours: number, log: readonly HandoffLogRow[] = []): OverlapWarning[] {
  const touches: OutreachTouch[] = items
    .filter((i) => CONTACT_KINDS.has(i.kind) && (i.department === 'marketing' || i.department === 'inside_sales' || i.department === 'sales'))
    .map((i) => ({ department: i.department as Department, ownerId: i.actor?.ownerId ?? null, at: i.at }));
  const handoffs = log.filter((r) => r.action === 'handoff').map((r) => ({ at: r.at, repOwnerId: r.toOwnerId ?? null }));
  return findDuplicateOutreach(touches, handoffs, windowHours).map((d) => ({ ...d, windowHours }));
}
