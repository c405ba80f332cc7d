import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

/**
 * Versioned migrations: every `NNNN_name.sql` in ./migrations, applied in file-name
 * order, each once, inside one transaction holding an advisory lock so that two
 * processes starting together on one server do not race.
 *
 * Numbering by owner, so parallel work does not collide: 0001–0099 foundation,
 * 0100–0199 webhook pipeline, 0200–0299 engine, 0300–0399 card API.
 */
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same in every tossup process.
const MIGRATION_LOCK_KEY = 7_460_001;

export interface Migration {
  version: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query('create table if not exists schema_migrations (version text primary key, applied_at bigint not null)');
    const done = new Set((await tx.query<{ version: string }>('select version from schema_migrations')).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // Statements are split on ';' at line ends; migration files keep to that form.
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, applied_at) values ($1, $2)', [m.version, Date.now()]);
      applied.push(m.version);
    }
    return applied;
  });
}

export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
