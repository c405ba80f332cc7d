/**
 * `pipeline_written_values` (0100_pipeline.sql): the last value we wrote to each
 * contact property, so the webhook echoing our own write is recognised and skipped
 * (app/src/engine/own-writes.ts). The only SQL for the table.
 */
import type { Queryable } from './database';

/** Rows per INSERT statement (3 parameters each plus 2 shared, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;

/** objectId:propertyName → the value we last wrote. */
export type WrittenValues = Map<string, string>;

/** Notes the values about to be written (insert or replace per object and property). */
export async function recordWrittenValues(
  db: Queryable,
  portalId: string,
  updates: readonly { id: string; properties: Record<string, string> }[],
  now: number,
): Promise<void> {
  const rows = updates.flatMap((u) => Object.entries(u.properties).map(([name, value]) => [u.id, name, value] as const));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const group = rows.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [portalId, now];
    const values = group.map(([id, name, value]) => {
      params.push(id, name, value);
      const n = params.length;
      return `($1, $${n - 2}, $${n - 1}, $${n}, $2)`;
    });
    await db.query(
      `insert into pipeline_written_values (portal_id, object_id, property_name, value, written_at) values ${values.join(', ')}
       on conflict (portal_id, object_id, property_name) do update set value = excluded.value, written_at = excluded.written_at`,
      params,
    );
  }
}

export async function loadWrittenValues(db: Queryable, portalId: string, objectIds: readonly string[]): Promise<WrittenValues> {
  const out: WrittenValues = new Map();
  if (objectIds.length === 0) return out;
  const res = await db.query<{ object_id: number; property_name: string; value: string }>(
    'select object_id, property_name, value from pipeline_written_values where portal_id = $1 and object_id = any($2::bigint[])',
    [portalId, [...new Set(objectIds)]],
  );
  for (const r of res.rows) out.set(`${r.object_id}:${r.property_name}`, r.value);
  return out;
}

export async function deleteWrittenValuesOfObject(tx: Queryable, portalId: string, objectId: string): Promise<void> {
  await tx.query('delete from pipeline_written_values where portal_id = $1 and object_id = $2', [portalId, objectId]);
}

/**
 * When we last wrote each contact (the latest written_at over its properties): the
 * reconciliation sweep skips a contact whose hs_lastmodifieddate is that write's
 * (app/src/worker/reconcile-sweep.ts).
 */
export async function loadLastWrittenAt(db: Queryable, portalId: string, objectIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (objectIds.length === 0) return out;
  const res = await db.query<{ object_id: number | string; written_at: number | string }>(
    'select object_id, max(written_at) as written_at from pipeline_written_values where portal_id = $1 and object_id = any($2::bigint[]) group by object_id',
    [portalId, [...new Set(objectIds)]],
  );
  for (const r of res.rows) out.set(String(r.object_id), Number(r.written_at));
  return out;
}
