/**
 * Matching admin-configured words against names and titles. Japanese has no spaces
 * between words, so Japanese words match anywhere; latin words match whole words so
 * "AE" does not match "AEON" and "sales" does not match "Salesforce admins". Short
 * all-capital abbreviations (IS, SDR, BDR, AE, VP, CEO) match only when written in
 * capitals, because the English word "is" would otherwise make any team "Inside Sales".
 */

/** Full-width letters and digits become ASCII (ＳＤＲ → SDR), half-width kana become full-width. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

const NON_ASCII = /[^ -~]/; // anything outside printable ASCII
const ABBREVIATION = /^[A-Z][A-Za-z]{0,2}$/;
const isAsciiWordChar = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9]/.test(ch);

/** Whether `text` contains `word` under the rules above. */
export function matchesWord(text: string, word: string): boolean {
  const w = normalizeText(word).trim();
  if (w === '') return false;
  const t = normalizeText(text);
  if (NON_ASCII.test(w)) return t.toLowerCase().includes(w.toLowerCase());
  const caseSensitive = ABBREVIATION.test(w) && w === w.toUpperCase();
  const haystack = caseSensitive ? t : t.toLowerCase();
  const needle = caseSensitive ? w : w.toLowerCase();
  for (let from = 0; ; ) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    if (!isAsciiWordChar(haystack[at - 1]) && !isAsciiWordChar(haystack[at + needle.length])) return true;
    from = at + 1;
  }
}

/** The first word of `words` that `text` contains (whole-word rules), or undefined. */
export function firstMatchingWord(text: string, words: readonly string[]): string | undefined {
  return words.find((w) => matchesWord(text, w));
}

/** The longest listed word found in `text` (本部長 rather than 部長 in 営業本部長), so a label shows what matched; ties keep list order. */
export function longestMatchingWord(text: string, words: readonly string[]): string | undefined {
  return words.filter((w) => matchesWord(text, w)).reduce<string | undefined>((best, w) => (best === undefined || w.length > best.length ? w : best), undefined);
}

/** Plain case-insensitive substring test (form titles: "Downloads", "資料請求フォーム"). */
export function containsText(text: string, fragment: string): boolean {
  const f = normalizeText(fragment).trim().toLowerCase();
  return f !== '' && normalizeText(text).toLowerCase().includes(f);
}
