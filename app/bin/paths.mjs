// Where the compiled backend lives (shared by build.mjs and start.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT_DIR = path.join(ROOT, 'dist/app/src');
export const ENTRY = path.join(OUT_DIR, 'main.js');
export const BUILD_SCRIPT = path.join(ROOT, 'app/bin/build.mjs');
/** The benchmark's backend child (app/dev/bench/backend-process.ts), built next to main.js by `build.mjs --bench`. */
export const BENCH_ENTRY_NAME = 'bench-backend';
export const BENCH_ENTRY = path.join(OUT_DIR, `${BENCH_ENTRY_NAME}.js`);
