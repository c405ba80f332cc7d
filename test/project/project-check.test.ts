import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProjectOffline, type ProjectCheckResult } from '../../app/dev/project-check/validate-project';
import { formatConfigIssues, validateProjectConfigs } from '../../app/dev/project-check/hsmeta-schemas';

/**
 * The HubSpot project (hsproject.json + src/app) is checked offline twice: by HubSpot's own
 * parser for structure (validate-project.ts) and by our zod schemas for config contents
 * (hsmeta-schemas.ts). Each check must pass on the real project and fail, with the specific
 * error, on a copy broken in exactly one way — otherwise a green run proves nothing.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** hsproject.json plus src/app's hsmeta files and entry .tsx files (no node_modules, no package.json). */
function copyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tossup-project-check-'));
  tempDirs.push(dir);
  cpSync(path.join(REPO_ROOT, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  cpSync(path.join(REPO_ROOT, 'src/app'), path.join(dir, 'src/app'), {
    recursive: true,
    filter: (source, _dest) => {
      const name = path.basename(source);
      if (name === 'node_modules') return false;
      if (!path.extname(name)) return true; // a directory
      return name.endsWith('-hsmeta.json') || name.endsWith('.tsx');
    },
  });
  return dir;
}

function editJson<T>(dir: string, file: string, edit: (json: T) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(readFileSync(full, 'utf8')) as T;
  edit(json);
  writeFileSync(full, JSON.stringify(json, null, 2));
}

function writeJson(dir: string, file: string, json: unknown): void {
  writeFileSync(path.join(dir, file), JSON.stringify(json, null, 2));
}

interface HsMeta<C> {
  uid: string;
  type: string;
  config: C;
  [extra: string]: unknown;
}
interface AppConfig {
  distribution: string;
  auth: { type: string; requiredScopes: string[] };
  permittedUrls: { fetch: string[] };
}
interface CardConfig {
  location: string;
  objectTypes: string[];
}
interface Subscription {
  subscriptionType: string;
  objectType?: string;
  propertyName?: string;
  active: boolean;
}
interface WebhooksConfig {
  settings: { targetUrl: string; maxConcurrentRequests: number };
  subscriptions: { crmObjects: Subscription[]; legacyCrmObjects: Subscription[]; hubEvents: Subscription[] };
}

const APP = 'src/app/app-hsmeta.json';
const HANDOFF_CARD = 'src/app/cards/handoff-card-hsmeta.json';
const TIMELINE_CARD = 'src/app/cards/timeline-card-hsmeta.json';
const SETTINGS = 'src/app/settings/settings-hsmeta.json';
const WEBHOOKS = 'src/app/webhooks/webhooks-hsmeta.json';

function indexOfSubscription(config: WebhooksConfig, match: (s: Subscription) => boolean): number {
  const index = config.subscriptions.crmObjects.findIndex(match);
  if (index < 0) throw new Error('fixture drift: the real webhooks-hsmeta.json no longer has the subscription this case breaks');
  return index;
}

function messagesFor(result: ProjectCheckResult, file: string): string[] {
  return result.errors.filter((e) => e.file === file).map((e) => e.message);
}

describe('the real project', () => {
  it("passes HubSpot's structural validation offline, with every component parsed", async () => {
    const result = await validateProjectOffline(REPO_ROOT);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.fullValidation).toBe(true);
    expect(result.skippedHsMetaFiles).toEqual([]);
    expect(result.platformVersion).toBe('2026.03');
    expect(result.components.map((c) => [c.type, c.uid, c.file]).sort()).toEqual(
      [
        ['app', 'tossup_app', APP],
        ['card', 'tossup_handoff_card', HANDOFF_CARD],
        ['card', 'tossup_timeline_card', TIMELINE_CARD],
        ['settings', 'tossup_settings', SETTINGS],
        ['webhooks', 'tossup_webhooks', WEBHOOKS],
      ].sort(),
    );
  });

  it('passes our config schemas', () => {
    const result = validateProjectConfigs(REPO_ROOT);
    expect(formatConfigIssues(result.errors)).toBe('');
    expect(result.ok).toBe(true);
    expect(result.checkedFiles.sort()).toEqual([APP, HANDOFF_CARD, TIMELINE_CARD, SETTINGS, WEBHOOKS].sort());
  });

  it('passes both checks as an untouched copy (so every failure below comes from its one break)', async () => {
    const dir = copyProject();
    expect((await validateProjectOffline(dir)).errors).toEqual([]);
    expect(validateProjectConfigs(dir).errors).toEqual([]);
  });
});

describe('the structural checker itself', () => {
  it('rejects (instead of reporting a clean project) when its child process cannot run', async () => {
    // /bin/false exits 1 without writing a result: the check must not be mistaken for a pass.
    await expect(validateProjectOffline(REPO_ROOT, { nodeBinary: '/bin/false' })).rejects.toThrow(/did not complete \(exit 1\)/);
  });
});

describe('structural check (HubSpot parser, schema fetch stubbed) fails on a broken copy', () => {
  it('a card hsmeta moved into app/settings', async () => {
    const dir = copyProject();
    renameSync(path.join(dir, HANDOFF_CARD), path.join(dir, 'src/app/settings/handoff-card-hsmeta.json'));
    const result = await validateProjectOffline(dir);
    expect(result.ok).toBe(false);
    expect(messagesFor(result, 'src/app/settings/handoff-card-hsmeta.json')).toEqual([
      expect.stringContaining("The directory 'app/settings' is incorrect for type 'card'"),
    ]);
  });

  it('a uid with characters HubSpot does not allow', async () => {
    const dir = copyProject();
    editJson<HsMeta<unknown>>(dir, HANDOFF_CARD, (m) => {
      m.uid = 'tossup handoff/card';
    });
    const result = await validateProjectOffline(dir);
    expect(result.errors).toEqual([{ file: HANDOFF_CARD, message: expect.stringContaining("'uid' should use only letters, numbers, periods, hyphens, and underscores") }]);
  });

  it('a uid longer than 64 characters (64 is accepted)', async () => {
    const dir = copyProject();
    editJson<HsMeta<unknown>>(dir, HANDOFF_CARD, (m) => {
      m.uid = 'a'.repeat(65);
    });
    editJson<HsMeta<unknown>>(dir, TIMELINE_CARD, (m) => {
      m.uid = 'b'.repeat(64);
    });
    const result = await validateProjectOffline(dir);
    expect(result.errors).toEqual([{ file: HANDOFF_CARD, message: "'uid' must be 64 characters or less" }]);
  });

  it('two components with the same uid', async () => {
    const dir = copyProject();
    editJson<HsMeta<unknown>>(dir, TIMELINE_CARD, (m) => {
      m.uid = 'tossup_handoff_card';
    });
    const result = await validateProjectOffline(dir);
    expect(result.ok).toBe(false);
    expect(result.fullValidation).toBe(false);
    expect(result.errors).toEqual([
      {
        file: 'src',
        message: "Duplicate uid 'tossup_handoff_card' found in:\n- app/cards/handoff-card-hsmeta.json\n- app/cards/timeline-card-hsmeta.json",
      },
    ]);
  });

  it('a second settings component', async () => {
    const dir = copyProject();
    writeJson(dir, 'src/app/settings/second-settings-hsmeta.json', {
      uid: 'tossup_settings_2',
      type: 'settings',
      config: { entrypoint: '/app/settings/SettingsPage.tsx' },
    });
    const result = await validateProjectOffline(dir);
    expect(result.ok).toBe(false);
    expect(messagesFor(result, SETTINGS)).toEqual(['Only one settings component is allowed']);
    expect(messagesFor(result, 'src/app/settings/second-settings-hsmeta.json')).toEqual(['Only one settings component is allowed']);
  });

  it('a second webhooks component', async () => {
    const dir = copyProject();
    cpSync(path.join(dir, WEBHOOKS), path.join(dir, 'src/app/webhooks/more-webhooks-hsmeta.json'));
    editJson<HsMeta<unknown>>(dir, 'src/app/webhooks/more-webhooks-hsmeta.json', (m) => {
      m.uid = 'tossup_webhooks_2';
    });
    const result = await validateProjectOffline(dir);
    expect(messagesFor(result, WEBHOOKS)).toEqual(['Only one webhooks component is allowed']);
  });

  it('a nested hsmeta file, which HubSpot silently skips', async () => {
    const dir = copyProject();
    cpSync(path.join(dir, HANDOFF_CARD), path.join(dir, 'src/app/cards/nested/handoff-card-hsmeta.json'));
    const result = await validateProjectOffline(dir);
    expect(result.ok).toBe(false);
    expect(result.skippedHsMetaFiles).toEqual(['src/app/cards/nested/handoff-card-hsmeta.json']);
    expect(result.errors).toEqual([{ file: 'src/app/cards/nested/handoff-card-hsmeta.json', message: expect.stringContaining('HubSpot skips this hsmeta file') }]);
    // The rest of the project was still validated in full.
    expect(result.fullValidation).toBe(true);
  });

  it('an unknown platformVersion', async () => {
    const dir = copyProject();
    editJson<{ platformVersion: string }>(dir, 'hsproject.json', (p) => {
      p.platformVersion = '2026.04';
    });
    const result = await validateProjectOffline(dir);
    expect(result.errors).toEqual([{ file: 'hsproject.json', message: expect.stringContaining("Unsupported platform version: '2026.04'") }]);
  });

  it('a legacy platformVersion (below 2025.2)', async () => {
    const dir = copyProject();
    editJson<{ platformVersion: string }>(dir, 'hsproject.json', (p) => {
      p.platformVersion = '2025.1';
    });
    const result = await validateProjectOffline(dir);
    expect(result.errors).toEqual([{ file: 'hsproject.json', message: expect.stringContaining("platformVersion '2025.1' is legacy") }]);
  });

  it('an unexpected top-level key', async () => {
    const dir = copyProject();
    editJson<HsMeta<unknown>>(dir, SETTINGS, (m) => {
      m.name = 'settings';
    });
    const result = await validateProjectOffline(dir);
    expect(result.errors).toEqual([{ file: SETTINGS, message: 'Unexpected top-level properties found: name' }]);
  });

  it('no app component', async () => {
    const dir = copyProject();
    unlinkSync(path.join(dir, APP));
    const result = await validateProjectOffline(dir);
    expect(result.ok).toBe(false);
    for (const file of [HANDOFF_CARD, TIMELINE_CARD, SETTINGS, WEBHOOKS]) {
      expect(messagesFor(result, file)).toEqual([expect.stringContaining("must be a child of the 'app' component")]);
    }
  });
});

describe('config schemas fail on a broken copy', () => {
  function onlyError(dir: string) {
    const { ok, errors } = validateProjectConfigs(dir);
    expect(ok).toBe(false);
    expect(errors, formatConfigIssues(errors)).toHaveLength(1);
    return errors[0];
  }

  it('distribution private', () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.distribution = 'private';
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.distribution', message: expect.stringContaining("distribution must be 'marketplace'") });
  });

  it('auth type static', () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.auth.type = 'static';
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.auth.type', message: expect.stringContaining("auth.type must be 'oauth'") });
  });

  it("requiredScopes without 'oauth'", () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.auth.requiredScopes = m.config.auth.requiredScopes.filter((s) => s !== 'oauth');
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.auth.requiredScopes', message: expect.stringContaining("must include 'oauth'") });
  });

  it('an http:// permitted fetch URL', () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.permittedUrls.fetch = ['http://tossup.example.com'];
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.permittedUrls.fetch[0]', message: expect.stringContaining('must use https://') });
  });

  it('a localhost permitted fetch URL', () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.permittedUrls.fetch = ['https://tossup.example.com', 'https://localhost:3000'];
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.permittedUrls.fetch[1]', message: expect.stringContaining('points at localhost') });
  });

  it('a permitted fetch URL with a path (matching is by origin)', () => {
    const dir = copyProject();
    editJson<HsMeta<AppConfig>>(dir, APP, (m) => {
      m.config.permittedUrls.fetch = ['https://tossup.example.com/api'];
    });
    expect(onlyError(dir)).toEqual({ file: APP, field: 'config.permittedUrls.fetch[0]', message: expect.stringContaining('must be a bare origin such as https://tossup.example.com') });
  });

  it('a misspelt config key', () => {
    const dir = copyProject();
    editJson<HsMeta<Record<string, unknown>>>(dir, APP, (m) => {
      m.config.permitedUrls = m.config.permittedUrls;
      delete m.config.permittedUrls;
    });
    const { errors } = validateProjectConfigs(dir);
    expect(errors).toEqual([
      { file: APP, field: 'config.permittedUrls', message: 'required field is missing (expected object)' },
      { file: APP, field: 'config', message: expect.stringContaining("unknown field(s) 'permitedUrls'") },
    ]);
  });

  it('card location crm.record.foo', () => {
    const dir = copyProject();
    editJson<HsMeta<CardConfig>>(dir, HANDOFF_CARD, (m) => {
      m.config.location = 'crm.record.foo';
    });
    expect(onlyError(dir)).toEqual({ file: HANDOFF_CARD, field: 'config.location', message: expect.stringContaining('location must be one of crm.record.tab, crm.record.sidebar') });
  });

  it('card objectTypes with the singular "contact"', () => {
    const dir = copyProject();
    editJson<HsMeta<CardConfig>>(dir, TIMELINE_CARD, (m) => {
      m.config.objectTypes = ['contact', 'deals'];
    });
    expect(onlyError(dir)).toEqual({ file: TIMELINE_CARD, field: 'config.objectTypes[0]', message: expect.stringContaining("write 'contacts'") });
  });

  it('a card entrypoint whose file is missing', () => {
    const dir = copyProject();
    unlinkSync(path.join(dir, 'src/app/cards/HandoffCard.tsx'));
    expect(onlyError(dir)).toEqual({ file: HANDOFF_CARD, field: 'config.entrypoint', message: expect.stringContaining("entrypoint '/app/cards/HandoffCard.tsx' does not exist") });
  });

  it('a settings entrypoint outside /app/settings/', () => {
    const dir = copyProject();
    editJson<HsMeta<{ entrypoint: string }>>(dir, SETTINGS, (m) => {
      m.config.entrypoint = '/app/cards/HandoffCard.tsx';
    });
    expect(onlyError(dir)).toEqual({ file: SETTINGS, field: 'config.entrypoint', message: expect.stringContaining('must start with /app/settings/') });
  });

  it('webhook subscription type contact.creation placed in crmObjects', () => {
    const dir = copyProject();
    let index = -1;
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      index = indexOfSubscription(m.config, (s) => s.subscriptionType === 'object.creation' && s.objectType === 'contact');
      m.config.subscriptions.crmObjects[index] = { subscriptionType: 'contact.creation', objectType: 'contact', active: true };
    });
    expect(onlyError(dir)).toEqual({
      file: WEBHOOKS,
      field: `config.subscriptions.crmObjects[${index}].subscriptionType`,
      message: expect.stringContaining("'contact.creation' is a legacy type: put it in legacyCrmObjects"),
    });
  });

  it('… and accepts contact.creation where the error says it belongs (legacyCrmObjects)', () => {
    const dir = copyProject();
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      const index = indexOfSubscription(m.config, (s) => s.subscriptionType === 'object.creation' && s.objectType === 'contact');
      m.config.subscriptions.crmObjects.splice(index, 1);
      m.config.subscriptions.legacyCrmObjects.push({ subscriptionType: 'contact.creation', active: true });
    });
    expect(validateProjectConfigs(dir).errors).toEqual([]);
  });

  it('a singular CRM objectType that is not a generic-webhook type', () => {
    const dir = copyProject();
    let index = -1;
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      index = indexOfSubscription(m.config, (s) => s.subscriptionType === 'object.creation' && s.objectType === 'contact');
      m.config.subscriptions.crmObjects[index]!.objectType = 'contacts';
    });
    expect(onlyError(dir)).toEqual({ file: WEBHOOKS, field: `config.subscriptions.crmObjects[${index}].objectType`, message: expect.stringContaining('use the singular name') });
  });

  it('propertyChange without propertyName', () => {
    const dir = copyProject();
    let index = -1;
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      index = indexOfSubscription(m.config, (s) => s.propertyName === 'lifecyclestage');
      delete m.config.subscriptions.crmObjects[index]!.propertyName;
    });
    expect(onlyError(dir)).toEqual({
      file: WEBHOOKS,
      field: `config.subscriptions.crmObjects[${index}].propertyName`,
      message: 'object.propertyChange needs a propertyName (the property whose changes to receive)',
    });
  });

  it('an unknown tossup_typo contact property', () => {
    const dir = copyProject();
    let index = -1;
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      index = indexOfSubscription(m.config, (s) => s.propertyName === 'tossup_bant_budget');
      m.config.subscriptions.crmObjects[index]!.propertyName = 'tossup_typo';
    });
    expect(onlyError(dir)).toEqual({
      file: WEBHOOKS,
      field: `config.subscriptions.crmObjects[${index}].propertyName`,
      message: expect.stringContaining("'tossup_typo' is not a tossup contract property"),
    });
  });

  it('a contact property tossup does not read', () => {
    const dir = copyProject();
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      m.config.subscriptions.legacyCrmObjects.push({ subscriptionType: 'contact.propertyChange', propertyName: 'favorite_color', active: true });
    });
    expect(onlyError(dir)).toEqual({
      file: WEBHOOKS,
      field: 'config.subscriptions.legacyCrmObjects[0].propertyName',
      message: expect.stringContaining("contact property 'favorite_color' is neither read by tossup"),
    });
  });

  it('active: false', () => {
    const dir = copyProject();
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      m.config.subscriptions.hubEvents[0]!.active = false;
    });
    expect(onlyError(dir)).toEqual({ file: WEBHOOKS, field: 'config.subscriptions.hubEvents[0].active', message: expect.stringContaining('active must be true') });
  });

  it('maxConcurrentRequests of 5', () => {
    const dir = copyProject();
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      m.config.settings.maxConcurrentRequests = 5;
    });
    expect(onlyError(dir)).toEqual({ file: WEBHOOKS, field: 'config.settings.maxConcurrentRequests', message: expect.stringContaining('greater than 5') });
  });

  it('an http:// webhook targetUrl', () => {
    const dir = copyProject();
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      m.config.settings.targetUrl = 'http://tossup.example.com/webhooks/hubspot';
    });
    expect(onlyError(dir)).toEqual({ file: WEBHOOKS, field: 'config.settings.targetUrl', message: expect.stringContaining('must use https://') });
  });

  it('the same subscription twice', () => {
    const dir = copyProject();
    let index = -1;
    editJson<HsMeta<WebhooksConfig>>(dir, WEBHOOKS, (m) => {
      index = indexOfSubscription(m.config, (s) => s.propertyName === 'jobtitle');
      m.config.subscriptions.crmObjects.push({ ...m.config.subscriptions.crmObjects[index]! });
    });
    const { errors } = validateProjectConfigs(dir);
    expect(errors).toEqual([{ file: WEBHOOKS, field: expect.stringMatching(/^config\.subscriptions\.crmObjects\[\d+\]$/), message: `duplicate subscription (same as subscriptions.crmObjects[${index}]); remove one` }]);
  });
});
