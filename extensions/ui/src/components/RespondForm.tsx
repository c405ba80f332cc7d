/**
 * Accept / reject with a reason from the admin's list (settings `recycle.reasons`),
 * for the assigned rep — in the sidebar's rep view and on the tab card alike.
 * "Other" needs the rep's own words; every other reason stands by itself.
 */
import { useState } from 'react';
import { Button, ButtonRow, Flex, LoadingButton, Select, TextArea } from '@hubspot/ui-extensions';
import type { RejectReasonView } from '@tossup/shared/card-dto';
import { pick } from '@tossup/shared/i18n';
import type { I18n } from './card-context';

export interface RespondFormProps {
  i18n: I18n;
  rejectReasons: RejectReasonView[];
  busy: 'accept' | 'reject' | null;
  onAccept: () => void;
  onReject: (input: { reasonCode: string; reason: string }) => void;
}

export function RespondForm({ i18n, rejectReasons, busy, onAccept, onReject }: RespondFormProps) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [invalid, setInvalid] = useState<'code' | 'detail' | null>(null);

  const confirmReject = () => {
    const problem = reasonCode === '' ? 'code' : reasonCode === 'other' && reason.trim() === '' ? 'detail' : null;
    setInvalid(problem);
    if (!problem) onReject({ reasonCode, reason: reason.trim() });
  };

  return (
    <Flex direction="column" gap="sm" testId="respond">
      <ButtonRow>
        <LoadingButton variant="primary" loading={busy === 'accept'} disabled={busy !== null} onClick={onAccept} testId="accept">
          {i18n.t('accept_button')}
        </LoadingButton>
        <Button variant="secondary" disabled={busy !== null} onClick={() => setRejecting(!rejecting)} testId="reject-open">
          {i18n.t('reject_button')}
        </Button>
      </ButtonRow>
      {rejecting ? (
        <Flex direction="column" gap="sm" testId="reject-form">
          <Select
            name="reject-reason-code"
            label={i18n.t('reject_reason_label')}
            value={reasonCode}
            required
            error={invalid === 'code'}
            validationMessage={invalid === 'code' ? i18n.t('reject_reason_required') : undefined}
            options={rejectReasons.map((r) => ({ value: r.code, label: pick(i18n.locale, r.label_ja, r.label_en) }))}
            testId="reject-reason-code"
            onChange={(value) => {
              setReasonCode(String(value));
              setInvalid(null);
            }}
          />
          <TextArea
            name="reject-reason"
            label={i18n.t('reject_detail_label')}
            value={reason}
            error={invalid === 'detail'}
            validationMessage={invalid === 'detail' ? i18n.t('reject_detail_required') : undefined}
            rows={3}
            maxLength={2000}
            testId="reject-reason"
            onChange={(value: string) => {
              setReason(value);
              if (value.trim() !== '') setInvalid(null);
            }}
          />
          <LoadingButton variant="destructive" loading={busy === 'reject'} disabled={busy !== null} onClick={confirmReject} testId="reject-confirm">
            {i18n.t('reject_confirm')}
          </LoadingButton>
        </Flex>
      ) : null}
    </Flex>
  );
}
