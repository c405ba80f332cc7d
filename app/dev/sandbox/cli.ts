/**
 * `npm run sandbox -- <command>`: act as a person in the running sandbox (`npm start`
 * in sandbox mode, or `serve` below) over its /__sandbox admin API. In sandbox mode
 * every step waits until the app has processed it and prints what changed on the
 * contact: stage, score and breakdown, tasks and notes, SLA state.
 */
import { createSandbox } from './create-sandbox';
import { createAdminClient, sandboxBaseUrl } from './cli/admin-client';
import { contactArg, need, num, parseArgs, str, type Parsed } from './cli/args';
import { formatTable } from './cli/contact-view';
import { advanceText, contactText, createPlay, stepText, usersTable, type StepOutcome } from './cli/play-commands';
import { playStory } from './cli/story';
import { readRouting, setAway, setRoutingPool, setRoutingRule } from './cli/routing-commands';

export { parseDuration } from './cli/args';
import { parseDuration } from './cli/args';

const HELP = `tossup sandbox — play the story by hand / 記事のストーリーを手で再生

Usage: npm run sandbox -- <command> [options] [--json]
  The sandbox is found at --url, SANDBOX_URL or http://127.0.0.1:$SANDBOX_PORT (default 3100, as \`npm start\`).
  Tables for people by default; --json prints what scripts read.

Who is who / 参照
  users                                         the portal's users (userId, ownerId, team, role)
  contacts [--search TEXT] [--stage S] [--owner OWNER_ID] [--page N] [--per-page N]
  show <contact>                                properties, tossup state, tasks, notes, SLA clocks

Steps of the story, as the person who does them (each waits for the app and prints what changed)
  create-contact k=v [k=v …] [--company ID] [--as USER]      Marketing enters a business card
  submit-form (<contact> | --email E) --form ID|NAME [--page TITLE] [k=v …]
  open-email <contact> [--email-id ID] [--count N]
  download <contact> [--form ID|NAME]                        a download form (default: the portal's download form)
  register-event <contact> [--event ID]
  attend-event <contact> [--event ID]                        scores at once in sandbox mode
  log-call | log-email | log-meeting | log-note <contact> [--as OWNER] [--subject S] [--body B]
  bant <contact> [--budget] [--authority] [--need] [--timeline] [--no-…] [--reason R]
       [--note-budget T …] [--as USER]                       the BANT card form (IS rep)
  toss-up <contact> [--as USER]                              the toss-up button (IS rep)
  accept <contact> [--as USER]                               the tab card's accept (sales rep)
  reject <contact> --code CODE [--reason R] [--as USER]      codes: no_budget, no_authority, no_need, bad_timing, unreachable, duplicate, other
  lead-status <contact> --status NEW|OPEN|IN_PROGRESS|CONNECTED|…
  complete-task --task ID [--as USER]
  escalation --team ID|NAME --to USER [--as ADMIN]         the settings page: who receives a team's SLA escalations
  set <contact> [--type contacts] k=v [k=v …] [--as USER]   set properties as a user (CRM_UI)
  create-company k=v [k=v …] [--as USER]                     a new company (e.g. name=浪速精機株式会社 state=大阪府)

Routing / ルーティング (issue 17)
  routing-pool --id ID --name NAME --members OWNER[:WEIGHT[:CAP]],… [--cap-per-rep N] [--as ADMIN]
                                                 the settings page: a pool of reps (weights, caps)
  routing-rule --id ID --name NAME (--pool ID | --team ID|NAME) [--object company|contact] [--first]
       prop=v1,v2 [prop=~text] [prop=>=N] [prop=<=N] [prop=?] [prop=!] [--as ADMIN]
                                                 the settings page: a rule, every condition must hold (default object: company)
  away --from YYYY-MM-DD --to YYYY-MM-DD [--as REP] [--owner OWNER] [--note T]
                                                 the card's 「不在設定」 (a super admin may name --owner)
  routing <contact> [--as USER]                  the tab card's routing panel: the path in words, the ladder
  delete-contact <contact> [--gdpr]

Time / 時間
  advance <90s|30m|2h|1d>                        moves the one clock of the sandbox and the app; the SLA sweep follows at once
                                                 and every contact with a running SLA clock is shown when it changed
  clock                                          the shared clock

The whole story / ストーリー全体
  story [--pause-ms N]                           the demo's two leads, then lead C routed by a territory rule, step by step on the running instance

Sandbox admin
  serve [--port 3100] [--webhook-url URL] [--public-base-url URL] [--time-scale N] [--persist FILE] [--no-seed] [--no-rate-limit]
  info | stats | reset-stats | flush | pause | resume | webhook-log
  faults [--latency-ms N] [--server-error-rate R] [--locked-rate R] [--rate-limit-rate R] [--force-429 N]
  rate-limit on|off | tokens [--portal ID] | create-portal [--name NAME] [--seed]

Options: --portal ID (default: the seeded portal), --url URL, --json
`;

const BANT = ['budget', 'authority', 'need', 'timeline'] as const;

export async function runCli(argv: string[]): Promise<unknown> {
  const p = parseArgs(argv);
  if (p.command === 'help' || p.command === '--help' || p.command === '-h' || p.flags.help === true) return HELP;
  if (p.command === 'serve') return serve(p);
  const client = createAdminClient(sandboxBaseUrl(str(p.flags.url)));
  const portalId = num(p.flags.portal) ?? ((await client.get('/info')) as { defaultPortalId: number }).defaultPortalId;
  const play = createPlay(client, portalId);
  const json = p.flags.json === true;
  const as = str(p.flags.as);
  const scenario = (action: string, body: Record<string, unknown>) => client.post(`/scenario/${action}`, { portalId, ...body });
  const userIdOf = async (who: string | undefined) => {
    if (who === undefined) return undefined;
    const u = (await play.listUsers()).find((x) => String(x.userId) === who || x.ownerId === who || x.email === who);
    if (!u) throw new Error(`no user ${who}; list them with \`npm run sandbox -- users\``);
    return u.userId;
  };
  const report = (title: string, o: StepOutcome) => (json ? o : stepText(title, o));
  const stepOn = async (title: string, contactId: string | undefined, action: () => Promise<unknown>) => report(title, await play.step(contactId, action));

  switch (p.command) {
    case 'info':
      return client.get('/info');
    case 'stats':
      return client.get('/stats');
    case 'reset-stats':
      return client.post('/stats/reset');
    case 'clock':
      return client.get('/clock');
    case 'flush':
      return client.post('/webhooks/flush');
    case 'pause':
      return client.post('/webhooks/pause');
    case 'resume':
      return client.post('/webhooks/resume');
    case 'webhook-log':
      return client.get('/webhooks/log');
    case 'users': {
      const users = await play.listUsers();
      return json ? users : usersTable(users);
    }
    case 'contacts': {
      const page = await play.contacts({ ...(str(p.flags.search) ? { search: str(p.flags.search) } : {}), ...(str(p.flags.stage) ? { stage: str(p.flags.stage) } : {}), ...(str(p.flags.owner) ? { owner: str(p.flags.owner) } : {}), page: num(p.flags.page) ?? 1, perPage: num(p.flags['per-page']) ?? num(p.flags.limit) ?? 20 });
      if (json) return page;
      return `${formatTable(page.rows, ['id', 'name', 'email', 'jobtitle', 'lifecycle', 'stage', 'score', 'owner'])}\npage ${page.page}/${page.pages} of ${page.total} contacts (--page N, --search TEXT, --stage S, --owner ID)`;
    }
    case 'show': {
      if (p.flags.type && p.flags.type !== 'contacts') return client.get(`/portals/${portalId}/objects/${String(p.flags.type)}/${contactArg(p)}`);
      const view = await play.show(contactArg(p));
      return json ? view : contactText(view);
    }
    case 'advance': {
      const d = p.positional[0];
      if (!d) throw new Error('advance needs a duration, e.g. `advance 2h`');
      const moved = await play.advance(parseDuration(d));
      return json ? moved : advanceText(moved);
    }
    case 'create-contact':
      return stepOn('contact created / コンタクト作成', undefined, async () => scenario('createContact', { properties: p.assignments, ...(str(p.flags.company) ? { companyId: str(p.flags.company) } : {}), ...((await userIdOf(as)) ? { userId: await userIdOf(as) } : {}) }));
    case 'submit-form': {
      const form = need(p, 'form');
      const contactId = p.positional[0] ?? str(p.flags.contact);
      return stepOn(`form submitted / フォーム送信: ${form}`, contactId, () =>
        scenario('submitForm', {
          ...(contactId ? { contactId } : {}),
          ...(str(p.flags.email) ? { email: str(p.flags.email) } : {}),
          ...(/^[0-9a-f]{8}-/.test(form) ? { formId: form } : { formName: form }),
          ...(str(p.flags.page) ? { pageTitle: str(p.flags.page) } : {}),
          ...(Object.keys(p.assignments).length > 0 ? { properties: p.assignments } : {}),
        }),
      );
    }
    case 'download': {
      const contactId = contactArg(p);
      const seed = (await client.get(`/portals/${portalId}/seed`)) as { formIds?: { download?: string } };
      const form = str(p.flags.form) ?? seed.formIds?.download;
      if (!form) throw new Error('this portal has no seeded download form; pass --form ID|NAME');
      return stepOn('downloaded / 資料ダウンロード', contactId, () => scenario('submitForm', { contactId, ...(/^[0-9a-f]{8}-/.test(form) ? { formId: form } : { formName: form }) }));
    }
    case 'open-email': {
      const contactId = contactArg(p);
      return stepOn('marketing e-mail opened / メール開封', contactId, () => scenario('openMarketingEmail', { contactId, ...(str(p.flags['email-id']) ? { emailId: str(p.flags['email-id']) } : {}), count: num(p.flags.count) ?? 1 }));
    }
    case 'register-event':
    case 'attend-event': {
      const contactId = contactArg(p);
      const action = p.command === 'attend-event' ? 'attendEvent' : 'registerForEvent';
      return stepOn(p.command === 'attend-event' ? 'attended the seminar / セミナー参加' : 'registered for the seminar / セミナー申込', contactId, () => scenario(action, { contactId, ...(str(p.flags.event) ? { eventId: str(p.flags.event) } : {}) }));
    }
    case 'log-call':
    case 'log-email':
    case 'log-meeting':
    case 'log-note':
    case 'log-activity': {
      const type = p.command === 'log-activity' ? need(p, 'type') : p.command.slice(4);
      const contactId = contactArg(p);
      const owner = str(p.flags.as) ?? str(p.flags.owner);
      const ownerId = owner === undefined ? undefined : ((await play.listUsers()).find((u) => u.ownerId === owner || String(u.userId) === owner || u.email === owner)?.ownerId ?? owner);
      return stepOn(`${type} logged / ${type} 記録`, contactId, () => scenario('logActivity', { type, contactId, ...(ownerId ? { ownerId } : {}), ...(str(p.flags.subject) ? { subject: str(p.flags.subject) } : {}), ...(str(p.flags.body) ? { body: str(p.flags.body) } : {}) }));
    }
    case 'bant': {
      const set: Partial<Record<(typeof BANT)[number], boolean>> = {};
      const notes: Partial<Record<(typeof BANT)[number], string>> = {};
      for (const k of BANT) {
        if (p.flags[k] === true) set[k] = true;
        if (p.flags[`no-${k}`] === true) set[k] = false;
        const note = str(p.flags[`note-${k}`]);
        if (note !== undefined) notes[k] = note;
      }
      return report('BANT saved / BANT 保存', await play.bant(contactArg(p), as, { set, notes, ...(str(p.flags.reason) !== undefined ? { reason: str(p.flags.reason) } : {}) }));
    }
    case 'escalation':
      return play.escalation(need(p, 'team'), need(p, 'to'), as);
    case 'toss-up':
      return report('tossed up / トスアップ', await play.tossUp(contactArg(p), as));
    case 'accept':
      return report('accepted / 受入', await play.accept(contactArg(p), as));
    case 'reject':
      return report('rejected / 差戻し', await play.reject(contactArg(p), as, need(p, 'code'), str(p.flags.reason) ?? ''));
    case 'lead-status': {
      const contactId = contactArg(p);
      return stepOn('lead status changed / リードステータス変更', contactId, async () => scenario('setLeadStatus', { contactId, status: need(p, 'status'), ...((await userIdOf(as)) ? { userId: await userIdOf(as) } : {}) }));
    }
    case 'complete-task': {
      const taskId = need(p, 'task');
      const task = (await client.get(`/portals/${portalId}/objects/tasks/${taskId}`)) as { associations?: Record<string, unknown> };
      const contactId = Object.keys(task.associations ?? {}).find((k) => k.startsWith('contacts:'))?.slice('contacts:'.length);
      return stepOn(`task ${taskId} completed / タスク完了`, contactId, async () => scenario('completeTask', { taskId, ...((await userIdOf(as)) ? { userId: await userIdOf(as) } : {}) }));
    }
    case 'set': {
      if (Object.keys(p.assignments).length === 0) throw new Error('set needs at least one property=value, e.g. `set 1001 jobtitle=部長`');
      const type = String(p.flags.type ?? 'contacts');
      const id = contactArg(p);
      const userId = num(p.flags.user) ?? (await userIdOf(as));
      const action = () => scenario('setProperties', { objectType: type, objectId: id, properties: p.assignments, ...(userId ? { userId } : {}) });
      return type === 'contacts' ? stepOn('properties set / プロパティ更新', id, action) : action();
    }
    case 'create-company': {
      const userId = await userIdOf(as);
      const created = (await scenario('createCompany', { properties: p.assignments, ...(userId ? { userId } : {}) })) as { companyId: string };
      if (await client.appConnected()) await client.post('/app/settle');
      return json ? created : `company created / 会社作成: ${created.companyId} ${Object.entries(p.assignments).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'routing-pool': {
      const text = await setRoutingPool(play, { id: need(p, 'id'), name: need(p, 'name'), members: need(p, 'members'), ...(num(p.flags['cap-per-rep']) !== undefined ? { capPerRep: num(p.flags['cap-per-rep']) as number } : {}), ...(as ? { as } : {}) });
      return json ? { saved: true, text } : text;
    }
    case 'routing-rule': {
      const object = str(p.flags.object) ?? 'company';
      if (object !== 'company' && object !== 'contact') throw new Error('--object is company or contact');
      const text = await setRoutingRule(play, {
        id: need(p, 'id'),
        name: need(p, 'name'),
        object,
        assignments: p.assignments,
        ...(str(p.flags.pool) ? { pool: str(p.flags.pool) } : {}),
        ...(str(p.flags.team) ? { team: str(p.flags.team) } : {}),
        first: p.flags.first === true,
        ...(as ? { as } : {}),
      });
      return json ? { saved: true, text } : text;
    }
    case 'away': {
      const out = await setAway(play, { from: need(p, 'from'), to: need(p, 'to'), ...(as ? { as } : {}), ...(str(p.flags.owner) ? { owner: str(p.flags.owner) } : {}), ...(str(p.flags.note) ? { note: str(p.flags.note) } : {}) });
      return json ? out.view : out.text;
    }
    case 'routing': {
      const out = await readRouting(play, contactArg(p), as);
      return json ? out.view : out.text;
    }
    case 'delete-contact':
      return scenario('deleteContact', { contactId: contactArg(p), gdpr: p.flags.gdpr === true });
    case 'story':
      return playStory(client, (args) => runCli([...args, ...(str(p.flags.url) ? ['--url', str(p.flags.url) as string] : []), ...(num(p.flags.portal) ? ['--portal', String(portalId)] : [])]), portalId, { pauseMs: num(p.flags['pause-ms']) ?? 0, write: (l) => process.stdout.write(`${l}\n`) });
    case 'faults':
      return client.post('/faults', {
        ...(num(p.flags['latency-ms']) !== undefined ? { latencyMs: { median: num(p.flags['latency-ms']) } } : {}),
        ...(num(p.flags['server-error-rate']) !== undefined ? { serverErrorRate: num(p.flags['server-error-rate']) } : {}),
        ...(num(p.flags['locked-rate']) !== undefined ? { lockedRate: num(p.flags['locked-rate']) } : {}),
        ...(num(p.flags['rate-limit-rate']) !== undefined ? { rateLimitRate: num(p.flags['rate-limit-rate']) } : {}),
        ...(num(p.flags['force-429']) !== undefined ? { force429Count: num(p.flags['force-429']) } : {}),
      });
    case 'rate-limit':
      return client.post('/rate-limit', { enabled: p.positional[0] !== 'off' });
    case 'tokens':
      return client.post(`/portals/${portalId}/tokens`);
    case 'create-portal':
      return client.post('/portals', { ...(str(p.flags.name) ? { name: str(p.flags.name) } : {}), seed: p.flags.seed === true });
    default:
      throw new Error(`unknown command "${p.command}"\n\n${HELP}`);
  }
}

async function serve(p: Parsed): Promise<string> {
  const s = await createSandbox({
    port: num(p.flags.port) ?? 3100,
    ...(str(p.flags['webhook-url']) ? { appWebhookUrl: str(p.flags['webhook-url']) } : {}),
    ...(str(p.flags['public-base-url']) ? { appPublicBaseUrl: str(p.flags['public-base-url']) } : {}),
    ...(num(p.flags['time-scale']) ? { timeScale: num(p.flags['time-scale']) } : {}),
    ...(str(p.flags.persist) ? { persistFile: str(p.flags.persist) } : {}),
    seed: !p.flags['no-seed'],
    rateLimit: !p.flags['no-rate-limit'],
  });
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return `sandbox listening on ${s.url} (portal ${s.portalId}, app ${s.appId}, client_id ${s.clientId}); Ctrl+C to stop`;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\u0000');
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then(
    (out) => {
      if (out !== undefined) console.log(typeof out === 'string' ? out : JSON.stringify(out, null, 2));
    },
    (err: Error) => {
      console.error(`sandbox: ${err.message}`);
      process.exit(1);
    },
  );
}
