import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/log';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logs never carry credentials', () => {
  it('redacts tokens, the client secret and Authorization headers at any of the usual places', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        access_token: 'AT-secret-1',
        refresh_token: 'RT-secret-2',
        client_secret: 'CS-secret-3',
        tokens: { accessToken: 'AT-secret-4', refreshToken: 'RT-secret-5' },
        req: { headers: { authorization: 'Bearer AT-secret-6', 'x-hubspot-signature-v3': 'SIG-secret-7' } },
        request: { headers: { Authorization: 'Bearer AT-secret-8' } },
        portalId: '4242',
      },
      'refreshed',
    );
    const out = lines.join('');
    for (const secret of ['AT-secret-1', 'RT-secret-2', 'CS-secret-3', 'AT-secret-4', 'RT-secret-5', 'AT-secret-6', 'SIG-secret-7', 'AT-secret-8']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
    expect(out).toContain('"portalId":"4242"');
  });
});
