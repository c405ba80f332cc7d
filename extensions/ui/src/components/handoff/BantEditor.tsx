/**
 * The BANT checklist with a note per item and the hand-off reason, as IS types them.
 * Only the IS view renders it; what the answers mean for the hand-off is the gate's
 * (GateSection), decided by the backend.
 */
import { Checkbox, Flex, Heading, LoadingButton, Text, TextArea } from '@hubspot/ui-extensions';
import { BANT_ITEMS } from '@tossup/shared/card-dto';
import type { BantInput } from '../../client/card-api-client';
import type { I18n } from '../card-context';

export interface BantEditorProps {
  i18n: I18n;
  draft: BantInput;
  dirty: boolean;
  saving: boolean;
  disabled: boolean;
  onChange: (draft: BantInput) => void;
  onSave: () => void;
}

export function BantEditor({ i18n, draft, dirty, saving, disabled, onChange, onSave }: BantEditorProps) {
  return (
    <Flex direction="column" gap="sm" testId="bant-editor">
      <Heading>{i18n.t('bant_title')}</Heading>
      <Text variant="microcopy" testId="bant-count">
        {i18n.t('bant_count', { n: BANT_ITEMS.filter((b) => draft.bant[b]).length })}
      </Text>
      {BANT_ITEMS.map((item) => (
        <Flex direction="column" gap="xs" key={item}>
          <Checkbox
            name={`bant-${item}`}
            value={item}
            checked={draft.bant[item]}
            description={i18n.t(`bant_${item}_hint` as const)}
            testId={`bant-${item}`}
            onChange={(checked: boolean) => onChange({ ...draft, bant: { ...draft.bant, [item]: checked } })}
          >
            {i18n.t(`bant_${item}` as const)}
          </Checkbox>
          <TextArea
            name={`bant-note-${item}`}
            label={i18n.t('bant_note_label', { item: i18n.t(`bant_${item}` as const) })}
            value={draft.notes[item]}
            rows={2}
            maxLength={500}
            testId={`bant-note-${item}`}
            onChange={(value: string) => onChange({ ...draft, notes: { ...draft.notes, [item]: value } })}
          />
        </Flex>
      ))}
      <TextArea
        name="handoff-reason"
        label={i18n.t('reason_label')}
        placeholder={i18n.t('reason_placeholder')}
        value={draft.reason}
        rows={3}
        maxLength={2000}
        testId="reason"
        onChange={(value: string) => onChange({ ...draft, reason: value })}
      />
      <LoadingButton loading={saving} disabled={!dirty || disabled} variant="secondary" onClick={onSave} testId="save-bant">
        {i18n.t('save_bant')}
      </LoadingButton>
    </Flex>
  );
}
