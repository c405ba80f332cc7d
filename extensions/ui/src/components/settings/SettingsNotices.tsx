/**
 * What the settings page says above the form: read-only for non-admins, the missing
 * escalation owner, the other warnings of the backend (for the previewed draft once
 * there is a preview), a refused action, every invalid field with the section it is in
 * (and a button that opens that section), and when the live settings last changed.
 */
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';
import type { ApiError, SettingsWarning } from '@tossup/shared/card-dto';
import { formatDateTime, pick } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { ActionError } from '../CardStates';
import type { I18n } from '../card-context';
import { say } from './console-messages';
import { hasEscalationOwner } from './settings-draft';
import type { LocatedError, SectionId } from './settings-error-summary';

/** Sections whose Accordion the page controls (the 開く button opens them). */
const OPENABLE = new Set<SectionId>(['departments', 'scoring', 'forms', 'thresholds', 'sla', 'routing', 'routingRules']);

export interface SettingsNoticesProps {
  i18n: I18n;
  s: PortalSettings;
  readOnly: boolean;
  warnings: readonly SettingsWarning[];
  actionError: ApiError | null;
  valid: boolean;
  /** Problems of the document as a whole (path ''). */
  documentMessage: string | undefined;
  /** Every invalid field, located (settings-error-summary.ts). */
  errors: readonly LocatedError[];
  onShowSection: (id: SectionId) => void;
  updatedAt: number | null;
}

export function SettingsNotices({ i18n, s, readOnly, warnings, actionError, valid, documentMessage, errors, onShowSection, updatedAt }: SettingsNoticesProps) {
  return (
    <>
      {readOnly ? (
        <Alert title={i18n.t('notAuthorisedTitle')} variant="info" testId="settings-read-only">
          {i18n.t('settings_read_only')}
        </Alert>
      ) : null}
      {!hasEscalationOwner(s) || warnings.some((w) => w.code === 'no_escalation_owner') ? (
        <Alert title={i18n.t('settings_no_escalation_title')} variant="warning" testId="no-escalation-owner">
          {i18n.t('settings_no_escalation_body')}
        </Alert>
      ) : null}
      {warnings
        .filter((w) => w.code !== 'no_escalation_owner')
        .map((w) => (
          <Alert key={w.code} title={pick(i18n.locale, w.message_ja, w.message_en)} variant="warning" testId={`warning-${w.code}`} />
        ))}
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {!valid ? (
        <Alert title={errors.length > 0 ? say(i18n, 'errors_title', { n: errors.length }) : i18n.t('settings_invalid')} variant="danger" testId="settings-invalid">
          <Flex direction="column" gap="flush">
            {documentMessage ? <Text>{documentMessage}</Text> : null}
            {errors.map((e) => (
              <Flex key={e.path} direction="row" gap="sm" align="center">
                <Text testId={`error-${e.path}`}>{say(i18n, 'errors_item', { section: e.sectionTitle, field: e.field, message: e.message })}</Text>
                {OPENABLE.has(e.section) ? (
                  <Button size="xs" variant="transparent" onClick={() => onShowSection(e.section)} testId={`error-${e.path}-open`}>
                    {say(i18n, 'errors_open')}
                  </Button>
                ) : null}
              </Flex>
            ))}
          </Flex>
        </Alert>
      ) : null}
      {updatedAt !== null ? (
        <Text variant="microcopy" testId="settings-updated-at">
          {say(i18n, 'settings_updated_at', { when: formatDateTime(updatedAt, i18n.locale, i18n.timeZone) })}
        </Text>
      ) : null}
    </>
  );
}
