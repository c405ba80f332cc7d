/**
 * Finding 4: 3,000 unauthenticated GET /oauth/install created 3,018 oauth_states
 * rows, and the state was not tied to the browser. Now each install sets an
 * HttpOnly, SameSite=Lax, Secure (https) cookie with the state, the callback
 * refuses a state that is not the browser's (without consuming it), and installs
 * per client are bounded (429 beyond INSTALLS_PER_CLIENT per state lifetime).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootBackend, type BootedBackend } from '../../../test/kit/boot-backend';
import { INSTALLS_PER_CLIENT, STATE_COOKIE } from '../../src/oauth/oauth-router';
import { STATE_TTL_MS } from '../../src/storage/oauth-state-store';
import { PRODUCTION_ENV, T0 } from './security-kit';

let h: BootedBackend;
beforeAll(async () => {
  h = await bootBackend({ env: PRODUCTION_ENV, now: T0 });
});
afterAll(() => h.close());

const rows = async () => Number((await h.db.query<{ n: number }>('select count(*)::int as n from oauth_states')).rows[0]!.n);

describe('OAuth state', () => {
  it('is a browser-bound cookie, refused from another browser, and a flood of installs stores a bounded number of states', async () => {
    const first = await fetch(`${h.base}/oauth/install`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const state = new URL(first.headers.get('location')!).searchParams.get('state')!;
    const cookie = first.headers.getSetCookie()[0]!;
    expect(cookie).toContain(`${STATE_COOKIE}=${state}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);

    // Another browser (no cookie, or another state's cookie) cannot complete this state, nor burn it.
    const foreign = await fetch(`${h.base}/oauth/callback?code=c&state=${state}`);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('this browser');
    expect((await h.db.query('select used_at from oauth_states where state = $1', [state])).rows[0]).toEqual({ used_at: null });

    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await fetch(`${h.base}/oauth/install`, { redirect: 'manual' })).status);
    process.stdout.write(`oauth-state: 61 installs → ${await rows()} rows; statuses ${JSON.stringify(statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))}\n`);
    expect(await rows()).toBe(INSTALLS_PER_CLIENT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(61 - INSTALLS_PER_CLIENT);

    // After the state lifetime the client may start again; expired rows are purged as new ones are issued.
    h.clock.advance(2 * STATE_TTL_MS + 1);
    expect((await fetch(`${h.base}/oauth/install`, { redirect: 'manual' })).status).toBe(302);
    expect(await rows()).toBe(1);
  });
});
