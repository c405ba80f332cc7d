/**
 * A short fingerprint of a settings document, the same in the backend and on the
 * settings page, so the page can tell whether a full-portal impact run (issue 16)
 * belongs to the draft it shows. Keys are sorted first, so two documents with the
 * same content in a different key order agree. FNV-1a (64-bit, as two 32-bit
 * halves) is enough: this marks staleness, it guards nothing.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function settingsFingerprint(settings: unknown): string {
  const text = canonical(settings);
  // Two independent 32-bit FNV-1a hashes (different offset bases) make a 64-bit fingerprint without BigInt.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
