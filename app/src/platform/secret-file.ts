import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret kept in the data folder: read when the file exists, else created once
 * (mode 600). Used for sandbox mode's token key and the sandbox's signing secret,
 * so no secret is a constant in the source and each data folder has its own.
 */
export function readOrCreateSecretFile(file: string, create: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const value = create();
  writeFileSync(file, value + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return value;
}
