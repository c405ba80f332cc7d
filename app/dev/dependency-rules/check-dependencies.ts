/**
 * Checks the import graph of the repository against LAYERS: every import of a
 * file must point to its own layer or one its layer may import, and product code
 * (everything outside tests and tooling) must have no import cycle.
 *
 *   npx tsx app/dev/dependency-rules/check-dependencies.ts [root]
 *
 * Imports are read with TypeScript's own pre-processor (static, type-only,
 * re-exports and dynamic `import()`), so what the compiler sees is what is checked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { LAYERS, type Layer } from './layers';

export interface Violation {
  kind: 'upward' | 'cycle' | 'unresolved' | 'unlayered';
  from: string;
  to?: string;
  message: string;
}

const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
// The packages' `exports` maps, most specific first.
const PACKAGES: Record<string, string> = {
  '@tossup/ui/fixtures/': 'extensions/ui/fixtures/',
  '@tossup/shared/': 'extensions/shared/src/',
  '@tossup/ui/': 'extensions/ui/src/',
};
const SKIP_DIRS = new Set(['node_modules', '.git', '.data', 'dist', 'coverage', 'results', 'screenshots']);

function listSources(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    if (SKIP_DIRS.has(name)) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...listSources(root, rel));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

export function layerOf(file: string): Layer | undefined {
  // Longest matching prefix wins (app/dev/sandbox before app/dev).
  let best: Layer | undefined;
  let bestLen = -1;
  for (const layer of LAYERS) {
    for (const p of layer.paths) {
      if ((file === p || file.startsWith(p)) && p.length > bestLen) {
        best = layer;
        bestLen = p.length;
      }
    }
  }
  return best;
}

function resolve(root: string, from: string, spec: string): string | null | undefined {
  let base: string | undefined;
  if (spec.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else {
    const pkg = Object.keys(PACKAGES).find((p) => spec.startsWith(p));
    if (!pkg) return undefined; // a third-party package: not ours to layer
    base = PACKAGES[pkg] + spec.slice(pkg.length);
  }
  for (const ext of ['', '.ts', '.tsx', '.mts', '.js', '/index.ts', '/index.tsx']) {
    const candidate = base + ext;
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return null;
}

/** Every import edge of the tree: from → to (repository-relative paths). */
export function importGraph(root: string): { edges: Map<string, string[]>; unresolved: Violation[] } {
  const edges = new Map<string, string[]>();
  const unresolved: Violation[] = [];
  for (const file of listSources(root)) {
    if (!layerOf(file)) continue;
    const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets: string[] = [];
    for (const ref of info.importedFiles) {
      const target = resolve(root, file, ref.fileName);
      if (target === undefined) continue;
      // Tests are type-checked as a whole and hold fixture text the pre-processor may read as imports.
      if (target === null && layerOf(file)?.name === 'test') continue;
      if (target === null) unresolved.push({ kind: 'unresolved', from: file, message: `${file}: import '${ref.fileName}' does not resolve to a file` });
      else targets.push(target);
    }
    edges.set(file, targets);
  }
  return { edges, unresolved };
}

function cycles(edges: Map<string, string[]>, include: (file: string) => boolean): string[][] {
  // Tarjan's strongly connected components; every component with more than one file (or a self-import) is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of (edges.get(v) ?? []).filter(include)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (include(v) && !idx.has(v)) visit(v);
  return found;
}

export function checkDependencies(root: string): Violation[] {
  const { edges, unresolved } = importGraph(root);
  const violations: Violation[] = [...unresolved];
  for (const [from, targets] of edges) {
    const own = layerOf(from)!;
    for (const to of targets) {
      const theirs = layerOf(to);
      if (!theirs) {
        violations.push({ kind: 'unlayered', from, to, message: `${from} imports ${to}, which belongs to no layer (add it to app/dev/dependency-rules/layers.ts)` });
        continue;
      }
      if (theirs === own || own.mayImport.includes('*') || own.mayImport.includes(theirs.name)) continue;
      violations.push({
        kind: 'upward',
        from,
        to,
        message: `${from} (${own.name}) imports ${to} (${theirs.name}); ${own.name} may import only ${[own.name, ...own.mayImport].join(', ')}`,
      });
    }
  }
  const product = (f: string) => {
    const l = layerOf(f)?.name;
    return l !== undefined && l !== 'test' && l !== 'dev' && l !== 'dev-sandbox';
  };
  for (const component of cycles(edges, product)) {
    violations.push({ kind: 'cycle', from: component[0]!, message: `import cycle: ${component.join(' → ')}` });
  }
  return violations;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  const root = path.resolve(process.argv[2] ?? '.');
  const violations = checkDependencies(root);
  for (const v of violations) console.error(v.message);
  console.log(violations.length === 0 ? 'dependency rules: ok' : `dependency rules: ${violations.length} violation(s)`);
  process.exit(violations.length === 0 ? 0 : 1);
}
