import { escapeHtml } from '../domain/html-text';

/** A small bilingual HTML page for the OAuth flow (the only HTML the backend serves outside the preview). */

export function renderPage(title: string, paragraphs: string[]): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#213343}h1{font-size:1.4rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</body></html>`;
}
