/**
 * A short fingerprint of a settings document, the same in the backend and on the
 * settings page, so the page can tell whether a full-portal impact run (issue 16)
 * belongs to the draft it shows. Keys are sorted first, so two documents with the
 * same content in a different key order agree. FNV-1a (64-bit, as two 32-bit
 * halves) is enough: this marks staleness, it guards nothing.
 */
import { canonicalJson } from './canonical-json';

export function settingsFingerprint(settings: unknown): string {
  const text = canonicalJson(settings);
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
