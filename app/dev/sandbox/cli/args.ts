/** The CLI's argument reading: `<command> [positional…] [--flag value | --switch] [key=value …]`. */
export interface Parsed {
  command: string;
  positional: string[];
  flags: Record<string, string | true>;
  assignments: Record<string, string>;
}

const SWITCHES = new Set(['json', 'help', 'gdpr', 'seed', 'no-seed', 'no-rate-limit', 'budget', 'authority', 'need', 'timeline', 'no-budget', 'no-authority', 'no-need', 'no-timeline', 'first']);

export function parseArgs(argv: string[]): Parsed {
  const [command = 'help', ...rest] = argv;
  const out: Parsed = { command, positional: [], flags: {}, assignments: {} };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = rest[i + 1];
      if (!SWITCHES.has(key) && next !== undefined && !next.startsWith('--') && !/^[a-z_][a-z0-9_]*=/.test(next)) {
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

export function need(p: Parsed, flag: string): string {
  const v = p.flags[flag];
  if (typeof v !== 'string') throw new Error(`--${flag} is required for "${p.command}"; see --help`);
  return v;
}

/** `show 1234` or `show --contact 1234` (or the older `--id`). */
export function contactArg(p: Parsed): string {
  const v = p.positional[0] ?? p.flags.contact ?? p.flags.id;
  if (typeof v !== 'string') throw new Error(`"${p.command}" needs a contact id, e.g. \`npm run sandbox -- ${p.command} 1234\` (find one with \`contacts --search 山田\`)`);
  return v;
}

export const num = (v: string | true | undefined) => (typeof v === 'string' ? Number(v) : undefined);
export const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
