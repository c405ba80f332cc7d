/**
 * What every section of the settings page works with, and the props its fields
 * repeat: read-only for non-admins, the schema's message for the field's path, and
 * the edit of that path in the draft.
 */
import { pick } from '@tossup/shared/i18n';
import { SCORING_RULE_LABELS, type ScoringRuleId } from '@tossup/shared/rule-labels';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { I18n } from '../card-context';
import { messageFor } from './settings-draft';
import type { SectionId } from './settings-error-summary';

export interface SettingsForm {
  i18n: I18n;
  /** The draft being edited. */
  s: PortalSettings;
  readOnly: boolean;
  edit: (path: readonly string[], value: unknown) => void;
  /** The validation message of a field (or of anything below it). */
  msg: (path: string) => string | undefined;
  /** Props of a section's Accordion: the page opens a section from the error summary. */
  section: (id: SectionId) => { open: boolean; onClick: () => void };
}

export interface SectionState {
  open: Partial<Record<SectionId, boolean>>;
  toggle: (id: SectionId) => void;
}

export function createSettingsForm(
  i18n: I18n,
  s: PortalSettings,
  readOnly: boolean,
  messages: Record<string, string>,
  edit: (path: readonly string[], value: unknown) => void,
  sections: SectionState = { open: {}, toggle: () => undefined },
): SettingsForm {
  return {
    i18n,
    s,
    readOnly,
    edit,
    msg: (path) => messageFor(messages, path),
    section: (id) => ({ open: sections.open[id] ?? false, onClick: () => sections.toggle(id) }),
  };
}

/**
 * Props of an input bound to `path`: `<NumberInput … {...fieldProps(form, ['sla', 'firstTouchHours'])} />`.
 * `toValue` turns what the input gives (e.g. a comma list) into the setting's value.
 */
export function fieldProps<T = unknown>(form: SettingsForm, path: readonly string[], toValue: (input: T) => unknown = (input) => input) {
  return { readOnly: form.readOnly, ...validationProps(form, path), onChange: (input: T) => form.edit(path, toValue(input)) };
}

/** The schema's message for `path`, as HubSpot's `error` and `validationMessage` props. */
export function validationProps(form: SettingsForm, path: readonly string[]) {
  const message = form.msg(path.join('.'));
  return { error: Boolean(message), validationMessage: message };
}

/** Props of an on/off toggle bound to `path` (toggles carry no validation message). */
export function toggleProps(form: SettingsForm, path: readonly string[]) {
  return { readOnly: form.readOnly, onChange: (on: boolean) => form.edit(path, on) };
}

export function ruleLabel(i18n: I18n, rule: ScoringRuleId): string {
  return pick(i18n.locale, SCORING_RULE_LABELS[rule].ja, SCORING_RULE_LABELS[rule].en);
}
