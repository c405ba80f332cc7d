import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';

// No test may reach the network: only loopback (the sandbox, local servers,
// PostgreSQL) is allowed. Every HubSpot call in unit tests goes through nock.
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
});

afterEach(() => {
  nock.cleanAll();
});
