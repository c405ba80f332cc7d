import nock from 'nock';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { createOAuthTokenClient } from '../../src/hubspot/oauth-token-client';
import { HubSpotApiError } from '../../src/hubspot/hubspot-errors';
import { createTokenService } from '../../src/oauth/create-token-service';
import { createManualClock } from '../../src/platform/clock';
import { createTokenCipher } from '../../src/platform/token-crypto';
import { createTokenStore } from '../../src/storage/token-store';
import { API, batchAnswer, gatewayKit, jsonReply, T0 } from './gateway-test-kit';

const PORTAL = '4242';
/** HubSpot's body for a token it considers expired (https://developers.hubspot.com/docs/api/oauth-quickstart-guide). */
const EXPIRED = { status: 'error', message: 'The OAuth token used to make this call expired 1 second(s) ago.', correlationId: 'c-1', category: 'EXPIRED_AUTHENTICATION' };

describe.each(testBackends())('401 EXPIRED_AUTHENTICATION on %s', (kind) => {
  const t = useTestDatabase(kind);
  const clock = createManualClock(T0);

  beforeEach(async () => {
    await t.db.query('delete from oauth_tokens');
    await t.db.query('delete from installs');
    const store = createTokenStore(t.db, createTokenCipher(Buffer.alloc(32, 7)));
    // 25 minutes left: no proactive refresh would happen.
    await store.saveInstall(PORTAL, { accessToken: 'access-1', refreshToken: 'refresh-1', accessExpiresAt: T0 + 25 * 60_000 }, { scopes: [] }, T0);
  });
  afterEach(() => {
    nock.cleanAll();
  });

  function kit() {
    const store = createTokenStore(t.db, createTokenCipher(Buffer.alloc(32, 7)));
    const oauth = createOAuthTokenClient({ apiBaseUrl: API, clientId: 'id', clientSecret: 'secret' });
    const tokens = createTokenService({ db: t.db, store, oauth, clock, logger: pino({ level: 'silent' }) });
    return { tokens, ...gatewayKit(t.db, { tokens, clock }) };
  }

  it('concurrent calls refused as expired cause one refresh, and each refused call is retried once with the new token', async () => {
    const { gateway, tokens } = kit();
    const refresh = nock(API)
      .post('/oauth/2026-03/token', (b: Record<string, string>) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1')
      .delay(30)
      .reply(200, { token_type: 'bearer', access_token: 'access-2', refresh_token: 'refresh-2', expires_in: 1800 });
    // How many of the ten calls reach HubSpot with the old token depends on scheduling
    // (on a PostgreSQL server the rate-budget round trips spread them, and a call that
    // acquires after the refresh already uses access-2), so the 401s are counted, not fixed.
    let refused = 0;
    nock(API, { reqheaders: { authorization: 'Bearer access-1' } })
      .post('/crm/v3/objects/contacts/batch/read').query(true)
      .times(10)
      .reply(() => {
        refused++;
        return [401, EXPIRED];
      });
    const fresh = nock(API, { reqheaders: { authorization: 'Bearer access-2' } })
      .post('/crm/v3/objects/contacts/batch/read').query(true)
      .times(10)
      .reply(jsonReply<{ inputs: { id: string }[] }>((b) => [200, batchAnswer(b)]));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => gateway.readContacts(PORTAL, [String(i + 1)], ['email'])));
    expect(results.map((r) => r[0]?.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refresh.isDone()).toBe(true);
    // Every call ends with exactly one successful request with the new token: a refused call
    // is retried once, and no call is retried twice (ten fresh answers; an eleventh request
    // or a second refresh would find no interceptor and fail its call).
    expect(fresh.isDone()).toBe(true);
    expect(await tokens.getAccessToken(PORTAL)).toBe('access-2');
  });

  it('a second 401 after the refresh fails as before (no loop)', async () => {
    const { gateway } = kit();
    nock(API).post('/oauth/2026-03/token').once().reply(200, { token_type: 'bearer', access_token: 'access-2', refresh_token: 'refresh-2', expires_in: 1800 });
    nock(API).post('/crm/v3/objects/contacts/batch/read').query(true).twice().reply(401, EXPIRED);
    const err = await gateway.readContacts(PORTAL, ['1'], ['email']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubSpotApiError);
    expect((err as HubSpotApiError).category).toBe('auth');
    expect((err as HubSpotApiError).status).toBe(401);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a 401 of another category is not refreshed', async () => {
    const { gateway } = kit();
    nock(API).post('/crm/v3/objects/contacts/batch/read').query(true).once().reply(401, { status: 'error', message: 'Authentication credentials not found.', correlationId: 'c-2', category: 'INVALID_AUTHENTICATION' });
    const err = await gateway.readContacts(PORTAL, ['1'], ['email']).catch((e: unknown) => e);
    expect((err as HubSpotApiError).status).toBe(401);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
