import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONTRACT_PROPERTY_NAMES } from '@tossup/shared/contract-properties';
import { COMPANY_READ_PROPERTIES, CONTACT_READ_PROPERTIES } from '../../src/domain/read-properties';

/**
 * Our own schemas for the `config` block of each *-hsmeta.json.
 *
 * HubSpot's parser (`@hubspot/project-parsing-lib`) checks project structure offline but
 * validates `config` only against JSON schemas it downloads with an authenticated account
 * (docs/hubspot-platform.md §1.8), so typos, a `private` distribution or an inactive webhook
 * would otherwise only surface at `hs project upload`. These schemas encode what HubSpot
 * documents plus what tossup needs as a marketplace OAuth app; they are ours, not HubSpot's
 * schema files, which no npm package ships (validate-project.ts). Objects are strict: an
 * unknown key is most often a typo (`permitedUrls`, the 2025.1 `objectName`), and if HubSpot
 * adds a field the error says where to add it.
 *
 * Developer-facing (CI) messages, so English only.
 */

const THIS_FILE = 'app/dev/project-check/hsmeta-schemas.ts';

// ---------------------------------------------------------------------------------------
// URLs

const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '[::1]', '[::]']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

interface HttpsUrlRules {
  /** HubSpot must reach it from the internet, or the value is an origin allow-list entry. */
  noLoopback?: boolean;
  /** `scheme://host[:port]` only, no path (hubspot.fetch allow-list matching is by origin). */
  originOnly?: boolean;
}

function httpsUrl(what: string, rules: HttpsUrlRules = {}) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${what} '${value}' is not an absolute URL; write it as https://host/path` });
      return;
    }
    if (url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `${what} '${value}' must use https:// (HubSpot only calls and permits HTTPS URLs)` });
    }
    if (rules.noLoopback && isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} '${value}' points at localhost, which HubSpot cannot reach and does not permit; use the public host (for local development, map it in src/app/local.json instead)`,
      });
    }
    if (rules.originOnly && url.origin !== value) {
      ctx.addIssue({ code: 'custom', message: `${what} '${value}' must be a bare origin such as ${url.origin} (no path, query or trailing slash)` });
    }
  });
}

// ---------------------------------------------------------------------------------------
// app-hsmeta.json
// https://developers.hubspot.com/docs/apps/developer-platform/build-apps/app-configuration
// Template: HubSpot/hubspot-project-components 2025.2/components/app/oauth-marketplace.

export const appConfigSchema = z.strictObject({
  name: z.string().min(1, { error: 'name must not be empty' }),
  description: z.string().optional(),
  logo: z.string().optional(),
  // tossup is listed on the marketplace; `private` caps installs and cannot be listed.
  distribution: z.literal('marketplace', {
    error: (iss) => `distribution must be 'marketplace' (tossup is a marketplace app), not ${JSON.stringify(iss.input)}`,
  }),
  auth: z.strictObject({
    // Marketplace distribution only accepts OAuth (HubSpot CLI lib/projects/create/v2.js;
    // https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/overview).
    type: z.literal('oauth', {
      error: (iss) => `auth.type must be 'oauth' (marketplace apps install through OAuth), not ${JSON.stringify(iss.input)}`,
    }),
    redirectUrls: z.array(httpsUrl('redirect URL')).min(1, { error: 'redirectUrls needs at least the backend OAuth callback, e.g. https://tossup.example.com/oauth/callback' }),
    // https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes
    requiredScopes: z
      .array(z.string().min(1))
      .min(1, { error: "requiredScopes must not be empty; it needs at least 'oauth'" })
      .refine((scopes) => scopes.includes('oauth'), { error: "requiredScopes must include 'oauth' (every OAuth app requests it)" })
      .refine((scopes) => new Set(scopes).size === scopes.length, { error: 'requiredScopes lists a scope twice' }),
    optionalScopes: z.array(z.string().min(1)).optional(),
    conditionallyRequiredScopes: z.array(z.string().min(1)).optional(),
  }),
  permittedUrls: z.strictObject({
    // hubspot.fetch targets: HTTPS, no localhost, matched by origin (docs/hubspot-platform.md §1.4;
    // @hubspot/ui-extensions-dev-server dist/lib/proxy/AppProxyService.js mapToLocalUrl).
    fetch: z.array(httpsUrl('permittedUrls.fetch entry', { noLoopback: true, originOnly: true })),
    iframe: z.array(httpsUrl('permittedUrls.iframe entry', { noLoopback: true })).optional(),
    img: z.array(httpsUrl('permittedUrls.img entry', { noLoopback: true })).optional(),
  }),
  support: z.strictObject({
    supportEmail: z.email({ error: (iss) => `support.supportEmail must be an email address, got ${JSON.stringify(iss.input)}` }),
    documentationUrl: httpsUrl('support.documentationUrl').optional(),
    supportUrl: httpsUrl('support.supportUrl').optional(),
    supportPhone: z.string().optional(),
  }),
});

// ---------------------------------------------------------------------------------------
// Cards and settings: entry points must exist, inside their own extension directory.

/**
 * An entrypoint is relative to srcDir and starts with the component directory
 * (`/app/cards/…`); the bundler builds it from there.
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensions/extension-points/app-cards/reference
 */
function entrypoint(srcDir: string, dir: '/app/cards/' | '/app/settings/') {
  return z.string().superRefine((value, ctx) => {
    if (!value.startsWith(dir) || value.split('/').includes('..')) {
      ctx.addIssue({ code: 'custom', message: `entrypoint '${value}' must start with ${dir} (relative to srcDir) and stay inside it` });
      return;
    }
    const file = path.join(srcDir, value);
    if (!existsSync(file)) {
      ctx.addIssue({ code: 'custom', message: `entrypoint '${value}' does not exist (looked for ${file}); fix the path or add the file` });
    }
  });
}

/** `crm.preview` and `helpdesk.sidebar` exist in the SDK, but only these two are documented card locations. */
export const CARD_LOCATIONS = ['crm.record.tab', 'crm.record.sidebar'] as const;
/** Card objectTypes are the plural CRM names (app-cards reference; HubSpot's legacy-card-converter example). */
export const CARD_OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;

export function cardConfigSchema(srcDir: string) {
  return z.strictObject({
    name: z.string().min(1, { error: 'name must not be empty' }),
    description: z.string().optional(),
    previewImage: z.strictObject({ file: z.string(), altText: z.string() }).optional(),
    location: z.enum(CARD_LOCATIONS, {
      error: (iss) => `location must be one of ${CARD_LOCATIONS.join(', ')}, not ${JSON.stringify(iss.input)}`,
    }),
    entrypoint: entrypoint(srcDir, '/app/cards/'),
    objectTypes: z
      .array(
        z.enum(CARD_OBJECT_TYPES, {
          error: (iss) =>
            `objectTypes entry ${JSON.stringify(iss.input)} is not one of ${CARD_OBJECT_TYPES.join(', ')}` +
            (typeof iss.input === 'string' && (CARD_OBJECT_TYPES as readonly string[]).includes(`${iss.input}s`) ? ` (card objectTypes are plural: write '${iss.input}s')` : '') +
            (iss.input === 'company' ? " (card objectTypes are plural: write 'companies')" : ''),
        }),
      )
      .min(1, { error: 'objectTypes must name at least one object, e.g. ["contacts"]' }),
  });
}

/** https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensions/extension-points/create-a-settings-page */
export function settingsConfigSchema(srcDir: string) {
  return z.strictObject({ entrypoint: entrypoint(srcDir, '/app/settings/') });
}

// ---------------------------------------------------------------------------------------
// webhooks-hsmeta.json
// https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks

/** The generic `object.*` events, for `crmObjects` (changelog "Public Beta: Generic Webhook Subscriptions"). */
export const GENERIC_EVENTS = ['creation', 'deletion', 'merge', 'restore', 'propertyChange', 'associationChange'] as const;

/**
 * Object types a marketplace app may use with generic (`object.*`) subscriptions, in the
 * singular form the hsmeta `objectType` takes. Custom objects are private-app only.
 * https://developers.hubspot.com/beta-docs/guides/apps/public-apps/create-generic-webhook-subscriptions
 */
export const GENERIC_WEBHOOK_OBJECT_TYPES = [
  'appointment', 'call', 'cart', 'commerce_payment', 'communication', 'company', 'contact', 'course', 'deal',
  'discount', 'email', 'fee', 'feedback_submission', 'goal_target', 'invoice', 'lead', 'line_item', 'listing',
  'meeting_event', 'note', 'order', 'partner_client', 'postal_mail', 'product', 'quote', 'quote_template',
  'service', 'subscription', 'task', 'tax', 'ticket', 'user',
] as const;

/**
 * Classic per-object types (`contact.creation`, `deal.propertyChange`, …) for `legacyCrmObjects`.
 * https://developers.hubspot.com/docs/api-reference/webhooks-webhooks-v3/subscriptions/post-webhooks-v3-appId-subscriptions
 */
const LEGACY_OBJECTS = ['contact', 'company', 'deal', 'ticket', 'product', 'line_item'] as const;
const LEGACY_TYPE = new RegExp(`^(${LEGACY_OBJECTS.join('|')})\\.(${GENERIC_EVENTS.join('|')})$`);

/** Account-level events for `hubEvents` (configure-webhooks guide; webhooks v3 subscription types). */
export const HUB_EVENT_TYPES = [
  'contact.privacyDeletion',
  'conversation.creation',
  'conversation.deletion',
  'conversation.newMessage',
  'conversation.privacyDeletion',
  'conversation.propertyChange',
] as const;

/**
 * HubSpot requires a concurrency limit above 5 (webhooks settings API, throttling
 * .maxConcurrentRequests; https://developers.hubspot.com/docs/api-reference/latest/webhooks/subscriptions/update-webhook).
 * The bound comes from HubSpot's webhooks guide settings table ("must be greater than five");
 * the current reference page does not restate it, so it is quoted here from the older guide.
 */
export const MIN_EXCLUSIVE_MAX_CONCURRENT_REQUESTS = 5;

const CONTRACT_NAMES = new Set(CONTRACT_PROPERTY_NAMES);
/** Contact properties tossup reads (the pipeline's batch reads) plus the contract ones. */
const CONTACT_PROPERTIES = new Set([...CONTACT_READ_PROPERTIES, ...CONTRACT_PROPERTY_NAMES]);
const COMPANY_PROPERTIES = new Set(COMPANY_READ_PROPERTIES);

/**
 * A property-change subscription only helps if the pipeline reads that property, and a
 * misspelt contract property (`tossup_typo`) subscribes to something HubSpot will never
 * send. Returns the problem, or undefined.
 */
export function checkSubscribedProperty(objectType: string, propertyName: string): string | undefined {
  if (propertyName.startsWith('tossup_') && !(objectType === 'contact' && CONTRACT_NAMES.has(propertyName))) {
    return objectType === 'contact'
      ? `'${propertyName}' is not a tossup contract property; the contract properties are listed in extensions/shared/src/contract-properties.ts (fix the spelling or add it there first)`
      : `'${propertyName}' is a tossup_* name on '${objectType}', but the contract properties exist on contacts only (extensions/shared/src/contract-properties.ts)`;
  }
  if (objectType === 'contact' && !CONTACT_PROPERTIES.has(propertyName)) {
    return `contact property '${propertyName}' is neither read by tossup (CONTACT_READ_PROPERTIES in app/src/domain/read-properties.ts) nor a contract property; add it to the reads or drop the subscription`;
  }
  if (objectType === 'company' && !COMPANY_PROPERTIES.has(propertyName)) {
    return `company property '${propertyName}' is not read by tossup (COMPANY_READ_PROPERTIES in app/src/domain/read-properties.ts); add it to the reads or drop the subscription`;
  }
  return undefined;
}

const active = z.literal(true, {
  error: () => "active must be true: the template ships with false, and HubSpot never delivers an inactive subscription",
});

function wherePlaced(type: string): string {
  if (/^object\./.test(type)) return `'${type}' is a generic type: put it in crmObjects with an objectType`;
  if (LEGACY_TYPE.test(type)) return `'${type}' is a legacy type: put it in legacyCrmObjects, or use 'object.${type.split('.')[1]}' with objectType '${type.split('.')[0]}' in crmObjects`;
  if ((HUB_EVENT_TYPES as readonly string[]).includes(type)) return `'${type}' is a hub event: put it in hubEvents`;
  return `'${type}' is not a HubSpot webhook subscription type`;
}

interface PropertyRuleInput {
  subscriptionType: string;
  propertyName?: string | undefined;
}

/** propertyChange needs the property; other events must not name one (HubSpot would reject or ignore it). */
function propertyRule(objectTypeOf: (s: PropertyRuleInput & { objectType?: string }) => string | undefined) {
  return (sub: PropertyRuleInput & { objectType?: string }, ctx: z.RefinementCtx) => {
    const isPropertyChange = sub.subscriptionType.endsWith('.propertyChange');
    if (isPropertyChange && !sub.propertyName) {
      ctx.addIssue({ code: 'custom', path: ['propertyName'], message: `${sub.subscriptionType} needs a propertyName (the property whose changes to receive)` });
      return;
    }
    if (!isPropertyChange && sub.propertyName !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['propertyName'], message: `propertyName only applies to propertyChange subscriptions; remove it from ${sub.subscriptionType}` });
      return;
    }
    const objectType = objectTypeOf(sub);
    if (isPropertyChange && sub.propertyName && objectType) {
      const problem = checkSubscribedProperty(objectType, sub.propertyName);
      if (problem) ctx.addIssue({ code: 'custom', path: ['propertyName'], message: problem });
    }
  };
}

const crmObjectSubscription = z
  .strictObject({
    subscriptionType: z.string().refine((t) => (GENERIC_EVENTS as readonly string[]).includes(t.replace(/^object\./, '')) && t.startsWith('object.'), {
      error: (iss) => `crmObjects takes object.* types (${GENERIC_EVENTS.map((e) => `object.${e}`).join(', ')}); ${wherePlaced(String(iss.input))}`,
    }),
    objectType: z.enum(GENERIC_WEBHOOK_OBJECT_TYPES, {
      error: (iss) =>
        `objectType ${JSON.stringify(iss.input)} is not a generic-webhook object type; use the singular name (contact, company, deal, call, email, meeting_event, note, task, ticket, …)`,
    }),
    propertyName: z.string().min(1).optional(),
    active,
  })
  .superRefine(propertyRule((s) => s.objectType));

const legacyCrmObjectSubscription = z
  .strictObject({
    subscriptionType: z.string().refine((t) => LEGACY_TYPE.test(t), {
      error: (iss) => `legacyCrmObjects takes <object>.<event> types for ${LEGACY_OBJECTS.join(', ')}; ${wherePlaced(String(iss.input))}`,
    }),
    propertyName: z.string().min(1).optional(),
    active,
  })
  .superRefine(propertyRule((s) => s.subscriptionType.split('.')[0]));

const hubEventSubscription = z
  .strictObject({
    subscriptionType: z.enum(HUB_EVENT_TYPES, {
      error: (iss) => `hubEvents takes ${HUB_EVENT_TYPES.join(', ')}; ${wherePlaced(String(iss.input))}`,
    }),
    propertyName: z.string().min(1).optional(),
    active,
  })
  .superRefine(propertyRule(() => undefined));

export const webhooksConfigSchema = z
  .strictObject({
    settings: z.strictObject({
      targetUrl: httpsUrl('settings.targetUrl', { noLoopback: true }),
      maxConcurrentRequests: z
        .number()
        .int({ error: 'maxConcurrentRequests must be a whole number' })
        .gt(MIN_EXCLUSIVE_MAX_CONCURRENT_REQUESTS, { error: `maxConcurrentRequests must be greater than ${MIN_EXCLUSIVE_MAX_CONCURRENT_REQUESTS} (HubSpot webhook settings)` }),
    }),
    subscriptions: z.strictObject({
      crmObjects: z.array(crmObjectSubscription).optional(),
      legacyCrmObjects: z.array(legacyCrmObjectSubscription).optional(),
      hubEvents: z.array(hubEventSubscription).optional(),
    }),
  })
  .superRefine((config, ctx) => {
    // The same subscription twice is a copy-paste slip; HubSpot keeps one per (type, object, property).
    const seen = new Map<string, string>();
    for (const section of ['crmObjects', 'legacyCrmObjects', 'hubEvents'] as const) {
      (config.subscriptions[section] ?? []).forEach((sub, index) => {
        const objectType = 'objectType' in sub ? sub.objectType : '';
        const key = [sub.subscriptionType, objectType, sub.propertyName ?? ''].join('|');
        const first = seen.get(key);
        if (first) {
          ctx.addIssue({ code: 'custom', path: ['subscriptions', section, index], message: `duplicate subscription (same as ${first}); remove one` });
        } else {
          seen.set(key, `subscriptions.${section}[${index}]`);
        }
      });
    }
  });

// ---------------------------------------------------------------------------------------
// Applying them to a project

export interface ConfigIssue {
  /** hsmeta file relative to the project directory, POSIX separators. */
  file: string;
  /** Dotted path inside the file, e.g. `config.auth.type` or `config.subscriptions.crmObjects[3].propertyName`. */
  field: string;
  message: string;
}

export interface ConfigCheckResult {
  ok: boolean;
  /** hsmeta files whose config was checked, relative to the project directory. */
  checkedFiles: string[];
  errors: ConfigIssue[];
}

export function createHsmetaConfigSchemas(srcDir: string): Record<string, z.ZodType> {
  return {
    app: appConfigSchema,
    card: cardConfigSchema(srcDir),
    settings: settingsConfigSchema(srcDir),
    webhooks: webhooksConfigSchema,
  };
}

function fieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : `${acc}.${String(s)}`), 'config');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}: not in HubSpot's documented config. Fix the spelling, or if HubSpot added the field, add it to ${THIS_FILE}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `required field is missing (expected ${issue.expected})`;
  return issue.message;
}

/** Every *-hsmeta.json under `dir` (node_modules skipped), sorted. */
export function findHsMetaFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findHsMetaFiles(full));
    else if (entry.name.endsWith('-hsmeta.json')) found.push(full);
  }
  return found.sort();
}

/**
 * Check the `config` of every *-hsmeta.json under the project's srcDir against the schemas
 * above. Structure (directories, uids, singular components) is validateProjectOffline's job.
 */
export function validateProjectConfigs(projectDir: string): ConfigCheckResult {
  const root = path.resolve(projectDir);
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const errors: ConfigIssue[] = [];
  let srcDirName: unknown;
  try {
    srcDirName = (JSON.parse(readFileSync(path.join(root, 'hsproject.json'), 'utf8')) as { srcDir?: unknown }).srcDir;
  } catch (e) {
    return { ok: false, checkedFiles: [], errors: [{ file: 'hsproject.json', field: '', message: `cannot read hsproject.json: ${(e as Error).message}` }] };
  }
  if (typeof srcDirName !== 'string' || srcDirName === '' || !existsSync(path.join(root, srcDirName))) {
    return { ok: false, checkedFiles: [], errors: [{ file: 'hsproject.json', field: 'srcDir', message: `srcDir ${JSON.stringify(srcDirName)} is not an existing folder of the project` }] };
  }
  const srcDir = path.join(root, srcDirName);
  const schemas = createHsmetaConfigSchemas(srcDir);
  const checkedFiles: string[] = [];

  for (const file of findHsMetaFiles(srcDir)) {
    const name = rel(file);
    checkedFiles.push(name);
    let meta: { type?: unknown; config?: unknown };
    try {
      meta = JSON.parse(readFileSync(file, 'utf8')) as typeof meta;
    } catch (e) {
      errors.push({ file: name, field: '', message: `invalid JSON: ${(e as Error).message}` });
      continue;
    }
    const schema = typeof meta.type === 'string' ? schemas[meta.type] : undefined;
    if (!schema) {
      errors.push({
        file: name,
        field: 'type',
        message: `tossup has no config schema for type ${JSON.stringify(meta.type)} (known: ${Object.keys(schemas).join(', ')}); add one to ${THIS_FILE} before using it`,
      });
      continue;
    }
    // reportInput keeps `input` on issues, so a missing field can be told from a wrong type.
    const parsed = schema.safeParse(meta.config, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ file: name, field: fieldPath(issue.path), message: issueMessage(issue) });
    }
  }
  return { ok: errors.length === 0, checkedFiles, errors };
}

/** One line per problem, `file: field: message`, for CI output. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.file}: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n');
}
