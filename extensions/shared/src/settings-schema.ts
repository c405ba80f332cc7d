/**
 * Per-portal settings of tossup: one versioned document, validated by one zod
 * schema, used by the settings page (form validation, preview), the card API (save)
 * and the engine (app/src/domain). Import it from here: this module validates
 * (`parseSettings`) and re-exports the parts, which live by job in
 * portal-settings-schema.ts (zod schema and types), settings-defaults.ts (the
 * article's defaults), settings-messages.ts (the message catalogue) and
 * settings-warnings.ts. It sits above them so that none imports another in a circle
 * (app/dev/dependency-rules rejects cycles). Browser-safe: zod and sibling files only.
 */
import type { Bilingual } from './i18n';
import { SETTINGS_VERSION, legacyGateRule, legacyGateSchema, portalSettingsSchema, type PortalSettings } from './portal-settings-schema';
import { DEFAULT_SETTINGS } from './settings-defaults';
import { issueMessage, settingsMessage } from './settings-messages';

export * from './portal-settings-schema';
export { DEFAULT_SETTINGS } from './settings-defaults';
export { settingsWarnings, type SettingsWarning } from './settings-warnings';

export interface SettingsFieldError {
  /** Dotted path of the field, e.g. `sla.firstTouchHours`; empty for the whole document. */
  path: string;
  message: Bilingual;
}

export type ParseSettingsResult = { ok: true; settings: PortalSettings } | { ok: false; errors: SettingsFieldError[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fills fields missing from `input` with the defaults. Why: a document saved by an
 * older build may lack a field added later, and the settings page may send one
 * section at a time. Arrays and records the admin edits as a whole (word lists,
 * rules, team maps) are replaced, never merged element by element.
 */
function withDefaults(defaults: unknown, input: unknown): unknown {
  if (input === undefined) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(input)) return input;
  // Rule trees and id-keyed maps are taken as given.
  if ('type' in defaults || Object.keys(defaults).length === 0) return input;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(defaults), ...Object.keys(input)])) out[key] = withDefaults(defaults[key], input[key]);
  return out;
}

/**
 * Routing conditions that can never hold: a value-taking operator without a value, or
 * 以上/以下 with a value that is not a number (app/src/domain/routing-rules.ts). Checked
 * on every document an admin saves, previews or tests, so the page names the condition;
 * not on documents already stored (`stored: true`), because earlier builds accepted them
 * and a stored document that no longer parses would stop the portal's pipeline — there
 * such a condition simply never matches, as before.
 */
export function routingConditionErrors(settings: PortalSettings): SettingsFieldError[] {
  const errors: SettingsFieldError[] = [];
  settings.routing.rules.forEach((rule, i) =>
    rule.conditions.forEach((c, k) => {
      const path = `routing.rules.${i}.conditions.${k}.values`;
      if (c.op !== 'known' && c.op !== 'unknown' && c.values.length === 0) errors.push({ path, message: settingsMessage('routing_value_needed') });
      else if ((c.op === 'gte' || c.op === 'lte') && !Number.isFinite(Number(c.values[0]))) errors.push({ path, message: settingsMessage('routing_value_number', { value: c.values[0] ?? '' }) });
    }),
  );
  return errors;
}

/**
 * Validates a settings document (possibly partial: missing fields take the defaults).
 * Returns every problem with the field it belongs to, so the settings page can show
 * each message next to its input.
 */
export function parseSettings(input: unknown, options: { stored?: boolean } = {}): ParseSettingsResult {
  if (input !== undefined && input !== null && !isPlainObject(input)) {
    return { ok: false, errors: [{ path: '', message: settingsMessage('not_an_object') }] };
  }
  const doc: Record<string, unknown> = isPlainObject(input) ? { ...input, version: input.version ?? SETTINGS_VERSION } : { version: SETTINGS_VERSION };
  if (doc.version !== SETTINGS_VERSION) {
    return { ok: false, errors: [{ path: 'version', message: settingsMessage('unsupported_version', { version: String(doc.version), expected: SETTINGS_VERSION }) }] };
  }
  const errors: SettingsFieldError[] = [];
  if (isPlainObject(doc.gate) && !('rule' in doc.gate)) {
    // A gate saved before it was a rule (issue 16): its fields, checked by their old
    // schema so a bad value is still named (gate.minBantItems), become the equivalent rule.
    const legacy = legacyGateSchema.safeParse(doc.gate);
    if (legacy.success) doc.gate = { rule: legacyGateRule(legacy.data) };
    else {
      errors.push(...legacy.error.issues.map((issue) => ({ path: ['gate', ...issue.path].map(String).join('.'), message: issueMessage(issue) })));
      delete doc.gate;
    }
  }
  const result = portalSettingsSchema.safeParse(withDefaults(DEFAULT_SETTINGS, doc));
  if (result.success && !options.stored) errors.push(...routingConditionErrors(result.data));
  if (result.success && errors.length === 0) return { ok: true, settings: result.data };
  if (!result.success) errors.push(...result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issueMessage(issue) })));
  return { ok: false, errors };
}
