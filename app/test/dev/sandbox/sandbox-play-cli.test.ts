import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startE2E, type E2E } from '../../../dev/sandbox-harness/sandbox-harness';
import { createSandboxAppHooks } from '../../../dev/sandbox/sandbox-app-hooks';
import { runCli } from '../../../dev/sandbox/cli';

/**
 * `npm run sandbox -- …` against a sandbox with the app connected as in sandbox mode
 * (sandbox-mode.ts connects the same hooks): each step waits for the app and says
 * what changed; `advance` moves the one clock and the SLA sweep follows; `story`
 * plays both leads to the end, reminder, breach and escalation included.
 */
describe('sandbox CLI: playing the story by hand', () => {
  let h: E2E;
  let url: string[];
  beforeAll(async () => {
    h = await startE2E({ rateLimit: false });
    h.sandbox.connectApp(createSandboxAppHooks(h.sandbox, h.backend, h.services));
    url = ['--url', h.sandbox.url];
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lists users and contacts as tables, or as JSON', async () => {
    const table = (await runCli(['users', ...url])) as string;
    expect(table.split('\n')[0]).toMatch(/^userId\s+ownerId\s+name\s+team \/ department\s+role/);
    const users = (await runCli(['users', '--json', ...url])) as { userId: number; team: string }[];
    expect(users.length).toBeGreaterThan(5);
    expect(table).toContain(String(users[0]?.userId));
    const page = (await runCli(['contacts', '--per-page', '3', '--page', '2', '--json', ...url])) as { rows: unknown[]; page: number; total: number };
    expect(page).toMatchObject({ page: 2 });
    expect(page.rows).toHaveLength(3);
    const found = (await runCli(['contacts', '--search', 'no-such-person-xyz', ...url])) as string;
    expect(found).toContain('of 0 contacts');
    await expect(runCli(['show', ...url])).rejects.toThrow(/needs a contact id/);
  });

  it('scores a seminar attendance at once (no webhook at HubSpot)', async () => {
    const created = (await runCli(['create-contact', 'email=seminar.guest@example.jp', 'lastname=来場', '--json', ...url])) as { contactId: string };
    const contactId = created.contactId;
    const before = Number(h.contact(contactId).tossup_score ?? 0);
    const out = (await runCli(['attend-event', contactId, '--json', ...url])) as { changes: string[] };
    expect(Number(h.contact(contactId).tossup_score)).toBe(before + 20);
    expect(out.changes.join('\n')).toMatch(/セミナー参加 ×1 \+20/);
  });

  it('plays both leads: hand-off met in time; hand-off ignored → reminder, breach, one escalation to the manager', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    let summary: string;
    try {
      summary = (await runCli(['story', ...url])) as string;
    } finally {
      write.mockRestore();
    }
    if (process.env.STORY_PRINT) process.stdout.write(printed.join(''));
    const [, a, b] = /lead A (\d+), lead B (\d+)/.exec(summary) ?? [];
    const leadA = h.contact(a as string);
    expect(leadA).toMatchObject({ tossup_stage: 'accepted', tossup_sla_first_touch: 'met', tossup_first_touch_hours: '4', lifecyclestage: 'salesqualifiedlead' });
    const leadB = h.contact(b as string);
    expect(leadB.tossup_sla_first_touch).toBe('breached');
    const subjects = h.associated(b as string, 'tasks').map((t) => [t.properties.hs_task_subject ?? '', t.properties.hubspot_owner_id]);
    expect(subjects.filter(([s]) => s?.includes('【リマインド】'))).toHaveLength(1);
    const escalations = subjects.filter(([s]) => s?.includes('【SLA超過】'));
    expect(escalations).toEqual([[expect.any(String), h.seed.managerOwnerIds.fieldSales]]);

    // Lead C (issue 17): the territory rule sends it to the 西日本 pool; lead A's rep is at
    // capacity (cap 1), the next rep set 「不在」 from the card, so the third receives it,
    // and the story prints the tab card's path in words saying so.
    const [, c, to] = /lead C (\d+) \(routed to (\d+)\)/.exec(summary) ?? [];
    const busy = leadA.tossup_handoff_to as string;
    const [away, free] = h.seed.ownerIds.fieldSales.slice(1).filter((o) => o !== busy);
    expect(to).toBe(free);
    expect(h.contact(c as string)).toMatchObject({ tossup_stage: 'sql', tossup_handoff_to: free, hubspot_owner_id: free });
    const name = (ownerId: string | undefined) => {
      const o = h.owner(ownerId as string);
      return `${o.lastName} ${o.firstName}`;
    };
    const out = printed.join('');
    expect(out).toContain('$ npm run sandbox -- routing-rule --id kansai --name "地域ルール: 関西" --pool west state=大阪府,京都府,兵庫県');
    expect(out).toContain(`地域ルール: 関西 → 西日本営業チーム → ${name(free)}（稼働中・担当 `);
    expect(out).toMatch(new RegExp(`${name(busy)}（上限到達 1/1件）`));
    expect(out).toMatch(new RegExp(`${name(away)}（不在 \\d+/\\d+〜\\d+/\\d+）`));
    // The first capped claim seeded the portal's load from HubSpot's open hand-offs (one CRM
    // search on the sandbox): leads A and B already hold seats, so nothing was added.
    const seeded = await h.ctx.db.query<{ seats: number }>('select seats from routing_load_seeds where portal_id = $1', [h.portalId]);
    expect(seeded.rows.map((r) => Number(r.seats))).toEqual([0]);

    // A super admin sets someone else's days (`--owner`, acting as the portal's super admin).
    const byAdmin = (await runCli(['away', '--owner', free as string, '--from', '2026-06-01', '--to', '2026-06-03', '--json', ...url])) as { ranges: { ownerId: string; from: string }[]; canEditOthers: boolean };
    expect(byAdmin.canEditOthers).toBe(true);
    expect(byAdmin.ranges).toContainEqual(expect.objectContaining({ ownerId: free, from: '2026-06-01' }));

    // Every routing command the README's by-hand table tells is one the story just ran.
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| ') && /routing-|`away |`routing <|create-company/.test(l));
    const verbs = [...new Set(rows.flatMap((l) => [...l.matchAll(/`([a-z-]+) /g)].map((m) => m[1] as string)))];
    expect(verbs).toEqual(expect.arrayContaining(['routing-pool', 'routing-rule', 'away', 'create-company', 'routing']));
    for (const verb of verbs) expect(out, verb).toContain(`$ npm run sandbox -- ${verb} `);
    expect(h.associated(c as string, 'notes').some((n) => (n.properties.hs_note_body ?? '').includes('割当の経緯: 地域ルール: 関西 → 西日本営業チーム → '))).toBe(true);
  }, 90_000);
});
