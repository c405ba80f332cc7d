import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration (docs/product.md environment contract)', () => {
  it('defaults to sandbox mode on port 3000 with the embedded database', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('sandbox');
    expect(c.port).toBe(3000);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.redirectUri).toBe('http://localhost:3000/oauth/callback');
    expect(c.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('is production when both credentials and a key are set', () => {
    const c = loadConfig({
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEY: KEY,
      PUBLIC_BASE_URL: 'https://tossup.example.com/',
      PORT: '8080',
      HUBSPOT_APP_ID: '39594762',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tossup',
    });
    expect(c.mode).toBe('production');
    expect(c.publicBaseUrl).toBe('https://tossup.example.com');
    expect(c.redirectUri).toBe('https://tossup.example.com/oauth/callback');
    expect(c.tokenEncryptionKey?.length).toBe(32);
    expect(c.hubspot.appId).toBe('39594762');
    expect(c.port).toBe(8080);
  });

  it('names the variable and the fix when a value is missing or malformed', () => {
    expect(problems({ HUBSPOT_CLIENT_ID: 'id' }).join('\n')).toMatch(/HUBSPOT_CLIENT_SECRET: set both/);
    expect(problems({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 's' }).join('\n')).toMatch(/TOKEN_ENCRYPTION_KEY: required .*randomBytes\(32\)/);
    expect(problems({ TOKEN_ENCRYPTION_KEY: 'short' }).join('\n')).toMatch(/TOKEN_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(problems({ PORT: 'eighty' }).join('\n')).toMatch(/^PORT: /);
    expect(problems({ DATABASE_URL: 'mysql://x' }).join('\n')).toMatch(/DATABASE_URL: must be a postgres/);
    expect(problems({ PUBLIC_BASE_URL: 'not a url' }).join('\n')).toMatch(/PUBLIC_BASE_URL/);
    expect(problems({ PUBLIC_BASE_URL: 'https://x.example.com/path' }).join('\n')).toMatch(/PUBLIC_BASE_URL: give only the origin/);
    expect(problems({ LOG_LEVEL: 'loud' }).join('\n')).toMatch(/LOG_LEVEL: must be one of/);
    expect(problems({ HUBSPOT_APP_ID: 'abc' }).join('\n')).toMatch(/HUBSPOT_APP_ID: must be the numeric app id/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ HUBSPOT_CLIENT_ID: '', HUBSPOT_CLIENT_SECRET: '', PORT: '' }).mode).toBe('sandbox');
  });
});
