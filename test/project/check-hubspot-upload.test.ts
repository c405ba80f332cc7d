import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run check:hubspot` (app/dev/project-check/check-hubspot-upload.ts) builds what
 * `hs project upload` sends with HubSpot's own code, installs it in a temporary folder and
 * bundles every card and the settings page with HubSpot's build. It must pass on the real
 * project and fail, naming the cause, on the earlier broken layout (workspace packages
 * declared only by the repository's root package.json, outside srcDir) and on a card that
 * imports a Node built-in. Each run installs from the registry into a fresh folder
 * (npm's cache is shared), so the tests get minutes, not the default 30 s.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHECK = path.join(REPO_ROOT, 'app/dev/project-check/check-hubspot-upload.ts');
// tsx's loader rather than its CLI: the CLI leaves an IPC folder (tsx-<uid>) in the temp directory.
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href;
const TIMEOUT_MS = 180_000;

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface CheckRun {
  code: number;
  output: string;
}

/** Run the check as `npm run check:hubspot` does: its own process, in the project directory. */
function runCheck(projectDir: string): Promise<CheckRun> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // vitest's loaders must not shape the child
  delete env.NODE_ENV; // vitest's 'test'; the check drops it too, as HubSpot's build has none
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', TSX_LOADER, CHECK, projectDir], { cwd: projectDir, env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** The project as a fresh clone has it: hsproject.json, src/ and the shared packages, no node_modules. */
function copyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tossup-upload-check-'));
  tempDirs.push(dir);
  const noNodeModules = (source: string) => path.basename(source) !== 'node_modules';
  cpSync(path.join(REPO_ROOT, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  for (const folder of ['src', 'extensions/shared', 'extensions/ui']) {
    cpSync(path.join(REPO_ROOT, folder), path.join(dir, folder), { recursive: true, filter: noNodeModules });
  }
  return dir;
}

function leftoverCheckFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('tossup-hs-upload-') || name.startsWith('hubspot-temp-tossup-check-'));
}

describe('npm run check:hubspot', () => {
  it('passes on the real project and bundles both cards and the settings page', { timeout: TIMEOUT_MS }, async () => {
    const before = leftoverCheckFolders();
    const { code, output } = await runCheck(REPO_ROOT);
    expect(output).toContain('HubSpot upload check passed');
    expect(code).toBe(0);
    for (const entry of ['/app/cards/HandoffCard.tsx', '/app/cards/TimelineCard.tsx', '/app/settings/SettingsPage.tsx']) {
      expect(output).toMatch(new RegExp(`bundle ${entry}: \\d+\\.\\d kB`));
    }
    // The shared packages travel with the upload as workspaces.
    expect(output).toMatch(/workspaces: .*extensions\/shared.*extensions\/ui/);
    expect(leftoverCheckFolders()).toEqual(before);
  });

  it('fails on the earlier layout (workspaces declared only outside srcDir), naming the package', { timeout: TIMEOUT_MS }, async () => {
    const dir = copyProject();
    rmSync(path.join(dir, 'src/package.json'));
    const { code, output } = await runCheck(dir);
    expect(code).toBe(1);
    expect(output).toContain('HubSpot upload check FAILED');
    expect(output).toContain('/app/cards/HandoffCard.tsx');
    expect(output).toMatch(/npm install --package-lock-only[^\n]*` failed[\s\S]*@tossup\/(ui|shared)/);
  });

  it('fails on a card that imports a Node built-in, naming it and the importer', { timeout: TIMEOUT_MS }, async () => {
    const dir = copyProject();
    appendFileSync(path.join(dir, 'src/app/cards/TimelineCard.tsx'), "\nimport fs from 'node:fs';\nconsole.log(Object.keys(fs));\n");
    const { code, output } = await runCheck(dir);
    expect(code).toBe(1);
    expect(output).toContain('/app/cards/TimelineCard.tsx: a Node built-in reaches the card bundle');
    expect(output).toMatch(/'node:fs' imported by [^\n]*app\/cards\/TimelineCard\.tsx/);
  });
});
