import { expect, it } from 'vitest';
import { consumeState, deleteExpiredStates, issueState, STATE_TTL_MS } from '../../src/storage/oauth-state-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('OAuth state store (oauth_states)', (t) => {
  it('a state is consumed once: ok, then used', async () => {
    const state = await issueState(t.db, 1_000);
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await consumeState(t.db, state, 1_001)).toBe('ok');
    expect(await consumeState(t.db, state, 1_002)).toBe('used');
  });

  it('tells missing, unknown and expired apart', async () => {
    expect(await consumeState(t.db, undefined, 1)).toBe('missing');
    expect(await consumeState(t.db, 'never-issued', 1)).toBe('unknown');
    const state = await issueState(t.db, 10_000);
    expect(await consumeState(t.db, state, 10_000 + STATE_TTL_MS + 1)).toBe('expired');
  });

  it('issuing prunes states expired for more than one TTL', async () => {
    const old = await issueState(t.db, 0);
    await issueState(t.db, 3 * STATE_TTL_MS);
    expect(await consumeState(t.db, old, 3 * STATE_TTL_MS)).toBe('unknown');
  });

  it('retention deletes the states expired before now, and only those', async () => {
    await t.db.query('delete from oauth_states');
    const old = await issueState(t.db, 100_000);
    const fresh = await issueState(t.db, 100_000 + STATE_TTL_MS);
    expect(await deleteExpiredStates(t.db, 100_000 + STATE_TTL_MS + 1)).toBe(1);
    expect(await consumeState(t.db, old, 100_000 + STATE_TTL_MS + 1)).toBe('unknown');
    expect(await consumeState(t.db, fresh, 100_000 + STATE_TTL_MS + 1)).toBe('ok');
  });
});
