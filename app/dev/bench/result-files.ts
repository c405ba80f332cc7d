/**
 * Where bench runs file their figures (app/dev/bench/results/, README "Performance"): every
 * result is named `<date>-<commit>[-<kind>].json`, so a figure quoted in the README or a closing
 * note can be traced to the code that produced it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The run's date (file-name safe, to the second) and the short commit it ran on ('nogit' outside a checkout). */
export function benchResultStamp(): { date: string; sha: string } {
  const date = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  let sha = 'nogit';
  try {
    sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout (an unpacked archive): the date alone names the run.
  }
  return { date, sha };
}

/** The path of `fileName` in the results folder, which is created if missing. */
export function benchResultPath(fileName: string): string {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return path.join(dir, fileName);
}
