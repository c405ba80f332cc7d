/**
 * What the settings page says above the form: read-only for non-admins, the missing
 * escalation owner, the other warnings of the backend (for the previewed draft once
 * there is a preview), a refused action, invalid fields, and when the settings were saved.
 */
import { Alert, Text } from '@hubspot/ui-extensions';
import type { ApiError, SettingsWarning } from '@tossup/shared/card-dto';
import { formatDateTime, pick } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { ActionError } from '../CardStates';
import type { I18n } from '../card-context';
import { hasEscalationOwner } from './settings-draft';

export interface SettingsNoticesProps {
  i18n: I18n;
  s: PortalSettings;
  readOnly: boolean;
  warnings: readonly SettingsWarning[];
  actionError: ApiError | null;
  valid: boolean;
  /** Problems of the document as a whole (path ''). */
  documentMessage: string | undefined;
  updatedAt: number | null;
}

export function SettingsNotices({ i18n, s, readOnly, warnings, actionError, valid, documentMessage, updatedAt }: SettingsNoticesProps) {
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
        <Alert title={i18n.t('settings_invalid')} variant="danger" testId="settings-invalid">
          {documentMessage ?? ''}
        </Alert>
      ) : null}
      {updatedAt !== null ? <Text variant="microcopy">{formatDateTime(updatedAt, i18n.locale, i18n.timeZone)}</Text> : null}
    </>
  );
}
