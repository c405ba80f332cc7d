/**
 * Command line for the local HubSpot sandbox: start one (`serve`), or act as a person
 * in a running one over its /__sandbox admin API.
 *
 *   npx tsx app/dev/sandbox/cli.ts <command> [options]
 *
 * The running sandbox is found at --url or SANDBOX_URL (default http://127.0.0.1:3100,
 * the SANDBOX_PORT default of `npm start`).
 */
import { createSandbox } from './create-sandbox';

const HELP = `tossup sandbox / ローカル HubSpot サンドボックス

Usage: npx tsx app/dev/sandbox/cli.ts <command> [options]   (--url or SANDBOX_URL, default http://127.0.0.1:3100)

  serve [--port 3100] [--webhook-url URL] [--public-base-url URL] [--time-scale N]
        [--persist FILE] [--no-seed] [--no-rate-limit]       start a standalone sandbox
  info | stats | reset-stats | clock                        show state / counters / time
  flush | pause | resume | webhook-log                      webhook delivery control
  advance <2h|30m|90s|1d|ms>                                 advance the sandbox clock
  contacts [--limit N] [--portal ID]                        list contacts
  show --type contacts --id ID [--portal ID]                one record with history and associations
  submit-form (--contact ID | --email E) --form ID|NAME [--page TITLE] [k=v ...]
  open-email --contact ID [--email-id ID] [--count N]
  register-event --contact ID [--event ID]
  attend-event --contact ID [--event ID]
  log-activity --type call|email|meeting|note --contact ID [--owner ID] [--subject S] [--body B]
  set --id ID [--type contacts] k=v [k=v ...] [--user USERID]     set properties as a user (CRM_UI)
  lead-status --contact ID --status NEW|OPEN|IN_PROGRESS|CONNECTED|...
  complete-task --task ID
  create-contact k=v [k=v ...] [--company ID]
  delete-contact --contact ID [--gdpr]
  faults [--latency-ms N] [--server-error-rate R] [--locked-rate R] [--rate-limit-rate R] [--force-429 N]
  rate-limit on|off
  tokens [--portal ID]                                       issue tokens as if the app were installed
  create-portal [--name NAME] [--seed]
`;

interface Parsed {
  command: string;
  positional: string[];
  flags: Record<string, string | true>;
  assignments: Record<string, string>;
}

function parse(argv: string[]): Parsed {
  const [command = 'help', ...rest] = argv;
  const out: Parsed = { command, positional: [], flags: {}, assignments: {} };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--') && !/^[a-z_][a-z0-9_]*=/.test(next)) {
        out.flags[key] = next;
        i++;
      } else out.flags[key] = true;
    } else if (/^[a-z_][a-z0-9_]*=/.test(a)) {
      const eq = a.indexOf('=');
      out.assignments[a.slice(0, eq)] = a.slice(eq + 1);
    } else out.positional.push(a);
  }
  return out;
}

export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new Error(`cannot read the duration "${v}"; use e.g. 90s, 30m, 2h, 1d or milliseconds`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(n * unit);
}

function need(p: Parsed, flag: string): string {
  const v = p.flags[flag];
  if (typeof v !== 'string') throw new Error(`--${flag} is required for "${p.command}"; see --help`);
  return v;
}

const num = (v: string | true | undefined) => (typeof v === 'string' ? Number(v) : undefined);

async function call(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${base}/__sandbox${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  } catch (err) {
    throw new Error(`cannot reach the sandbox at ${base} (${(err as Error).message}); start it with \`npm start\` or \`npx tsx app/dev/sandbox/cli.ts serve\`, or pass --url`);
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`sandbox answered ${res.status}: ${text}`);
  return json;
}

async function defaultPortal(base: string): Promise<number> {
  return ((await call(base, 'GET', '/info')) as { defaultPortalId: number }).defaultPortalId;
}

export async function runCli(argv: string[]): Promise<unknown> {
  const p = parse(argv);
  const base = String(p.flags.url ?? process.env.SANDBOX_URL ?? 'http://127.0.0.1:3100').replace(/\/+$/, '');
  const portalId = num(p.flags.portal);
  const scenario = (action: string, body: Record<string, unknown>) => call(base, 'POST', `/scenario/${action}`, { ...(portalId !== undefined ? { portalId } : {}), ...body });

  switch (p.command) {
    case 'help':
    case '--help':
    case '-h':
      return HELP;
    case 'serve': {
      const s = await createSandbox({
        port: num(p.flags.port) ?? 3100,
        ...(typeof p.flags['webhook-url'] === 'string' ? { appWebhookUrl: p.flags['webhook-url'] } : {}),
        ...(typeof p.flags['public-base-url'] === 'string' ? { appPublicBaseUrl: p.flags['public-base-url'] } : {}),
        ...(num(p.flags['time-scale']) ? { timeScale: num(p.flags['time-scale']) } : {}),
        ...(typeof p.flags.persist === 'string' ? { persistFile: p.flags.persist } : {}),
        seed: !p.flags['no-seed'],
        rateLimit: !p.flags['no-rate-limit'],
      });
      const stop = () => void s.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return `sandbox listening on ${s.url} (portal ${s.portalId}, app ${s.appId}, client_id ${s.clientId}); Ctrl+C to stop`;
    }
    case 'info':
      return call(base, 'GET', '/info');
    case 'stats':
      return call(base, 'GET', '/stats');
    case 'reset-stats':
      return call(base, 'POST', '/stats/reset');
    case 'clock':
      return call(base, 'GET', '/clock');
    case 'flush':
      return call(base, 'POST', '/webhooks/flush');
    case 'pause':
      return call(base, 'POST', '/webhooks/pause');
    case 'resume':
      return call(base, 'POST', '/webhooks/resume');
    case 'webhook-log':
      return call(base, 'GET', '/webhooks/log');
    case 'advance': {
      const d = p.positional[0];
      if (!d) throw new Error('advance needs a duration, e.g. `advance 2h`');
      return call(base, 'POST', '/clock/advance', { ms: parseDuration(d) });
    }
    case 'contacts':
      return call(base, 'GET', `/portals/${portalId ?? (await defaultPortal(base))}/objects/contacts?limit=${num(p.flags.limit) ?? 20}`);
    case 'show':
      return call(base, 'GET', `/portals/${portalId ?? (await defaultPortal(base))}/objects/${String(p.flags.type ?? 'contacts')}/${need(p, 'id')}`);
    case 'submit-form': {
      const form = need(p, 'form');
      const isId = /^[0-9a-f]{8}-/.test(form);
      return scenario('submitForm', {
        ...(typeof p.flags.contact === 'string' ? { contactId: p.flags.contact } : {}),
        ...(typeof p.flags.email === 'string' ? { email: p.flags.email } : {}),
        ...(isId ? { formId: form } : { formName: form }),
        ...(typeof p.flags.page === 'string' ? { pageTitle: p.flags.page } : {}),
        ...(Object.keys(p.assignments).length > 0 ? { properties: p.assignments } : {}),
      });
    }
    case 'open-email':
      return scenario('openMarketingEmail', { contactId: need(p, 'contact'), ...(typeof p.flags['email-id'] === 'string' ? { emailId: p.flags['email-id'] } : {}), count: num(p.flags.count) ?? 1 });
    case 'register-event':
      return scenario('registerForEvent', { contactId: need(p, 'contact'), ...(typeof p.flags.event === 'string' ? { eventId: p.flags.event } : {}) });
    case 'attend-event':
      return scenario('attendEvent', { contactId: need(p, 'contact'), ...(typeof p.flags.event === 'string' ? { eventId: p.flags.event } : {}) });
    case 'log-activity':
      return scenario('logActivity', {
        type: need(p, 'type'),
        contactId: need(p, 'contact'),
        ...(typeof p.flags.owner === 'string' ? { ownerId: p.flags.owner } : {}),
        ...(typeof p.flags.subject === 'string' ? { subject: p.flags.subject } : {}),
        ...(typeof p.flags.body === 'string' ? { body: p.flags.body } : {}),
      });
    case 'set':
      if (Object.keys(p.assignments).length === 0) throw new Error('set needs at least one property=value, e.g. `set --id 1001 tossup_bant_need=true`');
      return scenario('setProperties', { objectType: String(p.flags.type ?? 'contacts'), objectId: need(p, 'id'), properties: p.assignments, ...(num(p.flags.user) ? { userId: num(p.flags.user) } : {}) });
    case 'lead-status':
      return scenario('setLeadStatus', { contactId: need(p, 'contact'), status: need(p, 'status') });
    case 'complete-task':
      return scenario('completeTask', { taskId: need(p, 'task') });
    case 'create-contact':
      return scenario('createContact', { properties: p.assignments, ...(typeof p.flags.company === 'string' ? { companyId: p.flags.company } : {}) });
    case 'delete-contact':
      return scenario('deleteContact', { contactId: need(p, 'contact'), gdpr: p.flags.gdpr === true });
    case 'faults':
      return call(base, 'POST', '/faults', {
        ...(num(p.flags['latency-ms']) !== undefined ? { latencyMs: { median: num(p.flags['latency-ms']) } } : {}),
        ...(num(p.flags['server-error-rate']) !== undefined ? { serverErrorRate: num(p.flags['server-error-rate']) } : {}),
        ...(num(p.flags['locked-rate']) !== undefined ? { lockedRate: num(p.flags['locked-rate']) } : {}),
        ...(num(p.flags['rate-limit-rate']) !== undefined ? { rateLimitRate: num(p.flags['rate-limit-rate']) } : {}),
        ...(num(p.flags['force-429']) !== undefined ? { force429Count: num(p.flags['force-429']) } : {}),
      });
    case 'rate-limit':
      return call(base, 'POST', '/rate-limit', { enabled: p.positional[0] !== 'off' });
    case 'tokens':
      return call(base, 'POST', `/portals/${portalId ?? (await defaultPortal(base))}/tokens`);
    case 'create-portal':
      return call(base, 'POST', '/portals', { ...(typeof p.flags.name === 'string' ? { name: p.flags.name } : {}), seed: p.flags.seed === true });
    default:
      throw new Error(`unknown command "${p.command}"\n\n${HELP}`);
  }
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
