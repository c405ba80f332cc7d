// `npm start`: always runs the compiled backend (dist/app/src/main.js, plain
// JavaScript, no TypeScript loader). How it decides:
//   1. dist/ is missing, or a source file (app/src, app/dev/sandbox, app/dev/preview,
//      extensions/*/src) is newer than it  -> build first (app/bin/build.mjs in a child, ~0.5 s),
//      if esbuild (a devDependency) is installed; otherwise run what is there, or
//      stop with a message when nothing is built.
//   2. run it in this process. main.js then picks the mode from the environment:
//      HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET set -> production; neither ->
//      the local sandbox (docs/product.md, "External contract / Environment").
// So a newcomer's `npm install && npm start` builds once and opens the sandbox, and a
// deployment runs `npm run build` when it builds its image and starts with
// `node dist/app/src/main.js` (or `npm start`, which then finds dist/ current).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { BUILD_SCRIPT, ENTRY, ROOT } from './paths.mjs';

const SOURCE_DIRS = ['app/src', 'app/dev/sandbox', 'app/dev/preview', 'extensions/shared/src', 'extensions/ui/src'];

function newestSourceMtime() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  return newest;
}

function esbuildInstalled() {
  try {
    import.meta.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

function ensureBuilt() {
  const built = existsSync(ENTRY);
  if (built && statSync(ENTRY).mtimeMs >= newestSourceMtime()) return;
  if (!esbuildInstalled()) {
    if (built) return; // production install without devDependencies: run the build that is there
    process.stderr.write('tossup: dist/ is not built and esbuild is not installed; run `npm install` then `npm run build`\n');
    process.exit(1);
  }
  // In a child process, so the bundler's memory is not carried by the backend that runs next.
  const r = spawnSync(process.execPath, [BUILD_SCRIPT, '--incremental'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureBuilt();
// Under `npm start` the parent is npm's shell, which does not pass a signal on: when
// npm or its shell is stopped (Ctrl+C in another pane, SIGTERM, even SIGKILL), this
// process is re-parented. Treat that as SIGTERM, so the servers never outlive npm.
const parentAtStart = process.ppid;
globalThis.setInterval(() => {
  if (process.ppid !== parentAtStart) process.kill(process.pid, 'SIGTERM');
}, 500).unref();
await import(pathToFileURL(ENTRY).href);
