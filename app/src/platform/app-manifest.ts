import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The HubSpot project's app-hsmeta.json is the single source of truth for the
 * scopes the install URL asks for (they must match `auth.requiredScopes`, or
 * HubSpot refuses the install).
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const APP_HSMETA_PATH = path.join(REPO_ROOT, 'src/app/app-hsmeta.json');

export interface AppManifest {
  uid: string;
  requiredScopes: string[];
  optionalScopes: string[];
  redirectUrls: string[];
  permittedFetchUrls: string[];
}

export function readAppManifest(file = APP_HSMETA_PATH): AppManifest {
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    uid: string;
    config: { auth: { requiredScopes: string[]; optionalScopes?: string[]; redirectUrls: string[] }; permittedUrls?: { fetch?: string[] } };
  };
  return {
    uid: json.uid,
    requiredScopes: json.config.auth.requiredScopes,
    optionalScopes: json.config.auth.optionalScopes ?? [],
    redirectUrls: json.config.auth.redirectUrls,
    permittedFetchUrls: json.config.permittedUrls?.fetch ?? [],
  };
}
