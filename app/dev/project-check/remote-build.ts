import { exec } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { format, promisify } from 'node:util';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';

/**
 * What HubSpot's build does with one UI-extension entry of the uploaded archive, by the
 * steps `uie build` claims to mirror (node_modules/@hubspot/ui-extensions-dev-server/dist/lib/bin/cli.js,
 * "Mirrors … Artifactor … uie-remote-build"): in the entry's folder, `npm install
 * --package-lock-only` when it has no package-lock.json, then `npm ci --ignore-scripts
 * --no-audit --no-optional --no-fund`, then `remoteBuild` (vite, iife, minified).
 *
 * We add `--prefer-offline` to both npm commands (same result, served from the npm cache when
 * it can be) and fail where HubSpot would only warn and ship a broken card: a Node built-in
 * that reaches a bundle. Vite swaps it for the empty `__vite-browser-external` module
 * (a default import builds and is `{}` at runtime; a named import fails the build).
 */

const execAsync = promisify(exec);

export interface BuiltBundle {
  /** Entry as listed in the hsmeta file, e.g. /app/cards/HandoffCard.tsx. */
  entrypoint: string;
  bytes: number;
}

export class RemoteBuildError extends Error {
  constructor(
    readonly entrypoint: string,
    message: string,
  ) {
    super(`${entrypoint}: ${message}`);
  }
}

/** Run `fn` and return what it wrote through console.*, which is where vite's logger and HubSpot's plugins write. */
async function captureConsole(fn: () => Promise<void>): Promise<{ log: string; error?: unknown }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(format(...args));
  try {
    await fn();
    return { log: lines.join('\n') };
  } catch (error) {
    // After a failed build, HubSpot's manifest plugin still checks modules for a moment
    // (utils.js isExtensionFile); let it finish into the capture, not onto the terminal.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { log: lines.join('\n'), error };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

const BROWSER_EXTERNAL = /Module "([^"]+)" has been externalized for browser compatibility, imported by "([^"]+)"/g;

/** Strip ANSI colours so messages can be matched and printed plainly. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** `npm install --package-lock-only` (when there is no lockfile) and `npm ci` in `extensionRoot`, as uie build does. */
export async function installExtensionDependencies(extensionRoot: string, entrypoint: string): Promise<void> {
  const run = async (command: string) => {
    try {
      await execAsync(command, { cwd: extensionRoot, maxBuffer: 16 * 1024 * 1024 });
    } catch (e) {
      const { stderr, message } = e as { stderr?: string; message: string };
      const text = plain(stderr?.trim() || message);
      const missing = /404 {2}The requested resource '(.+?)@[^@']*' could not be found/.exec(text)?.[1];
      const hint = missing
        ? `\n'${missing}' is not on npm and not in the upload: HubSpot uploads only srcDir, plus the workspaces and file: dependencies that package.json files under srcDir declare (src/package.json).`
        : '';
      throw new RemoteBuildError(entrypoint, `\`${command}\` failed in ${extensionRoot}:\n${text}${hint}`);
    }
  };
  if (!existsSync(path.join(extensionRoot, 'package-lock.json'))) await run('npm install --package-lock-only --prefer-offline');
  await run('npm ci --ignore-scripts --no-audit --no-optional --no-fund --prefer-offline');
}

/**
 * remoteBuild one entry (absolute path `entryFile`, listed as `entrypoint`) into `outDir`.
 * Throws RemoteBuildError naming the unresolved import or the Node built-in.
 */
export async function buildExtensionEntry(entryFile: string, entrypoint: string, outDir: string): Promise<BuiltBundle> {
  const root = path.dirname(entryFile);
  const { log, error } = await captureConsole(() => remoteBuild({ root, entryPoint: entryFile, outputDir: outDir, logLevel: 'warn', appConfig: { variables: {} } }));
  const text = plain(log);
  if (error) {
    const message = plain(error instanceof Error ? error.message : String(error));
    throw new RemoteBuildError(entrypoint, `HubSpot's build (remoteBuild) failed: ${message}${text ? `\n${text}` : ''}`);
  }
  const builtins = [...text.matchAll(BROWSER_EXTERNAL)].map(([, id, importer]) => `'${id}' imported by ${importer}`);
  if (builtins.length > 0) {
    throw new RemoteBuildError(
      entrypoint,
      `a Node built-in reaches the card bundle (vite replaced it with an empty __vite-browser-external module, so it is {} in HubSpot): ${[...new Set(builtins)].join('; ')}`,
    );
  }
  const bundle = readdirSync(outDir).find((f) => f.endsWith('.js'));
  if (!bundle) throw new RemoteBuildError(entrypoint, `remoteBuild wrote no bundle into ${outDir}`);
  return { entrypoint, bytes: statSync(path.join(outDir, bundle)).size };
}

/** Parse a hsmeta file's entrypoint for the UI-extension types HubSpot bundles. */
export function uiExtensionEntrypoint(hsmetaFile: string): string | undefined {
  const meta = JSON.parse(readFileSync(hsmetaFile, 'utf8')) as { type?: unknown; config?: { entrypoint?: unknown } };
  const bundled = meta.type === 'card' || meta.type === 'settings' || meta.type === 'page';
  return bundled && typeof meta.config?.entrypoint === 'string' ? meta.config.entrypoint : undefined;
}
