// `npm run build`: compiles the backend (app/src, plus app/dev/sandbox and the card
// preview that sandbox mode loads, plus the @tossup/* workspace packages) into
// plain JavaScript under dist/, so production runs `node dist/app/src/main.js`
// with no TypeScript loader.
//
// Why esbuild and a bundle: the sources use extensionless relative imports
// (moduleResolution "Bundler"), which Node's ESM loader does not resolve, and tsc
// cannot rewrite them. esbuild resolves them at build time. npm packages stay
// external (node_modules is resolved at run time as usual); only our own code and
// the @tossup/* workspaces (which export .ts sources) are bundled. Type checking
// is `npm run typecheck`; this step only emits.
//
// Why dist/app/src/: a few modules locate files next to themselves through
// import.meta.url (app/src/platform/app-manifest.ts -> repository root,
// app/src/storage/migrate.ts -> migrations/, app/dev/sandbox/create-sandbox.ts ->
// src/app/). Emitting at the same depth as app/src keeps those relative paths
// right, and the SQL migrations are copied next to the bundle.
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';
import { BENCH_ENTRY, BENCH_ENTRY_NAME, ENTRY, OUT_DIR, ROOT } from './paths.mjs';

/** Bundle our code, leave every npm package to Node. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@tossup/') || path.isAbsolute(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * clean: remove dist/ first (`npm run build` does; start.mjs's rebuild does not).
 * bench: also emit dist/app/src/bench-backend.js (app/dev/bench/backend-process.ts), the
 * benchmark's backend child, in the same build: it loads the very chunks main.js loads, so
 * the bench measures the production code as compiled, run by `node` with no loader.
 */
export async function buildBackend({ quiet = false, clean = false, bench = false } = {}) {
  const started = Date.now();
  if (clean) rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'app/src/main.ts', ...(bench ? { [BENCH_ENTRY_NAME]: 'app/dev/bench/backend-process.ts' } : {}) },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true, // sandbox mode is a dynamic import: its own chunk, not loaded in production
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    jsx: 'automatic',
    tsconfig: path.join(ROOT, 'tsconfig.build.json'),
    plugins: [externalPackages],
    logLevel: quiet ? 'warning' : 'info',
    write: false,
  });
  // Each file lands by rename (atomic), chunks before the entry files: a process starting while
  // another rebuilds (two `npm start`s, parallel tests) never loads a half-written file.
  const isEntry = (file) => file.path === ENTRY || file.path === BENCH_ENTRY;
  const files = [...result.outputFiles].sort((a, b) => Number(isEntry(a)) - Number(isEntry(b)));
  for (const file of files) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  // esbuild keeps a service child process (~50 MB) alive for further builds; start.mjs goes on to run the backend in this process.
  await stop();
  cpSync(path.join(ROOT, 'app/src/storage/migrations'), path.join(OUT_DIR, 'migrations'), { recursive: true });
  if (!quiet) process.stdout.write(`tossup: built ${path.relative(ROOT, ENTRY)} in ${Date.now() - started} ms\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --incremental (start.mjs): keep dist/ in place so a process running the previous build keeps its chunks.
  // --bench (app/dev/bench/child-process.ts): also the bench's backend child, see buildBackend.
  const incremental = process.argv.includes('--incremental');
  buildBackend({ clean: !incremental, quiet: incremental, bench: process.argv.includes('--bench') }).catch((err) => {
    process.stderr.write(`tossup: build failed / ビルドに失敗しました: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
