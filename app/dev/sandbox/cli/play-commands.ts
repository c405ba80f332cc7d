import { randomUUID } from 'node:crypto';
import { BANT_ITEMS } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { AdminClient } from './admin-client';
import { describeChanges, formatTable, readContactView, when, type ContactView } from './contact-view';

/**
 * The CLI commands of a person playing the story (`npm run sandbox -- --help`): who
 * is in the portal, which contacts there are, one contact in full, and the card
 * buttons (BANT, toss up, accept, reject) pressed through the real card API.
 * Every step waits until the app has processed it, then says what changed.
 */
export interface PortalUser {
  userId: number;
  ownerId: string;
  name: string;
  email: string;
  team: string;
  role: string;
  superAdmin: boolean;
}

export interface StepOutcome {
  result: unknown;
  contactId?: string;
  changes: string[];
  contact?: ContactView;
}

export function createPlay(client: AdminClient, portalId: number) {
  let users: PortalUser[] | undefined;
  const listUsers = async () => (users ??= (await client.get(`/portals/${portalId}/users`)) as PortalUser[]);
  const ownerNames = async () => new Map((await listUsers()).map((u) => [u.ownerId, u.name]));
  const userOf = async (who: string | undefined, fallbackOwnerId: string | undefined, role: string): Promise<PortalUser> => {
    const all = await listUsers();
    const key = who ?? fallbackOwnerId;
    const u = key === undefined ? undefined : all.find((x) => String(x.userId) === key || x.ownerId === key || x.email === key);
    if (!u) throw new Error(`who is the ${role}? pass --as <userId|ownerId|email> (list them with \`npm run sandbox -- users\`)`);
    return u;
  };

  /** Runs one action, waits for the app (sandbox mode) and reports the contact's changes. */
  const step = async (contactId: string | undefined, action: () => Promise<unknown>): Promise<StepOutcome> => {
    const before = contactId ? await readContactView(client, portalId, contactId) : undefined;
    const result = await action();
    const id = contactId ?? (result as { contactId?: string } | undefined)?.contactId;
    if (await client.appConnected()) await client.post('/app/settle');
    if (!id) return { result, changes: [] };
    const after = await readContactView(client, portalId, id);
    return { result, contactId: id, changes: describeChanges(before, after, await ownerNames()), contact: after };
  };

  const press = async (path: string, method: 'POST' | 'PUT', user: PortalUser, body: Record<string, unknown>) => {
    const answer = await client.card({ path, method, userId: user.userId, body: { idempotencyKey: `cli-${randomUUID()}`, ...body } });
    const refusal = (answer.body as { ok?: boolean; error?: { code?: string; message?: unknown } } | undefined)?.error;
    if (answer.appStatus !== 200 || refusal) {
      throw new Error(`the card refused (HTTP ${answer.appStatus}${refusal?.code ? `, ${refusal.code}` : ''}): ${JSON.stringify(refusal?.message ?? answer.body)}`);
    }
    return { as: `${user.name} (user ${user.userId})` };
  };
  /**
   * The settings page as a super admin (`--as`, default the portal's first super admin):
   * read the published settings, change them, publish with the version read (the page's
   * optimistic lock), exactly as the page's 公開 button does.
   */
  const editSettings = async <R>(who: string | undefined, change: (settings: PortalSettings, teams: { id: string; name: string }[]) => R): Promise<R & { admin: PortalUser }> => {
    const admin = await userOf(who, (await listUsers()).find((u) => u.superAdmin)?.ownerId, 'super admin');
    const current = await client.card({ path: '/api/v1/settings', method: 'GET', userId: admin.userId });
    const view = (current.body as { data?: { settings: PortalSettings; version: number; teams?: { id: string; name: string }[] } }).data;
    if (!view) throw new Error(`cannot read the settings: ${JSON.stringify(current.body)}`);
    const result = change(view.settings, view.teams ?? []);
    await press('/api/v1/settings', 'PUT', admin, { settings: view.settings, expectedVersion: view.version });
    return { ...result, admin };
  };
  const contactOwner = async (contactId: string, key: string) => (await readContactView(client, portalId, contactId)).properties[key];

  return {
    listUsers,
    async contacts(filter: { search?: string; stage?: string; owner?: string; page: number; perPage: number }) {
      const all = (await client.get(`/portals/${portalId}/objects/contacts?limit=1000000`)) as { id: string; properties: Record<string, string> }[];
      const q = filter.search?.toLowerCase();
      const matching = all.filter((c) => {
        const p = c.properties;
        if (q && ![p.firstname, p.lastname, p.email, p.company, p.jobtitle, `${p.lastname ?? ''}${p.firstname ?? ''}`].some((v) => v?.toLowerCase().includes(q))) return false;
        if (filter.stage && p.tossup_stage !== filter.stage && p.lifecyclestage !== filter.stage) return false;
        if (filter.owner && p.hubspot_owner_id !== filter.owner) return false;
        return true;
      });
      const rows = matching.slice((filter.page - 1) * filter.perPage, filter.page * filter.perPage).map((c) => ({
        id: c.id,
        name: `${c.properties.lastname ?? ''} ${c.properties.firstname ?? ''}`.trim(),
        email: c.properties.email ?? '',
        jobtitle: c.properties.jobtitle ?? '',
        lifecycle: c.properties.lifecyclestage ?? '',
        stage: c.properties.tossup_stage ?? '',
        score: c.properties.tossup_score ?? '',
        owner: c.properties.hubspot_owner_id ?? '',
      }));
      return { total: matching.length, page: filter.page, pages: Math.max(1, Math.ceil(matching.length / filter.perPage)), rows };
    },
    show: (contactId: string) => readContactView(client, portalId, contactId),
    step,
    async bant(contactId: string, who: string | undefined, input: { set: Partial<Record<(typeof BANT_ITEMS)[number], boolean>>; notes: Partial<Record<(typeof BANT_ITEMS)[number], string>>; reason?: string }) {
      const view = await readContactView(client, portalId, contactId);
      const user = await userOf(who, view.properties.hubspot_owner_id, 'inside-sales rep (the contact owner by default)');
      const bant = Object.fromEntries(BANT_ITEMS.map((k) => [k, input.set[k] ?? view.properties[`tossup_bant_${k}`] === 'true']));
      const notes = Object.fromEntries(BANT_ITEMS.map((k) => [k, input.notes[k] ?? '']));
      return step(contactId, () => press(`/api/v1/contacts/${contactId}/bant`, 'PUT', user, { bant, notes, reason: input.reason ?? view.properties.tossup_handoff_reason ?? '' }));
    },
    /** The settings page as a super admin: who receives a team's SLA escalations. */
    async escalation(team: string, to: string, who: string | undefined) {
      const target = await userOf(to, undefined, 'escalation owner');
      const { admin, teamId } = await editSettings(who, (settings, teams) => {
        const id = teams.find((t) => t.id === team || t.name === team)?.id ?? team;
        settings.escalation.ownersByTeam[id] = target.ownerId;
        return { teamId: id };
      });
      return `settings saved by ${admin.name} / 設定保存: escalations of team ${teamId} go to ${target.name} (owner ${target.ownerId}) / エスカレーション先`;
    },
    editSettings,
    userOf,
    /** A card call as `user` that must succeed (the card API's refusal is thrown with its message). */
    press,
    /** A card GET as `user`: the `data` of the app's answer. */
    async read<T>(path: string, user: PortalUser): Promise<T> {
      const answer = await client.card({ path, method: 'GET', userId: user.userId });
      const body = answer.body as { ok?: boolean; data?: T; error?: unknown };
      if (answer.appStatus !== 200 || !body.ok) throw new Error(`the card refused (HTTP ${answer.appStatus}): ${JSON.stringify(body.error ?? body)}`);
      return body.data as T;
    },
    /** `advance`: every contact with a running SLA clock, read before and after the move. */
    async advance(ms: number) {
      const all = (await client.get(`/portals/${portalId}/objects/contacts?limit=1000000`)) as { id: string; properties: Record<string, string> }[];
      const running = all.filter((c) => c.properties.tossup_sla_first_touch === 'pending' || c.properties.tossup_sla_status_update === 'pending').map((c) => c.id);
      const before = await Promise.all(running.map((id) => readContactView(client, portalId, id)));
      const moved = (await client.post('/clock/advance', { ms })) as { now: number; app?: { slaPlans?: number } };
      const changed: { contactId: string; changes: string[] }[] = [];
      for (const b of before) {
        const after = await readContactView(client, portalId, b.id);
        const changes = describeChanges(b, after, await ownerNames());
        if (JSON.stringify(after) !== JSON.stringify(b)) changed.push({ contactId: b.id, changes });
      }
      return { now: moved.now, slaPlans: moved.app?.slaPlans, appConnected: moved.app !== undefined, changed };
    },
    async tossUp(contactId: string, who: string | undefined) {
      const user = await userOf(who, await contactOwner(contactId, 'hubspot_owner_id'), 'inside-sales rep (the contact owner by default)');
      return step(contactId, () => press(`/api/v1/contacts/${contactId}/handoff`, 'POST', user, {}));
    },
    async accept(contactId: string, who: string | undefined) {
      const user = await userOf(who, await contactOwner(contactId, 'tossup_handoff_to'), 'sales rep (the one handed the lead by default)');
      return step(contactId, () => press(`/api/v1/contacts/${contactId}/accept`, 'POST', user, {}));
    },
    async reject(contactId: string, who: string | undefined, reasonCode: string, reason: string) {
      // The card API checks the code against the portal's own reasons (settings recycle.reasons) and says so.
      const user = await userOf(who, await contactOwner(contactId, 'tossup_handoff_to'), 'sales rep (the one handed the lead by default)');
      return step(contactId, () => press(`/api/v1/contacts/${contactId}/reject`, 'POST', user, { reasonCode, reason }));
    },
  };
}

export type Play = ReturnType<typeof createPlay>;

export function usersTable(users: PortalUser[]): string {
  return formatTable(
    users.map((u) => ({ userId: u.userId, ownerId: u.ownerId, name: u.name, 'team / department': u.team, role: u.role + (u.superAdmin ? ' (super admin)' : ''), email: u.email })),
    ['userId', 'ownerId', 'name', 'team / department', 'role', 'email'],
  );
}

export function contactText(view: ContactView): string {
  const p = view.properties;
  const lines = [
    `contact ${view.id}: ${p.lastname ?? ''} ${p.firstname ?? ''} <${p.email ?? ''}> ${p.jobtitle ?? ''}`,
    `  companies: ${view.companies.join(', ') || '—'}   deals: ${view.deals.join(', ') || '—'}   owner: ${p.hubspot_owner_id ?? '—'}   lead status: ${p.hs_lead_status ?? '—'}`,
    `  lifecycle: ${p.lifecyclestage ?? '—'}   tossup stage: ${p.tossup_stage ?? '—'}   score: ${p.tossup_score ?? '—'} (behaviour ${p.tossup_score_behavior ?? '—'}, attribute ${p.tossup_score_attribute ?? '—'})`,
    `  BANT: ${BANT_ITEMS.map((k) => `${k} ${p[`tossup_bant_${k}`] === 'true' ? '✓' : '·'}`).join('  ')}   reason: ${p.tossup_handoff_reason ?? '—'}`,
    `  hand-off: to ${p.tossup_handoff_to ?? '—'} at ${when(p.tossup_sql_at) || '—'}; accepted ${when(p.tossup_accepted_at) || '—'}; rejected ${when(p.tossup_rejected_at) || '—'} ${p.tossup_reject_reason ?? ''}`,
    `  SLA: first touch ${p.tossup_sla_first_touch ?? '—'} (due ${when(p.tossup_first_touch_due_at) || '—'}, at ${when(p.tossup_first_touch_at) || '—'})   status update ${p.tossup_sla_status_update ?? '—'} (due ${when(p.tossup_status_update_due_at) || '—'})   escalated to ${p.tossup_escalated_to ?? '—'}`,
  ];
  if (p.tossup_score_breakdown) lines.push('  score breakdown / スコア内訳:', ...p.tossup_score_breakdown.split('\n').map((l) => `    ${l}`));
  lines.push(`  tasks (${view.tasks.length}):`, ...view.tasks.map((t) => `    ${t.id}  ${t.status.padEnd(11)} owner ${t.owner.padEnd(6)} due ${t.due}  ${t.subject}`));
  lines.push(`  notes (${view.notes.length}):`, ...view.notes.map((n) => `    ${n.id}  ${n.body.slice(0, 140)}`));
  return lines.join('\n');
}

export function stepText(title: string, outcome: StepOutcome): string {
  return [`${title}${outcome.contactId ? ` (contact ${outcome.contactId})` : ''}`, ...outcome.changes].join('\n');
}

export function advanceText(moved: { now: number; slaPlans?: number | undefined; appConnected: boolean; changed: { contactId: string; changes: string[] }[] }): string {
  const head = `clock / 時刻: ${when(String(moved.now))}${moved.appConnected ? `; SLA sweep applied ${moved.slaPlans ?? 0} plan(s) / SLAスイープ実行` : ' (no app connected: only the sandbox moved)'}`;
  return [head, ...moved.changed.flatMap((c) => [`contact ${c.contactId}:`, ...c.changes])].join('\n');
}
