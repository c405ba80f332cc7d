import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../app/dev/dependency-rules/check-dependencies';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('dependency rules (docs/architecture.md)', () => {
  it('the repository has no upward import, no unresolved import and no cycle in product code', () => {
    expect(checkDependencies(ROOT).map((v) => v.message)).toEqual([]);
  });

  describe('the checker fails on a bad tree', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tossup-deps-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    // Built at run time so that this file's own text holds no import the checker would read.
    const imp = (names: string, spec: string, type = false) => `import ${type ? 'type ' : ''}{ ${names} } from '${spec}';\n`;
    write('app/src/domain/score.ts', imp('query', '../storage/inbox-store') + 'export const score = query;\n');
    write('app/src/storage/inbox-store.ts', "export const query = 1;\n");
    write('app/src/worker/a.ts', imp('b', './b') + 'export const a = b;\n');
    write('app/src/worker/b.ts', imp('a', './a', true) + 'export const b = 2 as unknown as typeof a;\n');
    write('app/src/card-api/route.ts', imp('a', '../worker/a') + imp('x', './missing') + 'export const r = [a, x];\n');
    write('app/dev/bench/run.ts', imp('kit', '../../test/kit') + 'export const k = kit;\n');
    write('app/test/kit.ts', 'export const kit = 1;\n');
    write('extensions/shared/src/dto.ts', imp('query', '../../../app/src/storage/inbox-store') + 'export const d = query;\n');
    const found = checkDependencies(dir);
    const messages = found.map((v) => `${v.kind}: ${v.message}`);

    it('an import from the pure core into storage', () => {
      expect(messages).toContainEqual(expect.stringMatching(/^upward: app\/src\/domain\/score.ts \(domain\) imports app\/src\/storage\/inbox-store.ts \(storage\)/));
    });
    it('a sibling edge importing another edge (card API → worker)', () => {
      expect(messages).toContainEqual(expect.stringMatching(/^upward: app\/src\/card-api\/route.ts \(card-api\) imports app\/src\/worker\/a.ts \(worker\)/));
    });
    it('tooling importing tests, and the shared package importing the backend', () => {
      expect(messages).toContainEqual(expect.stringMatching(/^upward: app\/dev\/bench\/run.ts \(dev\) imports app\/test\/kit.ts \(test\)/));
      expect(messages).toContainEqual(expect.stringMatching(/^upward: extensions\/shared\/src\/dto.ts \(shared\) imports app\/src\/storage/));
    });
    it('a cycle, also through a type-only import', () => {
      expect(messages).toContainEqual('cycle: import cycle: app/src/worker/a.ts → app/src/worker/b.ts');
    });
    it('an import that resolves to no file', () => {
      expect(messages).toContainEqual(expect.stringMatching(/^unresolved: app\/src\/card-api\/route.ts: import '.\/missing'/));
    });
  });
});
