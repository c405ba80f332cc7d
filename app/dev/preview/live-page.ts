import { escapeHtml } from './render-to-html';
import { LIVE_SESSION_SCRIPT } from './live-session';

/**
 * The chrome around the live cards: a user picker (whose eyes the cards see with),
 * links between a contact, its company and its deal, and the clickable cards.
 * What it lists comes from the portal (sandbox-mode.ts passes the sandbox's).
 */
export type LiveObjectType = 'contacts' | 'companies' | 'deals';

export interface LivePortalDirectory {
  users(): { userId: number; name: string; team: string }[];
  /** Records associated with one record, with a label each. */
  linksOf(type: LiveObjectType, id: string): { type: LiveObjectType; id: string; label: string }[];
  label(type: LiveObjectType, id: string): string;
  /** A few contacts to start from (the index page). */
  contacts(): { id: string; label: string }[];
}

const TYPE_LABEL: Record<LiveObjectType, { ja: string; en: string }> = {
  contacts: { ja: 'コンタクト', en: 'Contact' },
  companies: { ja: '会社', en: 'Company' },
  deals: { ja: '取引', en: 'Deal' },
};

export function userPicker(dir: LivePortalDirectory | undefined, userId: string, en: boolean): string {
  if (!dir) return '';
  const options = dir.users().map((u) => `<option value="${u.userId}"${String(u.userId) === userId ? ' selected' : ''}>${escapeHtml(`${u.name} — ${u.team} (${u.userId})`)}</option>`);
  return `<label class="field" style="max-width:420px">${en ? 'Viewing as' : '表示ユーザー'}<select id="user-picker" data-testid="user-picker">${userId ? '' : '<option selected>—</option>'}${options.join('')}</select></label><script>${PICKER_SCRIPT}</script>`;
}

/** Record pages reload as the picked user; the index page points its links at them. */
const PICKER_SCRIPT = `document.getElementById('user-picker').addEventListener('change', (e) => {
  const links = document.querySelectorAll('a.as-user');
  if (links.length) { links.forEach((a) => { const x = new URL(a.href); x.searchParams.set('user', e.target.value); a.href = x.href; }); return; }
  const u = new URL(location.href); u.searchParams.set('user', e.target.value); location.href = u.href;
});`;

export function recordLinks(dir: LivePortalDirectory | undefined, type: LiveObjectType, id: string, query: string, en: boolean): string {
  if (!dir) return '';
  const links = dir.linksOf(type, id).map((l) => `<a href="../${l.type}/${l.id}${query}" data-testid="link-${l.type}-${l.id}">${escapeHtml(`${en ? TYPE_LABEL[l.type].en : TYPE_LABEL[l.type].ja}: ${l.label}`)}</a>`);
  return `<nav class="links">${escapeHtml(`${en ? TYPE_LABEL[type].en : TYPE_LABEL[type].ja} ${dir.label(type, id)}`)} — ${links.length ? links.join(' ') : en ? 'no associated records' : '関連レコードなし'}</nav>`;
}

/** The cards of a session, with the script that sends events back (eventsUrl is relative to the page). */
export function liveCards(sessionId: string, eventsUrl: string, html: string, layout: 'row' | 'column'): string {
  return `<p id="live-status" class="micro" aria-live="polite"></p><div id="cards" class="flex dir-${layout} gap-lg align-start" data-session="${escapeHtml(sessionId)}" data-events="${escapeHtml(eventsUrl)}">${html}</div><script>${LIVE_SESSION_SCRIPT}</script>`;
}

export function liveIndexExtras(dir: LivePortalDirectory | undefined): string {
  if (!dir) return '';
  const users = dir.users();
  const first = users[0]?.userId ?? '';
  const contacts = dir.contacts().map((c) => `<li><a class="as-user" href="contacts/${c.id}?user=${first}">${escapeHtml(c.label)}</a></li>`);
  return `${userPicker(dir, '', false)}<h2>コンタクト / Contacts</h2><ul>${contacts.join('')}</ul>`;
}
