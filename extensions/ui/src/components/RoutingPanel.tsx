/**
 * The tab card's routing panel (issue 17): how the lead reached its rep (the path in
 * words, with a warning when nobody was available), the escalation ladder of the
 * current hand-off, and 「不在設定」 — the viewer's own out-of-office days (a super
 * admin may enter them for anyone by owner id).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Flex, Heading, Input, Tag, Text, Tile } from '@hubspot/ui-extensions';
import type { ApiError } from '@tossup/shared/card-dto';
import { formatDateTime, pick } from '@tossup/shared/i18n';
import type { LadderStepView, OutOfOfficeListView, RoutingPanelView } from '@tossup/shared/routing-dto';
import { createRoutingApiClient, type RoutingApiClient } from '../client/routing-api-client';
import type { I18n } from './card-context';

const STEP_WORDS: Record<LadderStepView['step'], [string, string]> = {
  reminder: ['リマインド', 'Reminder'],
  breach: ['期限超過', 'Breach'],
  escalation: ['エスカレーション', 'Escalation'],
  reassign: ['再割当', 'Reassign'],
};
const STATE_WORDS: Record<LadderStepView['state'], [string, string]> = {
  done: ['実施済み', 'done'],
  pending: ['未到来', 'not yet'],
  off: ['なし', 'off'],
  skipped: ['再割当先なし', 'nobody else available'],
};
const STATE_VARIANT = { done: 'warning', pending: 'default', off: 'default', skipped: 'error' } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function RoutingPanel({ i18n, contactId, client: given }: { i18n: I18n; contactId: string; client?: RoutingApiClient }) {
  const [client] = useState<RoutingApiClient>(() => given ?? createRoutingApiClient());
  const t = (ja: string, en: string) => pick(i18n.locale, ja, en);
  const [routing, setRouting] = useState<RoutingPanelView | null>(null);
  const [away, setAway] = useState<OutOfOfficeListView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const [r, o] = await Promise.all([client.getRouting(contactId), client.listOutOfOffice()]);
    if (r.ok) setRouting(r.data);
    else setError(r.error);
    if (o.ok) setAway(o.data);
  }, [client, contactId]);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async () => {
    setBusy(true);
    const res = await client.addOutOfOffice({ from, to });
    setBusy(false);
    if (!res.ok) return setError(res.error);
    setError(null);
    setAway(res.data);
    setFrom('');
    setTo('');
  };
  const remove = async (id: string) => {
    const res = await client.removeOutOfOffice(id);
    if (res.ok) setAway(res.data);
    else setError(res.error);
  };
  const datesValid = DATE.test(from) && DATE.test(to) && from <= to;
  const mine = (away?.ranges ?? []).filter((r) => r.ownerId === away?.ownerId);

  return (
    <Tile compact>
      <Heading>{t('割当の経緯', 'Routing path')}</Heading>
      <Flex direction="column" gap="xs">
        {error ? (
          <Alert title={t('読み込み・保存できませんでした', 'Could not load or save')} variant="error">
            {pick(i18n.locale, error.message_ja, error.message_en)}
          </Alert>
        ) : null}
        {routing?.path ? (
          <Text testId="routing-path">{pick(i18n.locale, routing.path.ja, routing.path.en)}</Text>
        ) : (
          <Text variant="microcopy">{t('まだトスアップされていません', 'Not handed off yet')}</Text>
        )}
        {routing?.warning ? (
          <Alert title={t('対応可能な担当者がいませんでした', 'Nobody was available')} variant="warning">
            {pick(i18n.locale, routing.warning.ja, routing.warning.en)}
          </Alert>
        ) : null}
        {routing && routing.ladder.length > 0 ? (
          <Flex direction="row" gap="xs" wrap testId="routing-ladder">
            {routing.ladder.map((s) => (
              <Tag key={s.step} variant={STATE_VARIANT[s.state]}>
                {`${t(...STEP_WORDS[s.step])}: ${t(...STATE_WORDS[s.state])}${s.at ? ` ${formatDateTime(s.at, i18n.locale, i18n.timeZone)}` : ''}${s.to ? ` → ${s.to}` : ''}`}
              </Tag>
            ))}
          </Flex>
        ) : null}

        {away?.ownerId ? (
          <>
            <Text format={{ fontWeight: 'bold' }}>{t('不在設定', 'Out of office')}</Text>
            {mine.map((r) => (
              <Flex key={r.id} direction="row" gap="xs" align="center">
                <Text>{`${r.from} 〜 ${r.to}${r.note ? `（${r.note}）` : ''}`}</Text>
                <Button size="xs" variant="transparent" onClick={() => void remove(r.id)} testId={`ooo-remove-${r.id}`}>
                  {t('取り消す', 'Remove')}
                </Button>
              </Flex>
            ))}
            <Flex direction="row" gap="xs" align="end">
              <Input name="ooo-from" label={t('開始日（YYYY-MM-DD）', 'From (YYYY-MM-DD)')} value={from} onChange={setFrom} testId="ooo-from" />
              <Input name="ooo-to" label={t('終了日（YYYY-MM-DD）', 'To (YYYY-MM-DD)')} value={to} onChange={setTo} testId="ooo-to" />
              <Button size="sm" disabled={!datesValid || busy} onClick={() => void submit()} testId="ooo-add">
                {t('不在を登録', 'Add')}
              </Button>
            </Flex>
            <Text variant="microcopy">{t('不在の日は新しいトスアップが割り当てられません（ポータルのタイムゾーン・営業日で判定）。', 'No new hand-offs reach you on these days (judged in the portal time zone and business calendar).')}</Text>
          </>
        ) : null}
      </Flex>
    </Tile>
  );
}
