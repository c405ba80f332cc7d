import { randomUUID } from 'node:crypto';
import type { ReactElement } from 'react';
import { LoadingButton, LoadingSpinner } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedElementNode } from '@hubspot/ui-extensions/testing';
import { escapeHtml, fire, interactiveHtml, type PreviewLocation, type Renderer } from './render-to-html';

/**
 * The clickable live preview (live-preview.tsx): each page opens a session whose
 * cards keep running in @hubspot/ui-extensions' renderer on the server, exactly as
 * HubSpot's worker runs them. The page sends a click, a tick or a typed value back
 * (node id + event), the session fires that handler on the real component, waits
 * until the card has settled (its requests answered through the signed card API),
 * and answers the new HTML. Nothing is re-implemented in the browser.
 */
export interface LiveCardSpec {
  key: string;
  kind: 'sidebar' | 'tab' | 'settings';
  title: string;
  location: PreviewLocation;
  element: ReactElement;
}

interface LiveCard extends Omit<LiveCardSpec, 'element'> {
  renderer: Renderer;
}

interface Session {
  cards: LiveCard[];
  nodes: Map<number, RenderedElementNode>;
  touched: number;
  queue: Promise<unknown>;
}

const MAX_SESSIONS = 50;
/** How long a handler may take to show its first change (a click on a disabled control shows none). */
const CHANGE_WAIT_MS = 3000;

const snapshot = (s: Session) => s.cards.map((c) => interactiveHtml(c.renderer.getRootNode(), () => 0)).join('');

/** A card has settled when nothing spins and no button waits for an answer. */
function settled(r: Renderer): void {
  if (r.maybeFind(LoadingSpinner)) throw new Error('still loading');
  if (r.findAll(LoadingButton).some((b) => (b.props as { loading?: boolean }).loading)) throw new Error('still saving');
}

export function createLiveSessions(options: { settleTimeoutMs: number }) {
  const sessions = new Map<string, Session>();
  const settle = async (r: Renderer) => {
    // A handler starts its request on the next tick; let it begin before checking.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await r.waitFor(() => settled(r), { timeoutInMs: options.settleTimeoutMs });
  };
  const html = (s: Session) => {
    s.nodes.clear();
    let next = 0;
    const register = (node: RenderedElementNode) => {
      s.nodes.set(++next, node);
      return next;
    };
    return s.cards.map((c) => `<section class="card ${c.kind}" id="card-${escapeHtml(c.key)}"><p class="card-title">${escapeHtml(c.title)}</p>${interactiveHtml(c.renderer.getRootNode(), register)}</section>`).join('');
  };

  return {
    async open(specs: LiveCardSpec[]): Promise<{ id: string; html: string }> {
      const cards: LiveCard[] = [];
      // One after the other: each card opens its own requests, as two cards on one record would.
      for (const spec of specs) {
        const renderer = createRenderer(spec.location);
        renderer.render(spec.element);
        await settle(renderer);
        cards.push({ key: spec.key, kind: spec.kind, title: spec.title, location: spec.location, renderer });
      }
      const id = randomUUID();
      const session: Session = { cards, nodes: new Map(), touched: Date.now(), queue: Promise.resolve() };
      if (sessions.size >= MAX_SESSIONS) {
        const oldest = [...sessions.entries()].sort((a, b) => a[1].touched - b[1].touched)[0];
        if (oldest) sessions.delete(oldest[0]);
      }
      sessions.set(id, session);
      return { id, html: html(session) };
    },
    /** Fires one handler (`onClick`, `onChange`, …) on the node the page named; answers the cards' new HTML. */
    async event(id: string, input: { node: number; event: string; arg?: unknown }): Promise<string> {
      const session = sessions.get(id);
      if (!session) throw new Error('this preview page has expired; reload it / ページの有効期限切れです。再読み込みしてください');
      const run = session.queue.then(async () => {
        session.touched = Date.now();
        const node = session.nodes.get(input.node);
        if (!node) throw new Error(`no control ${input.node} on this page; reload it`);
        if (!/^on[A-Z][A-Za-z]*$/.test(input.event) || typeof (node.props as Record<string, unknown>)[input.event] !== 'function') {
          throw new Error(`${node.name} has no ${input.event} handler`);
        }
        // The handler's first render (a tick, a spinner on the button) comes a little later,
        // under load later still: wait for the cards to change before waiting for them to settle.
        const before = snapshot(session);
        fire(node, input.event, input.arg);
        const changeBy = performance.now() + CHANGE_WAIT_MS;
        while (snapshot(session) === before && performance.now() < changeBy) await new Promise((r) => setTimeout(r, 20));
        for (const c of session.cards) await settle(c.renderer);
        return html(session);
      });
      session.queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** The page's script: clicks, ticks, choices and typed text go to the session; its answer replaces the cards. */
export const LIVE_SESSION_SCRIPT = `
(() => {
  const root = document.getElementById('cards');
  const sid = root.dataset.session;
  const status = document.getElementById('live-status');
  async function send(node, event, arg) {
    document.body.classList.add('busy'); status.textContent = '…';
    try {
      const res = await fetch(root.dataset.events, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: sid, node, event, arg }) });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error || res.status);
      root.innerHTML = answer.html; status.textContent = '';
    } catch (err) { status.textContent = String(err.message || err); }
    finally { document.body.classList.remove('busy'); }
  }
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-node]');
    if (b && !b.disabled) { e.preventDefault(); send(Number(b.dataset.node), 'onClick'); }
  });
  root.addEventListener('change', (e) => {
    const host = e.target.closest('[data-node]');
    if (!host) return;
    const t = e.target;
    const node = Number(host.dataset.node);
    if (t.type === 'checkbox') send(node, 'onChange', t.checked);
    else if (t.tagName === 'SELECT') { const o = t.selectedOptions[0]; send(node, 'onChange', o && o.dataset.value ? JSON.parse(o.dataset.value) : t.value); }
    else if (t.type === 'number') send(node, 'onChange', Number(t.value));
    else send(node, 'onChange', t.value);
  });
})();
`;
