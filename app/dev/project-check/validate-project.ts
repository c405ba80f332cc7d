import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { REPO_ROOT } from '../../src/platform/app-manifest';

/**
 * Offline structural check of the HubSpot project, done by HubSpot's own parser.
 *
 * `hs project validate` needs an authenticated account because
 * `@hubspot/project-parsing-lib` fetches the component JSON schemas from HubSpot
 * (`src/lib/schemas.js`: GET project-components-external/project-schemas/v3/{platformVersion}).
 * Everything else `translate(…, { skipValidation: false })` checks is local: the directory
 * of each component type, uid syntax and uniqueness, singular components (one app, one
 * settings, one webhooks), allowed top-level keys, the `app` parent, the platform version
 * (docs/hubspot-platform.md §1.2, §1.8; package source
 * node_modules/@hubspot/project-parsing-lib/src/lib/{translate,validation,files,uid}.js).
 *
 * So we run the real `translate` with its schema fetch replaced by a permissive stub: an
 * empty JSON schema per component type, which accepts any `config`. HubSpot's real component
 * schemas are not shipped by any npm package (checked: @hubspot/cli 8.14.0, local-dev-lib
 * 5.10.3, project-parsing-lib 0.23.0, ui-extensions-dev-server 2.1.2, mcp-server 0.4.0), so
 * this check cannot fail on config content. Config contents are checked instead by our own
 * zod schemas (hsmeta-schemas.ts: app, card, settings and webhooks config), which encode
 * HubSpot's documentation and tossup's needs, not HubSpot's schema files. Whether the upload
 * builds is `npm run check:hubspot` (check-hubspot-upload.ts). The stub is
 * injected with a Node module-customization hook (`module.register`), which has to be
 * registered before the library loads and stays for the life of the process. That is why
 * the check runs in a short-lived child process: the caller's module graph (vitest, the
 * server) is never touched, and nothing global leaks.
 *
 * No network, by construction: the real `schemas.js` is never evaluated, and the child is
 * given no `accountId`, so even if the stub failed to apply the real fetch would throw
 * "Account id is required to fetch component schemas" before opening a socket.
 */

export interface ProjectComponent {
  uid: string;
  /** User-facing type as written in the hsmeta file, e.g. `card`. */
  type: string;
  /** Path of the hsmeta file relative to the project directory, POSIX separators. */
  file: string;
}

export interface ProjectCheckIssue {
  /** File the problem is in, relative to the project directory (POSIX separators). */
  file: string;
  message: string;
}

export interface ProjectCheckResult {
  ok: boolean;
  platformVersion?: string;
  /** `srcDir` from hsproject.json, as written there. */
  srcDir?: string;
  /** Components HubSpot's parser produced (empty when translation failed). */
  components: ProjectComponent[];
  /** hsmeta files HubSpot ignores because they are not directly in a component directory. */
  skippedHsMetaFiles: string[];
  /**
   * True when the parser got as far as asking for schemas, i.e. the full structural
   * validation ran (on our stub). False means it stopped earlier (bad hsproject.json,
   * unknown platform version, duplicate uid…), which `errors` explains.
   */
  fullValidation: boolean;
  errors: ProjectCheckIssue[];
}

export interface ValidateProjectOptions {
  /** Node binary for the child. Default: the repo's Node 22 (`node_modules/.bin/node`), else this process's. */
  nodeBinary?: string;
  /** Kill the child after this long. The check takes ~0.3 s; the default is generous for a loaded CI box. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The child writes its result to this extra pipe, so library logging on stdout can never corrupt it. */
const RESULT_FD = 3;

/** Everything the child needs, resolved here so the child does no module resolution of its own. */
interface ChildInput {
  projectDir: string;
  libUrl: string;
  schemasUrl: string;
}

function resolveParsingLib(): { libUrl: string; schemasUrl: string } {
  // The package only exports "./translate", "./projects", … ; resolve one of them and walk to
  // the package root. Pinned to 0.23.0 in package.json: the stub targets its internal file
  // layout (src/lib/schemas.js), so a version bump must re-run this check's own tests.
  const require = createRequire(import.meta.url);
  const translateEntry = require.resolve('@hubspot/project-parsing-lib/translate');
  const libRoot = path.resolve(path.dirname(translateEntry), '../..');
  const schemasFile = path.join(libRoot, 'src/lib/schemas.js');
  if (!existsSync(schemasFile)) {
    throw new Error(
      `@hubspot/project-parsing-lib no longer has src/lib/schemas.js (looked in ${libRoot}). ` +
        'The offline check stubs that file; update the stub in app/dev/project-check/validate-project.ts for the new layout.',
    );
  }
  return { libUrl: pathToFileURL(libRoot).href, schemasUrl: pathToFileURL(schemasFile).href };
}

/**
 * Replacement for project-parsing-lib's `src/lib/schemas.js`. It answers with an empty
 * (accept-anything) JSON schema for every component type the library itself knows
 * (`Components` in src/lib/constants.js, mapped with its own `mapToInternalType`), rather
 * than for any key at all: a hsmeta `type` HubSpot does not know still fails with
 * "Unsupported type", as it would online. Relative imports resolve against the original
 * file URL, so these are the library's own modules.
 */
const SCHEMA_STUB_SOURCE = `
import { Components } from './constants.js';
import { mapToInternalType } from './transform.js';
export async function getIntermediateRepresentationSchema() {
  globalThis.__tossupSchemaStubCalled = true;
  return Object.fromEntries(Object.keys(Components).map((type) => [mapToInternalType(type), {}]));
}
`;

/** Module-customization hooks (https://nodejs.org/docs/latest-v22.x/api/module.html#customization-hooks). */
const HOOKS_SOURCE = `
let schemasUrl;
export async function initialize(data) { schemasUrl = data.schemasUrl; }
export async function load(url, context, nextLoad) {
  if (url === schemasUrl) return { format: 'module', shortCircuit: true, source: ${JSON.stringify(SCHEMA_STUB_SOURCE)} };
  return nextLoad(url, context);
}
`;

/**
 * The child: register the hooks, then load the library and translate. It prints one JSON
 * document on fd 3 and exits 0 whenever it could judge the project; a crash exits non-zero.
 */
const CHILD_SOURCE = `
import { register } from 'node:module';
import { writeSync } from 'node:fs';
import path from 'node:path';
const input = JSON.parse(process.argv[1]);
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS_SOURCE)}), { data: { schemasUrl: input.schemasUrl } });

const lib = (p) => import(input.libUrl + '/src/' + p);
const { translate, isTranslationError } = await lib('exports/translate.js');
const { parseProjectConfig, isKnownPlatformVersion, isLegacyProject } = await lib('exports/projects.js');
const { PLATFORM_VERSIONS } = await lib('exports/constants.js');
// Not exported by the package; the same function translate() uses to find (and skip) hsmeta files.
const { locateHsMetaFiles } = await lib('lib/files.js');
const { mapToUserFacingType } = await lib('lib/transform.js');

const posix = (p) => p.split(path.sep).join('/');
const out = { ok: false, components: [], skippedHsMetaFiles: [], fullValidation: false, errors: [] };
const fromProject = (absolute) => posix(path.relative(input.projectDir, absolute)) || '.';
const emit = () => { writeSync(${RESULT_FD}, JSON.stringify(out)); };

let config;
try {
  config = parseProjectConfig(input.projectDir);
} catch (e) {
  out.errors.push({ file: 'hsproject.json', message: e instanceof Error ? e.message : String(e) });
  emit();
  process.exit(0);
}
out.platformVersion = config.platformVersion;
out.srcDir = config.srcDir;
const srcDir = path.resolve(input.projectDir, config.srcDir);
const known = Object.values(PLATFORM_VERSIONS).filter((v) => v !== 'unstable').join(', ');
if (!isKnownPlatformVersion(config.platformVersion)) {
  out.errors.push({ file: 'hsproject.json', message: "Unsupported platform version: '" + config.platformVersion + "'. Use one of: " + known + '.' });
} else if (isLegacyProject(config.platformVersion)) {
  out.errors.push({ file: 'hsproject.json', message: "platformVersion '" + config.platformVersion + "' is legacy: HubSpot rejects *-hsmeta.json projects below 2025.2 and the marketplace requires 2025.2 or later." });
}
if (out.errors.length > 0) { emit(); process.exit(0); }

const { skippedFiles } = await locateHsMetaFiles(srcDir);
out.skippedHsMetaFiles = skippedFiles.map((f) => fromProject(path.join(srcDir, f)));
for (const file of out.skippedHsMetaFiles) {
  out.errors.push({ file, message: 'HubSpot skips this hsmeta file (upload only warns): a *-hsmeta.json must sit directly in its component directory (src/app, src/app/cards, src/app/settings, src/app/webhooks, …), not in a subfolder. Move it up.' });
}

try {
  const { intermediateRepresentation } = await translate({ projectSourceDir: srcDir, platformVersion: config.platformVersion }, { skipValidation: false });
  out.components = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid).map((node) => ({
    uid: node.uid,
    type: mapToUserFacingType(node.componentType),
    file: fromProject(path.join(srcDir, node.metaFilePath)),
  }));
} catch (e) {
  if (isTranslationError(e)) {
    for (const { file, errors } of e.errors) {
      for (const message of errors) out.errors.push({ file: fromProject(path.join(srcDir, file)), message });
    }
  } else {
    // Thrown before per-file validation: duplicate uid, no hsmeta files at all, …
    out.errors.push({ file: fromProject(srcDir), message: e instanceof Error ? e.message : String(e) });
  }
}
out.fullValidation = globalThis.__tossupSchemaStubCalled === true;
out.ok = out.errors.length === 0;
emit();
`;

const projectCheckResultSchema = z.object({
  ok: z.boolean(),
  platformVersion: z.string().optional(),
  srcDir: z.string().optional(),
  components: z.array(z.object({ uid: z.string(), type: z.string(), file: z.string() })),
  skippedHsMetaFiles: z.array(z.string()),
  fullValidation: z.boolean(),
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
});

function defaultNodeBinary(): string {
  // CONTRIBUTING: everything runs on the Node 22 installed as a devDependency.
  const repoNode = path.join(REPO_ROOT, 'node_modules/.bin/node');
  return existsSync(repoNode) ? repoNode : process.execPath;
}

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // Makes isKnownPlatformVersion() accept anything (platformVersion.js); never honour it here.
  delete env.HUBSPOT_PROJECT_INTERNAL_TEST;
  // The caller's loaders (tsx, vitest) must not shape the child's module graph.
  delete env.NODE_OPTIONS;
  return env;
}

function collect(stream: Readable | Writable | null | undefined, what: string): Buffer[] {
  if (!(stream instanceof Readable)) throw new Error(`project check: the child's ${what} was not opened as a pipe`);
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

/**
 * Run HubSpot's project parser over `projectDir` (the folder holding hsproject.json) with
 * full structural validation and no network. Resolves with every problem found; rejects
 * only if the check itself could not run (child crashed or timed out).
 */
export async function validateProjectOffline(projectDir: string, options: ValidateProjectOptions = {}): Promise<ProjectCheckResult> {
  const { libUrl, schemasUrl } = resolveParsingLib();
  const input: ChildInput = { projectDir: path.resolve(projectDir), libUrl, schemasUrl };
  const child = spawn(options.nodeBinary ?? defaultNodeBinary(), ['--input-type=module', '--eval', CHILD_SOURCE, JSON.stringify(input)], {
    cwd: REPO_ROOT,
    env: childEnv(),
    // stdout is unused (the result has its own pipe); stderr is kept for the crash message.
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const [, , stderr, resultPipe] = child.stdio;
  const stderrChunks = collect(stderr, 'stderr');
  const resultChunks = collect(resultPipe, `result pipe (fd ${RESULT_FD})`);

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve({ code: c, signal: s }));
  });
  const raw = Buffer.concat(resultChunks).toString('utf8');
  if (code !== 0 || raw === '') {
    const stderrText = Buffer.concat(stderrChunks).toString('utf8').trim();
    throw new Error(
      `project check for ${projectDir} did not complete (exit ${code ?? 'none'}${signal ? `, signal ${signal}` : ''}). ` +
        `If it timed out, raise timeoutMs. Child stderr:\n${stderrText || '(empty)'}`,
    );
  }
  return projectCheckResultSchema.parse(JSON.parse(raw));
}
