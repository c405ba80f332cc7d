/**
 * The reject reasons (settings `recycle.reasons`, issue 14): add, relabel, reorder and
 * remove the reasons Sales chooses from. A code is the value reports group by (the
 * options of `tossup_reject_reason_code`, synced at publish by the backend), so a code
 * that is published is shown read-only; a new reason's code can be typed until it is
 * published. Validation is the shared schema's, shown on the field it names.
 */
import { Accordion, Button, Flex, Input, Text } from '@hubspot/ui-extensions';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { sayReason } from './reject-reason-messages';
import { validationProps, type SettingsForm } from './settings-form';

type Reason = PortalSettings['recycle']['reasons'][number];

/** `list` with the items at i and j swapped (a reorder by one step). */
function swapped<T>(list: readonly T[], i: number, j: number): T[] {
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export function RejectReasonsSection({ form, publishedCodes }: { form: SettingsForm; publishedCodes: readonly string[] }) {
  const { i18n, s, readOnly, edit } = form;
  const reasons = s.recycle.reasons;
  const setReasons = (next: Reason[]) => edit(['recycle', 'reasons'], next);
  const change = (i: number, patch: Partial<Reason>) => setReasons(reasons.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const path = (i: number, field: keyof Reason) => ['recycle', 'reasons', String(i), field];
  return (
    <Accordion title={sayReason(i18n, 'reasons_title')} testId="section-reject-reasons">
      <Flex direction="column" gap="sm">
        <Text variant="microcopy">{sayReason(i18n, 'reasons_help')}</Text>
        {reasons.map((r, i) => {
          const published = publishedCodes.includes(r.code);
          return (
            <Flex key={i} direction="row" gap="sm" align="end">
              <Input
                name={`reason-${i}-code`}
                label={sayReason(i18n, published ? 'reason_code_published' : 'reason_code')}
                value={r.code}
                readOnly={readOnly || published}
                {...validationProps(form, path(i, 'code'))}
                onChange={(v: string) => change(i, { code: v.trim() })}
                testId={`reason-${i}-code`}
              />
              <Input
                name={`reason-${i}-ja`}
                label={sayReason(i18n, 'reason_ja')}
                value={r.ja}
                readOnly={readOnly}
                {...validationProps(form, path(i, 'ja'))}
                onChange={(v: string) => change(i, { ja: v })}
                testId={`reason-${i}-ja`}
              />
              <Input
                name={`reason-${i}-en`}
                label={sayReason(i18n, 'reason_en')}
                value={r.en}
                readOnly={readOnly}
                {...validationProps(form, path(i, 'en'))}
                onChange={(v: string) => change(i, { en: v })}
                testId={`reason-${i}-en`}
              />
              {!readOnly ? (
                <Flex direction="row" gap="xs">
                  <Button size="xs" variant="transparent" disabled={i === 0} onClick={() => setReasons(swapped(reasons, i, i - 1))} testId={`reason-${i}-up`}>
                    {sayReason(i18n, 'reason_up')}
                  </Button>
                  <Button size="xs" variant="transparent" disabled={i === reasons.length - 1} onClick={() => setReasons(swapped(reasons, i, i + 1))} testId={`reason-${i}-down`}>
                    {sayReason(i18n, 'reason_down')}
                  </Button>
                  <Button size="xs" variant="transparent" onClick={() => setReasons(reasons.filter((_, j) => j !== i))} testId={`reason-${i}-remove`}>
                    {sayReason(i18n, 'reason_remove')}
                  </Button>
                </Flex>
              ) : null}
            </Flex>
          );
        })}
        {form.msg('recycle.reasons') && reasons.length === 0 ? <Text variant="microcopy">{form.msg('recycle.reasons')}</Text> : null}
        {!readOnly ? (
          <Button size="xs" variant="secondary" onClick={() => setReasons([...reasons, { code: '', ja: '', en: '' }])} testId="reason-add">
            {sayReason(i18n, 'reason_add')}
          </Button>
        ) : null}
        <Text variant="microcopy">{sayReason(i18n, 'reason_other_note')}</Text>
      </Flex>
    </Accordion>
  );
}
