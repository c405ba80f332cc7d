import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import archiver from 'archiver';
import { archiveWorkspacesAndDependencies, getLockfilePathsToUpdate, getPackageJsonPathsToUpdate } from '@hubspot/cli/lib/projects/workspaces.js';
import { extractZipArchive } from '@hubspot/local-dev-lib/archive';
import { shouldIgnoreFile } from '@hubspot/local-dev-lib/ignoreRules';
import { isLegacyProject } from '@hubspot/project-parsing-lib/projects';
import {
  collectFileDependencies,
  collectWorkspaceDirectories,
  findAndParsePackageJsonFiles,
  type FileDependencyMapping,
  type WorkspaceMapping,
} from '@hubspot/project-parsing-lib/workspaces';

/**
 * The zip `hs project upload` sends, built by HubSpot's own code and unpacked as files.
 *
 * This is the archive half of `handleProjectUpload` in
 * node_modules/@hubspot/cli/lib/projects/upload.js (pinned 8.14.0), line for line: the srcDir
 * walk filtered by `shouldIgnoreFile(name, true)`, then the workspaces and `file:`/`link:`
 * dependencies that project-parsing-lib collects from the package.json files under srcDir,
 * copied to `_workspaces/…` with their package.json (and lockfile) rewritten by
 * `archiveWorkspacesAndDependencies`. Only the network half (translate with the account's
 * schemas, the POST to projects/v3/upload/new-api) is left out. The zip is unpacked with
 * local-dev-lib's `extractZipArchive`, the code `hs project download` uses.
 *
 * Quirk of `shouldIgnoreFile`: it resolves srcDir-relative names against process.cwd() and
 * finds `.hsignore` from there, once per process. `hs project upload` runs in the project
 * directory, so the caller must too (check-hubspot-upload.ts chdirs before calling).
 */

export interface UploadArchive {
  /** Paths inside the archive (POSIX), sorted. */
  files: string[];
  /** Workspace folders HubSpot collected, as absolute paths on this machine. */
  workspaces: string[];
  /** `file:`/`link:` dependencies HubSpot collected: `name -> absolute path`. */
  fileDependencies: string[];
  zipBytes: number;
}

async function collectLocalPackages(srcDir: string, platformVersion: string): Promise<{ ws: WorkspaceMapping[]; fd: FileDependencyMapping[] }> {
  // Versions <= 2025.1 do not bundle workspaces (upload.js); tossup is 2026.03, but keep the rule.
  if (isLegacyProject(platformVersion)) return { ws: [], fd: [] };
  const parsed = await findAndParsePackageJsonFiles(srcDir);
  return { ws: await collectWorkspaceDirectories(parsed), fd: await collectFileDependencies(parsed) };
}

async function writeZip(srcDir: string, zipFile: string, ws: WorkspaceMapping[], fd: FileDependencyMapping[]): Promise<{ files: string[]; bytes: number }> {
  const output = createWriteStream(zipFile);
  const archive = archiver('zip');
  const files: string[] = [];
  archive.on('entry', (entry) => {
    if (!entry.name.endsWith('/')) files.push(entry.name);
  });
  const closed = new Promise<void>((resolve, reject) => {
    output.on('close', resolve);
    output.on('error', reject);
    archive.on('error', reject);
  });
  archive.pipe(output);
  const modifiedPackageJsonPaths = getPackageJsonPathsToUpdate(srcDir, ws, fd);
  const lockfilePathsToUpdate = getLockfilePathsToUpdate(srcDir, ws, fd);
  archive.directory(srcDir, false, (file) => {
    if (modifiedPackageJsonPaths.has(file.name) || lockfilePathsToUpdate.has(file.name)) return false;
    return shouldIgnoreFile(file.name, true) ? false : file;
  });
  await archiveWorkspacesAndDependencies(archive, srcDir, ws, fd);
  await archive.finalize();
  await closed;
  return { files: files.sort(), bytes: archive.pointer() };
}

/**
 * Build the upload zip of the project in `projectDir` into `workDir/upload.zip` and unpack
 * it into `destDir` (created). process.cwd() must be `projectDir` (see above).
 */
export async function buildUploadArchive(projectDir: string, workDir: string, destDir: string): Promise<UploadArchive> {
  if (path.resolve(process.cwd()) !== path.resolve(projectDir)) {
    throw new Error(`buildUploadArchive must run with cwd ${projectDir} (HubSpot's ignore rules resolve names against cwd); cwd is ${process.cwd()}`);
  }
  const config = JSON.parse(readFileSync(path.join(projectDir, 'hsproject.json'), 'utf8')) as { srcDir: string; platformVersion: string };
  const srcDir = path.resolve(projectDir, config.srcDir);
  const { ws, fd } = await collectLocalPackages(srcDir, config.platformVersion);
  const zipFile = path.join(workDir, 'upload.zip');
  const { files, bytes } = await writeZip(srcDir, zipFile, ws, fd);
  const extracted = await extractZipArchive(readFileSync(zipFile), 'tossup-check', destDir, { includesRootDir: false, hideLogs: true });
  if (!extracted) throw new Error(`could not unpack ${zipFile}`);
  return {
    files,
    workspaces: ws.map((w) => w.workspaceDir),
    fileDependencies: fd.map((d) => `${d.packageName} -> ${d.localPath}`),
    zipBytes: bytes,
  };
}
