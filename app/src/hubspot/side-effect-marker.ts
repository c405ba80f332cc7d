import { createHash } from 'node:crypto';

/**
 * Every task and note the app creates carries a marker derived from its
 * idempotency key, written into the body. If the process dies after HubSpot
 * created the object but before we recorded its id, recovery searches for the
 * marker (CONTAINS_TOKEN on hs_task_body / hs_note_body) instead of creating a
 * second one.
 *
 * The marker is one search token: letters and hex digits only, because HubSpot's
 * tokenizer splits on punctuation. It is a visible footer line rather than a
 * hidden HTML element, since HubSpot may sanitise hidden markup out of bodies and
 * the marker must survive to be found.
 * https://developers.hubspot.com/docs/api/crm/search#search-by-token
 */
const MARKER_PREFIX = 'tossupref';
const MARKER_PATTERN = /tossupref[0-9a-f]{32}/;

export function sideEffectMarker(portalId: string, key: string): string {
  return MARKER_PREFIX + createHash('sha256').update(`${portalId}\u0000${key}`).digest('hex').slice(0, 32);
}

export function withMarker(body: string, marker: string): string {
  return `${body}\n\n(tossup ref: ${marker})`;
}

export function findMarker(body: string | null | undefined): string | undefined {
  return body ? MARKER_PATTERN.exec(body)?.[0] : undefined;
}
