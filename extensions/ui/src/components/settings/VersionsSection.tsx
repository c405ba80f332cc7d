/**
 * The settings history (issue 16): every saved version with who, when and what
 * changed; the pending draft can be published, any older version restored (which
 * makes a new, published version), any version shown as JSON (export), and a pasted
 * JSON imported as a draft once its diff against the live settings was shown.
 */
import { Alert, Button, Divider, Flex, Heading, List, LoadingButton, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import type { SettingsVersionView } from '@tossup/shared/card-dto';
import { formatDateTime } from '@tossup/shared/i18n';
import { ActionError } from '../CardStates';
import type { I18n } from '../card-context';
import { inLocale, say } from './console-messages';
import type { SettingsVersions } from './use-settings-versions';

export interface VersionsSectionProps {
  i18n: I18n;
  versions: SettingsVersions;
  canEdit: boolean;
  /** The settings as edited on the page, saved by "save as draft". */
  edited: unknown;
  editedValid: boolean;
}

export function VersionsSection({ i18n, versions, canEdit, edited, editedValid }: VersionsSectionProps) {
  const { list, busy } = versions;
  return (
    <Flex direction="column" gap="sm">
      <Divider />
      <Heading>{say(i18n, 'versions_title')}</Heading>
      {versions.error ? <ActionError i18n={i18n} error={versions.error} /> : null}
      <Flex direction="row" gap="sm">
        <LoadingButton variant="secondary" loading={busy === 'list'} disabled={busy !== null} onClick={() => void versions.load()} testId="versions-show">
          {say(i18n, 'versions_show')}
        </LoadingButton>
        {canEdit ? (
          <LoadingButton variant="secondary" loading={busy === 'draft'} disabled={!editedValid || busy !== null} onClick={() => void versions.saveDraft(edited)} testId="draft-save">
            {say(i18n, 'draft_save')}
          </LoadingButton>
        ) : null}
      </Flex>
      {list && list.versions.length === 0 ? <Text testId="versions-empty">{say(i18n, 'versions_empty')}</Text> : null}
      {list?.versions.map((v) => <VersionRow key={v.versionNo} i18n={i18n} v={v} versions={versions} canEdit={canEdit && list.canEdit} />)}
      {versions.exported ? (
        <TextArea
          label={say(i18n, 'export_label', { n: versions.exported.versionNo })}
          name="settings-export"
          value={versions.exported.json}
          readOnly
          rows={12}
          testId="settings-export"
        />
      ) : null}
      {canEdit ? <ImportPanel i18n={i18n} versions={versions} /> : null}
    </Flex>
  );
}

function VersionRow({ i18n, v, versions, canEdit }: { i18n: I18n; v: SettingsVersionView; versions: SettingsVersions; canEdit: boolean }) {
  const { busy } = versions;
  const who = v.createdByName ?? (v.createdBy ? `#${v.createdBy}` : say(i18n, 'version_unknown_user'));
  return (
    <Flex direction="column" gap="xs" testId={`version-${v.versionNo}`}>
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'bold' }}>{say(i18n, 'version_line', { n: v.versionNo, when: formatDateTime(v.createdAt, i18n.locale, i18n.timeZone), who })}</Text>
        {v.live ? <Tag variant="success">{say(i18n, 'version_live')}</Tag> : null}
        {v.pendingDraft ? <Tag variant="warning">{say(i18n, 'version_draft')}</Tag> : null}
        {v.restoredFrom !== null ? <Tag>{say(i18n, 'version_restored', { n: v.restoredFrom })}</Tag> : null}
      </Flex>
      <List variant="unordered-styled">
        {v.summary.map((line, i) => (
          <Text key={i} variant="microcopy">
            {inLocale(i18n, line)}
          </Text>
        ))}
      </List>
      <Flex direction="row" gap="sm">
        {canEdit && v.pendingDraft ? (
          <LoadingButton variant="primary" size="sm" loading={busy === `publish:${v.versionNo}`} disabled={busy !== null} onClick={() => void versions.publish(v.versionNo)} testId={`publish-${v.versionNo}`}>
            {say(i18n, 'version_publish')}
          </LoadingButton>
        ) : null}
        {canEdit && !v.live && !v.pendingDraft ? (
          <LoadingButton variant="secondary" size="sm" loading={busy === `restore:${v.versionNo}`} disabled={busy !== null} onClick={() => void versions.restore(v.versionNo)} testId={`restore-${v.versionNo}`}>
            {say(i18n, 'version_restore')}
          </LoadingButton>
        ) : null}
        <Button variant="transparent" size="sm" disabled={busy !== null} onClick={() => void versions.exportVersion(v.versionNo)} testId={`export-${v.versionNo}`}>
          {say(i18n, 'version_export')}
        </Button>
      </Flex>
    </Flex>
  );
}

function ImportPanel({ i18n, versions }: { i18n: I18n; versions: SettingsVersions }) {
  const { importDiff, busy } = versions;
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'bold' }}>{say(i18n, 'import_title')}</Text>
      <TextArea
        label={say(i18n, 'import_label')}
        name="settings-import"
        value={versions.importText}
        rows={6}
        error={versions.importBadJson}
        validationMessage={versions.importBadJson ? say(i18n, 'import_bad_json') : undefined}
        onChange={(text: string) => versions.editImport(text)}
        testId="settings-import"
      />
      <LoadingButton variant="secondary" loading={busy === 'import'} disabled={versions.importText.trim() === '' || versions.importBadJson || busy !== null} onClick={() => void versions.checkImport()} testId="import-check">
        {say(i18n, 'import_check')}
      </LoadingButton>
      {importDiff ? (
        <Alert title={importDiff.changed === 0 ? say(i18n, 'import_no_change') : say(i18n, 'import_diff_title', { n: importDiff.changed })} variant="info" testId="import-diff">
          <List variant="unordered-styled">
            {importDiff.changes.map((line, i) => (
              <Text key={i}>{inLocale(i18n, line)}</Text>
            ))}
          </List>
        </Alert>
      ) : null}
      {importDiff && importDiff.changed > 0 ? (
        <LoadingButton variant="primary" loading={busy === 'draft'} disabled={busy !== null} onClick={() => void versions.importAsDraft()} testId="import-as-draft">
          {say(i18n, 'import_as_draft')}
        </LoadingButton>
      ) : null}
    </Flex>
  );
}
