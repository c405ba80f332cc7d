/**
 * HubSpot renders hs_note_body and hs_task_body as HTML
 * (https://developers.hubspot.com/docs/api/crm/notes — "the note's text content,
 * limited to 65,536 characters", shown in the record timeline as rich text). The
 * bodies we write interpolate text anyone with edit rights, an import or an
 * integration can set (tossup_handoff_reason, tossup_bant_notes, reject reasons,
 * names), so the whole plain-text body is escaped here and its lines become
 * markup of our own: blank-line separated blocks → <p>, single line breaks → <br>.
 * Pure; the gateway (app/src/hubspot/engagements.ts) applies it to every task and
 * note body, so no writer can forget it.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Plain text (lines joined with \n) → escaped HTML paragraphs. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) => `<p>${lines.map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
}
