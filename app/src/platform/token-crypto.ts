import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Tokens at rest: AES-256-GCM with a random 96-bit nonce per write and the portal
 * id as associated data, so a ciphertext copied onto another portal's row fails
 * to decrypt (docs/hubspot-platform.md §4.3). The key id in each value lets old rows be read after
 * a key rotation while new writes use the current key.
 *
 * Format: v1.<keyId>.<iv>.<tag>.<ciphertext> (base64url parts).
 */
export interface TokenCipher {
  readonly currentKeyId: string;
  encrypt(portalId: string, plaintext: string): string;
  decrypt(portalId: string, value: string): string;
  /** True when the value was written with an older key and should be re-encrypted. */
  needsRotation(value: string): boolean;
}

export class TokenDecryptionError extends Error {
  constructor(message: string) {
    super(`tossup: ${message}`);
    this.name = 'TokenDecryptionError';
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export function createTokenCipher(currentKey: Buffer, previousKeys: Buffer[] = []): TokenCipher {
  if (currentKey.length !== 32) throw new Error('tossup: TOKEN_ENCRYPTION_KEY must decode to exactly 32 bytes');
  const keys = new Map<string, Buffer>();
  for (const k of [currentKey, ...previousKeys]) keys.set(keyIdOf(k), k);
  const currentKeyId = keyIdOf(currentKey);
  const aad = (portalId: string) => Buffer.from(`tossup:portal:${portalId}`, 'utf8');

  return {
    currentKeyId,
    encrypt(portalId, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(aad(portalId));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', currentKeyId, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
    },
    decrypt(portalId, value) {
      const parts = value.split('.');
      if (parts.length !== 5 || parts[0] !== 'v1') throw new TokenDecryptionError('stored token has an unknown format');
      const [, keyId, ivB64, tagB64, ctB64] = parts as [string, string, string, string, string];
      const key = keys.get(keyId);
      if (!key) {
        throw new TokenDecryptionError(
          `stored token was encrypted with key ${keyId}, which is not configured; add the old key to TOKEN_ENCRYPTION_PREVIOUS_KEYS or re-install the app`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64url'));
        decipher.setAAD(aad(portalId));
        decipher.setAuthTag(Buffer.from(tagB64, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // Wrong portal (associated data), tampering or a wrong key: all look the same by design.
        throw new TokenDecryptionError(`stored token for portal ${portalId} failed authentication (tampered, or moved from another portal)`);
      }
    },
    needsRotation(value) {
      return value.split('.')[1] !== currentKeyId;
    },
  };
}
