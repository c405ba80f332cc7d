import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findHsMetaFiles } from './hsmeta-schemas';
import { buildExtensionEntry, installExtensionDependencies, RemoteBuildError, uiExtensionEntrypoint, type BuiltBundle } from './remote-build';
import { buildUploadArchive, type UploadArchive } from './upload-archive';

/**
 * `npm run check:hubspot [projectDir]`: would HubSpot build what `hs project upload` sends?
 *
 * 1. Build the upload zip with the CLI's own code and unpack it into a temporary folder
 *    (upload-archive.ts): only srcDir, plus the workspaces and file: dependencies HubSpot
 *    collects from the package.json files under it.
 * 2. For every card, settings and page entrypoint in the archive's hsmeta files, install and
 *    bundle it there as HubSpot's build does (remote-build.ts). The folder is outside this
 *    repository, so nothing can resolve through the repository's own node_modules.
 * 3. Fail with the entry and the reason (npm's error for a dependency that does not resolve,
 *    vite's for an import, or the Node built-in that reaches a card); always delete the folder.
 *
 * It runs in its own process because HubSpot's ignore rules depend on process.cwd() and load
 * once per process (upload-archive.ts). Config contents are not validated here; see
 * validate-project.ts and hsmeta-schemas.ts.
 */

export interface UploadCheckReport {
  archive: UploadArchive;
  bundles: BuiltBundle[];
}

async function buildAll(extractedDir: string, archive: UploadArchive, outRoot: string): Promise<BuiltBundle[]> {
  const appDir = path.join(extractedDir, 'app');
  const entries = (existsSync(appDir) ? findHsMetaFiles(appDir) : []).map((file) => uiExtensionEntrypoint(file)).filter((e): e is string => e !== undefined);
  if (entries.length === 0) {
    throw new Error(
      `no card, settings or page entrypoint in the archive (${archive.files.length} files). ` +
        "If it holds next to nothing: HubSpot's ignore rules resolve names against the working directory and drop everything when its path has a dot-folder (e.g. ~/.work/tossup), or a .hsignore above it matches.",
    );
  }
  // One install per extension folder (uie build installs in dirname(entry)), then its entries.
  const byRoot = new Map<string, string[]>();
  for (const e of entries) {
    const root = path.dirname(path.join(extractedDir, e));
    byRoot.set(root, [...(byRoot.get(root) ?? []), e]);
  }
  const bundles: BuiltBundle[] = [];
  for (const [root, rootEntries] of byRoot) {
    await installExtensionDependencies(root, rootEntries[0]!);
    for (const entrypoint of rootEntries) {
      const outDir = path.join(outRoot, entrypoint.replace(/[^\w.-]+/g, '_'));
      bundles.push(await buildExtensionEntry(path.join(extractedDir, entrypoint), entrypoint, outDir));
    }
  }
  return bundles;
}

/** Run the whole check for `projectDir`; process.cwd() must be projectDir. */
export async function checkHubspotUpload(projectDir: string): Promise<UploadCheckReport> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'tossup-hs-upload-'));
  try {
    const extractedDir = path.join(workDir, 'archive');
    mkdirSync(extractedDir);
    const archive = await buildUploadArchive(projectDir, workDir, extractedDir);
    const bundles = await buildAll(extractedDir, archive, path.join(workDir, 'dist'));
    return { archive, bundles };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function summary({ archive, bundles }: UploadCheckReport): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  return [
    `HubSpot upload check passed: ${archive.files.length} files archived (${kb(archive.zipBytes)} zip)`,
    `  workspaces: ${archive.workspaces.length ? archive.workspaces.join(', ') : '(none)'}`,
    `  file: dependencies: ${archive.fileDependencies.length ? archive.fileDependencies.join(', ') : '(none)'}`,
    ...bundles.map((b) => `  bundle ${b.entrypoint}: ${kb(b.bytes)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const projectDir = path.resolve(process.argv[2] ?? process.cwd());
  // hs project upload runs in the project directory; HubSpot's ignore rules depend on it.
  process.chdir(projectDir);
  // HubSpot's build runs with NODE_ENV unset, which vite turns into 'production'; the bundle
  // inlines it (build.js `define`) and only then does vite warn about Node built-ins. A
  // caller's NODE_ENV (vitest sets 'test') must not change what is built.
  delete process.env.NODE_ENV;
  try {
    console.log(summary(await checkHubspotUpload(projectDir)));
  } catch (e) {
    const where = e instanceof RemoteBuildError ? '' : 'archive: ';
    console.error(`HubSpot upload check FAILED for ${projectDir}\n${where}${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
