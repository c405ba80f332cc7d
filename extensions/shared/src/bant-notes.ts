/**
 * `tossup_bant_notes` is one HubSpot text property ("what IS heard, per item",
 * docs/product.md). It is stored as one readable line per item so that people reading
 * the property in HubSpot, in reports or in the hand-off note see the same thing
 * the card shows:
 *
 *   予算 / Budget: 来期予算で検討
 *   ニーズ / Need: 問い合わせ対応の工数削減
 *
 * Parsing is lenient (anyone may edit the property by hand): a line is matched by
 * its Japanese or English label, or the bare item key; unmatched text is kept under
 * `other` so nothing a person typed is silently lost.
 */
import { BANT_ITEMS, type BantItem } from './card-dto';

export const BANT_NOTE_LABELS: Record<BantItem, { ja: string; en: string }> = {
  budget: { ja: '予算', en: 'Budget' },
  authority: { ja: '決裁者', en: 'Authority' },
  need: { ja: 'ニーズ', en: 'Need' },
  timeline: { ja: '検討時期', en: 'Timeline' },
};

export type BantNotes = Record<BantItem, string>;

export function emptyBantNotes(): BantNotes {
  return { budget: '', authority: '', need: '', timeline: '' };
}

/** One line per non-empty note; newlines inside a note become spaces so the line format holds. */
export function serializeBantNotes(notes: BantNotes, other = ''): string {
  const lines = BANT_ITEMS.filter((item) => notes[item].trim() !== '').map(
    (item) => `${BANT_NOTE_LABELS[item].ja} / ${BANT_NOTE_LABELS[item].en}: ${notes[item].replace(/\s*\r?\n\s*/g, ' ').trim()}`,
  );
  if (other.trim() !== '') lines.push(other.trim());
  return lines.join('\n');
}

function itemOfLabel(label: string): BantItem | undefined {
  const l = label.trim().toLowerCase();
  return BANT_ITEMS.find((item) => {
    const { ja, en } = BANT_NOTE_LABELS[item];
    return l === item || l === ja.toLowerCase() || l === en.toLowerCase() || l === `${ja} / ${en}`.toLowerCase();
  });
}

export function parseBantNotes(text: string | null | undefined): { notes: BantNotes; other: string } {
  const notes = emptyBantNotes();
  const other: string[] = [];
  for (const line of (text ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const match = /^([^:：]{1,40})[:：]\s*(.*)$/.exec(line);
    const item = match ? itemOfLabel(match[1] ?? '') : undefined;
    if (match && item) notes[item] = notes[item] ? `${notes[item]} ${match[2] ?? ''}`.trim() : (match[2] ?? '').trim();
    else other.push(line.trim());
  }
  return { notes, other: other.join('\n') };
}
