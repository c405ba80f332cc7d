/**
 * Everyone's 「不在設定」 on the settings page (issue 17): the away days of every rep
 * from today on, and a super admin adds or removes them for anyone — the same signed
 * routes as the tab card's own 「不在設定」 (GET/POST /api/v1/out-of-office,
 * POST /api/v1/out-of-office/:id/delete), which refuse others' days to anyone but a
 * super admin. The server checks the input and names the field at fault in both
 * languages (ApiError.fields); the message shows under that input.
 */
import { useCallback, useEffect, useState } from 'react';
import { Accordion, Alert, Button, Flex, Input, Select, Text } from '@hubspot/ui-extensions';
import type { ApiError, PersonRef } from '@tossup/shared/card-dto';
import { pick } from '@tossup/shared/i18n';
import type { OutOfOfficeListView } from '@tossup/shared/routing-dto';
import type { RoutingApiClient } from '../../client/routing-api-client';
import type { I18n } from '../card-context';
import { say } from './console-messages';

type Field = 'ownerId' | 'from' | 'to' | 'note';

export function AwayDaysSection({ i18n, owners, client }: { i18n: I18n; owners: readonly PersonRef[]; client: RoutingApiClient }) {
  const [away, setAway] = useState<OutOfOfficeListView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<Record<Field, string>>({ ownerId: '', from: '', to: '', note: '' });

  const answer = (r: { ok: true; data: OutOfOfficeListView } | { ok: false; error: ApiError }) => {
    if (r.ok) {
      setAway(r.data);
      setError(null);
    } else setError(r.error);
    return r.ok;
  };
  const failed = (e: unknown) => setError({ code: 'internal_error', message_ja: String(e), message_en: String(e) });
  const load = useCallback(async () => {
    try {
      answer(await client.listOutOfOffice());
    } catch (e) {
      failed(e);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  const fieldMessage = (f: Field) => {
    const hit = error?.fields?.find((x) => x.path === f);
    return hit ? pick(i18n.locale, hit.message_ja, hit.message_en) : undefined;
  };
  const fieldProps = (f: Field) => ({ error: Boolean(fieldMessage(f)), validationMessage: fieldMessage(f) });
  const set = (f: Field) => (v: unknown) => setDraft((d) => ({ ...d, [f]: String(v ?? '') }));
  const nameOf = (ownerId: string) => owners.find((o) => o.ownerId === ownerId)?.name ?? `#${ownerId}`;
  const canEdit = away?.canEditOthers === true;

  const add = async () => {
    setBusy(true);
    setDone(null);
    try {
      const ok = answer(await client.addOutOfOffice({ ownerId: draft.ownerId, from: draft.from.trim(), to: draft.to.trim(), ...(draft.note.trim() ? { note: draft.note.trim() } : {}) }));
      if (ok) {
        setDone(say(i18n, 'away_added', { name: nameOf(draft.ownerId), from: draft.from.trim(), to: draft.to.trim() }));
        setDraft({ ownerId: '', from: '', to: '', note: '' });
      }
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setDone(null);
    try {
      answer(await client.removeOutOfOffice(id));
    } catch (e) {
      failed(e);
    }
  };

  return (
    <Accordion title={say(i18n, 'away_title')} testId="section-away-days">
      <Flex direction="column" gap="sm">
        <Text variant="microcopy">{say(i18n, 'away_help')}</Text>
        {error && !error.fields?.length ? (
          <Alert title={say(i18n, 'away_error')} variant="error" testId="away-error">
            {pick(i18n.locale, error.message_ja, error.message_en)}
          </Alert>
        ) : null}
        {done ? (
          <Text testId="away-done" format={{ fontWeight: 'demibold' }}>
            {`✓ ${done}`}
          </Text>
        ) : null}
        {away === null && !error ? <Text variant="microcopy">{say(i18n, 'away_loading')}</Text> : null}
        {away && away.ranges.length === 0 ? <Text testId="away-none">{say(i18n, 'away_none')}</Text> : null}
        {away?.ranges.map((r) => (
          <Flex key={r.id} direction="row" gap="xs" align="center" testId={`away-${r.id}`}>
            <Text testId={`away-${r.id}-line`}>{`${say(i18n, 'away_line', { name: r.ownerName, from: r.from, to: r.to })}${r.note ? (i18n.locale === 'ja' ? `（${r.note}）` : ` (${r.note})`) : ''}`}</Text>
            {canEdit ? (
              <Button size="xs" variant="transparent" onClick={() => void remove(r.id)} testId={`away-remove-${r.id}`}>
                {say(i18n, 'away_remove')}
              </Button>
            ) : null}
          </Flex>
        ))}
        {away && !canEdit ? (
          <Text variant="microcopy" testId="away-read-only">
            {say(i18n, 'away_read_only')}
          </Text>
        ) : null}
        {canEdit ? (
          <Flex direction="row" gap="xs" align="end" wrap>
            <Select
              name="away-owner"
              testId="away-owner"
              label={say(i18n, 'away_owner')}
              placeholder={say(i18n, 'away_owner_pick')}
              value={draft.ownerId}
              options={owners.map((o) => ({ value: o.ownerId, label: o.name }))}
              {...fieldProps('ownerId')}
              onChange={set('ownerId')}
            />
            <Input name="away-from" testId="away-from" label={say(i18n, 'away_from')} value={draft.from} {...fieldProps('from')} onChange={set('from')} />
            <Input name="away-to" testId="away-to" label={say(i18n, 'away_to')} value={draft.to} {...fieldProps('to')} onChange={set('to')} />
            <Input name="away-note" testId="away-note" label={say(i18n, 'away_note')} value={draft.note} {...fieldProps('note')} onChange={set('note')} />
            <Button size="sm" disabled={busy || draft.ownerId === ''} onClick={() => void add()} testId="away-add">
              {say(i18n, 'away_add')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
    </Accordion>
  );
}
