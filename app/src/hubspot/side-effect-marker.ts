import { createHash } from 'node:crypto';

/**
 * Every task and note the app creates carries a marker derived from its
 * idempotency key, written into the body. If the process dies after HubSpot
 * created the object but before we recorded its id, recovery searches for the
 * marker (CONTAINS_TOKEN on hs_task_body / hs_note_body) instead of creating a
 * second one.
 *
 * The marker is one search token: letters and hex digits only, because HubSpot's
 * tokenizer splits on punctuation. It sits after the (escaped) body in a span styled
 * display:none, so the timeline does not show it. If HubSpot's sanitiser drops the
 * style attribute (UNVERIFIED, docs/hubspot-platform.md), the token is still in the
 * text and still found; sanitisers keep the text of elements they unwrap.
 * https://developers.hubspot.com/docs/api/crm/search#search-by-token
 */
const MARKER_PREFIX = 'tossupref';
const MARKER_PATTERN = /tossupref[0-9a-f]{32}/;

export function sideEffectMarker(portalId: string, key: string): string {
  return MARKER_PREFIX + createHash('sha256').update(`${portalId}\u0000${key}`).digest('hex').slice(0, 32);
}

/** `html` (already escaped, app/src/domain/html-text.ts) with the marker in a hidden span; the marker is [a-z0-9] only, so it needs no escaping. */
export function withMarker(html: string, marker: string): string {
  return `${html}<span style="display:none">${marker}</span>`;
}

/** Text or HTML without any marker: the hidden span, a bare token, or the visible footer of bodies written before the span. */
export function withoutMarkers(text: string): string {
  return text
    .replace(/<span style="display:none">tossupref[0-9a-f]{32}<\/span>/g, '')
    .replace(/\(tossup ref: tossupref[0-9a-f]{32}\)/g, '')
    .replace(/tossupref[0-9a-f]{32}/g, '');
}

export function findMarker(body: string | null | undefined): string | undefined {
  return body ? MARKER_PATTERN.exec(body)?.[0] : undefined;
}
