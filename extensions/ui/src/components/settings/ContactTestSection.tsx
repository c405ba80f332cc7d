/**
 * "Test on a contact" (issue 16): the engine's decision for one contact under the
 * live settings and under the settings as edited on the page, side by side: score
 * with its breakdown, each rule traced condition by condition with the value it saw,
 * the gate, the routing path and the SLA deadlines. Read-only (POST
 * /api/v1/settings/test-contact plans nothing).
 */
import { useState } from 'react';
import { Flex, Heading, Input, List, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { ApiError, ContactTestView, RuleTraceView, SettingsTestContactView } from '@tossup/shared/card-dto';
import { formatDateTime } from '@tossup/shared/i18n';
import type { CardApiClient } from '../../client/card-api-client';
import { ActionError } from '../CardStates';
import type { I18n } from '../card-context';
import { inLocale, say } from './console-messages';

const mark = (holds: boolean) => (holds ? '✔' : '✖');

export function ContactTestSection({ i18n, client, edited, editedValid }: { i18n: I18n; client: CardApiClient; edited: unknown; editedValid: boolean }) {
  const [contactId, setContactId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<SettingsTestContactView | null>(null);
  const ref = contactId.trim();
  // A record id (digits) or a primary e-mail; the API answers which field is wrong either way.
  const badId = ref !== '' && !/^\d{1,20}$/.test(ref) && !/^[^\s@]+@[^\s@]+$/.test(ref);

  const run = async () => {
    setBusy(true);
    setError(null);
    const r = await client.testContact(ref, editedValid ? edited : undefined);
    setBusy(false);
    if (r.ok) setResult(r.data);
    else setError(r.error);
  };

  return (
    <Flex direction="column" gap="sm">
      <Heading>{say(i18n, 'test_title')}</Heading>
      <Text variant="microcopy">{say(i18n, 'test_contact_hint')}</Text>
      <Flex direction="row" gap="sm" align="end">
        <Input
          label={say(i18n, 'test_contact_label')}
          name="test-contact-id"
          value={contactId}
          error={badId}
          validationMessage={badId ? say(i18n, 'test_contact_bad_id') : undefined}
          onChange={(v: string) => setContactId(v)}
          testId="test-contact-id"
        />
        <LoadingButton variant="secondary" loading={busy} disabled={busy || badId || contactId.trim() === ''} onClick={() => void run()} testId="test-contact-run">
          {say(i18n, 'test_run')}
        </LoadingButton>
      </Flex>
      {error ? <ActionError i18n={i18n} error={error} /> : null}
      {result?.email !== undefined ? <Text testId="test-found-by">{say(i18n, 'test_found_by_email', { email: result.email, id: result.contactId })}</Text> : null}
      {result ? (
        <Flex direction="row" gap="md" wrap="wrap">
          <Outcome i18n={i18n} title={say(i18n, 'test_published')} r={result.published} side="published" />
          {result.draft ? <Outcome i18n={i18n} title={say(i18n, 'test_draft')} r={result.draft} side="draft" /> : null}
        </Flex>
      ) : null}
    </Flex>
  );
}

function Outcome({ i18n, title, r, side }: { i18n: I18n; title: string; r: ContactTestView; side: 'published' | 'draft' }) {
  const when = (ms: number) => formatDateTime(ms, i18n.locale, i18n.timeZone);
  return (
    <Flex direction="column" gap="xs" testId={`test-${side}`}>
      <Text format={{ fontWeight: 'bold' }}>{title}</Text>
      <Text testId={`test-${side}-score`}>{say(i18n, 'test_score', { total: r.score.total, behavior: r.score.behavior, attribute: r.score.attribute })}</Text>
      <List variant="unordered-styled">
        {r.score.lines.map((l, i) => (
          <Text key={i} variant="microcopy">{`${inLocale(i18n, l.label)} ${l.points >= 0 ? '+' : ''}${l.points}`}</Text>
        ))}
      </List>
      <Text format={{ fontWeight: 'demibold' }}>{`${mark(r.mql.holds)} ${say(i18n, 'test_mql')}`}</Text>
      <Trace i18n={i18n} t={r.mql} path={`test-${side}-mql`} />
      <Text format={{ fontWeight: 'demibold' }}>{`${mark(r.sql.holds)} ${say(i18n, 'test_sql')}`}</Text>
      <Trace i18n={i18n} t={r.sql} path={`test-${side}-sql`} />
      <Text format={{ fontWeight: 'demibold' }} testId={`test-${side}-gate`}>
        {r.gate.passed ? `✔ ${say(i18n, 'test_gate_passed')}` : `✖ ${say(i18n, 'test_gate_blocked', { n: r.gate.blocking.length })}`}
      </Text>
      {r.gate.blocking.map((b, i) => (
        <Text key={i} variant="microcopy">{`・${inLocale(i18n, b)}`}</Text>
      ))}
      <Text format={{ fontWeight: 'demibold' }}>{say(i18n, 'test_routing')}</Text>
      {r.routing.steps.map((step, i) => (
        <Text key={i} testId={`test-${side}-route-${i}`}>
          {inLocale(i18n, step)}
        </Text>
      ))}
      <Text variant="microcopy">{say(i18n, 'test_sla', { first: when(r.sla.firstTouchDueAt), status: when(r.sla.statusUpdateDueAt) })}</Text>
      <Text variant="microcopy">{say(i18n, 'test_stage_after', { stage: i18n.t(`stage_${r.stageAfter}` as const) })}</Text>
    </Flex>
  );
}

/** A rule node and its children, indented by depth; every condition says the value it saw. */
function Trace({ i18n, t, path }: { i18n: I18n; t: RuleTraceView; path: string }) {
  if ('condition' in t) {
    const value = typeof t.value === 'boolean' ? say(i18n, t.value ? 'trace_yes' : 'trace_no') : String(t.value);
    return <Text testId={path}>{`${mark(t.holds)} ${say(i18n, 'trace_value', { condition: inLocale(i18n, t.condition), value })}`}</Text>;
  }
  const children: RuleTraceView[] = t.kind === 'not' ? [t.of] : t.of;
  const label = say(i18n, t.kind === 'and' ? 'trace_and' : t.kind === 'or' ? 'trace_or' : 'trace_not');
  return (
    <Flex direction="column" gap="flush">
      <Text testId={path}>{`${mark(t.holds)} ${label}`}</Text>
      <Flex direction="column" gap="flush" testId={`${path}-children`}>
        {children.map((c, i) => (
          <Flex key={i} direction="row" gap="sm">
            <Text>{'　'}</Text>
            <Trace i18n={i18n} t={c} path={`${path}.${i}`} />
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}
