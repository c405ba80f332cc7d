/** The preview of the draft's effect on current contacts (stage moves, side effects, the sample), and the buttons: preview, save (only after a current preview), cancel. */
import { Alert, Button, Flex, List, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { SettingsPreviewView } from '@tossup/shared/card-dto';
import type { I18n } from '../card-context';
import { say } from './console-messages';
import type { SettingsEditor } from './use-settings-editor';

type Editing = Pick<SettingsEditor, 'preview' | 'valid' | 'busy' | 'runPreview' | 'save' | 'cancel'>;

export function PreviewAndSave({ i18n, editor }: { i18n: I18n; editor: Editing }) {
  const { preview, valid, busy } = editor;
  return (
    <Flex direction="column" gap="sm">
      <PreviewResult i18n={i18n} preview={preview} />
      {preview === null ? <Text variant="microcopy">{i18n.t('settings_preview_needed')}</Text> : null}
      <Flex direction="row" gap="sm">
        <LoadingButton variant="secondary" loading={busy === 'preview'} disabled={!valid || busy !== null} onClick={() => void editor.runPreview()} testId="preview">
          {i18n.t('settings_preview')}
        </LoadingButton>
        <LoadingButton variant="primary" loading={busy === 'save'} disabled={!valid || preview === null || busy !== null} onClick={() => void editor.save()} testId="save-settings">
          {i18n.t('save')}
        </LoadingButton>
        <Button variant="transparent" disabled={busy !== null} onClick={editor.cancel}>
          {i18n.t('cancel')}
        </Button>
      </Flex>
    </Flex>
  );
}

function PreviewResult({ i18n, preview }: { i18n: I18n; preview: SettingsPreviewView | null }) {
  if (!preview) return null;
  return (
    <Alert title={i18n.t('settings_preview_result', { changed: preview.changed, evaluated: preview.evaluated })} variant={preview.changed > 0 ? 'warning' : 'info'} testId="preview-result">
      <Flex direction="column" gap="xs">
        {preview.truncated ? <Text>{i18n.t('settings_preview_truncated', { evaluated: preview.evaluated })}</Text> : null}
        <Transitions i18n={i18n} transitions={preview.transitions} />
        {preview.sample ? <Text variant="microcopy" testId="preview-sample">{say(i18n, 'impact_sample', preview.sample)}</Text> : null}
        {preview.impact ? <Impact i18n={i18n} impact={preview.impact} title="impact_title" /> : null}
      </Flex>
    </Alert>
  );
}

/** The stage moves, most frequent first (「新規 → MQL: 9 件」). */
export function Transitions({ i18n, transitions }: { i18n: I18n; transitions: SettingsPreviewView['transitions'] }) {
  return (
    <List variant="unordered-styled">
      {transitions.map((t) => (
        <Text key={`${t.from}-${t.to}`}>{i18n.t('settings_transition', { from: i18n.t(`stage_${t.from}` as const), to: i18n.t(`stage_${t.to}` as const), n: t.count })}</Text>
      ))}
    </List>
  );
}

/** The side effects spelled out: hand-offs and their HIGH tasks per rep, MQL tasks, stage moves (the sample preview and the full-portal run alike). */
export function Impact({ i18n, impact, title, testPrefix = '' }: { i18n: I18n; impact: NonNullable<SettingsPreviewView['impact']>; title: 'impact_title' | 'full_impact_title'; testPrefix?: string }) {
  return (
    <Flex direction="column" gap="xs" testId={`${testPrefix}preview-impact`}>
      <Text format={{ fontWeight: 'demibold' }}>{say(i18n, title)}</Text>
      <Text testId={`${testPrefix}impact-handoffs`}>{say(i18n, 'impact_handoffs', { n: impact.handoffs })}</Text>
      {impact.handoffTasksByRep.map((r) => (
        <Text key={r.ownerId} variant="microcopy">{`・${say(i18n, 'impact_rep', { name: r.name, n: r.count })}`}</Text>
      ))}
      <Text testId={`${testPrefix}impact-mql`}>{say(i18n, 'impact_mql', { n: impact.mqlTasks })}</Text>
      <Text testId={`${testPrefix}impact-stages`}>{say(i18n, 'impact_stages', { n: impact.stageMoves })}</Text>
    </Flex>
  );
}
