/**
 * JSON with object keys sorted and undefined members left out, so two values with the
 * same content always give the same text whatever their key order. Used where content
 * is hashed: webhook events without an eventId (app/src/domain/webhook-event.ts) and the
 * settings fingerprint (settings-fingerprint.ts). Browser-safe: no imports.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  // JSON.stringify gives undefined for undefined, functions and symbols (only reachable at the top
  // level or inside an array here); they stand as null, as JSON.stringify writes them in an array.
  return JSON.stringify(value) ?? 'null';
}
