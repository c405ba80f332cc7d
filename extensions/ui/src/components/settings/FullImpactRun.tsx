/**
 * 「全件で試算」 (issue 16): for a portal larger than the preview's sample, the same
 * counts over every contact, run in the background by the worker. Shows the run's
 * progress (「n / m 件」), lets a super admin stop it, and gives the result in the
 * sample preview's words, saying which draft and which published version it belongs
 * to and when it no longer matches the page.
 */
import { Alert, Button, Flex, LoadingButton, ProgressBar, Text } from '@hubspot/ui-extensions';
import { formatDateTime } from '@tossup/shared/i18n';
import type { SettingsImpactRunView, SettingsPreviewView } from '@tossup/shared/card-dto';
import { ActionError } from '../CardStates';
import type { I18n } from '../card-context';
import { inLocale, say } from './console-messages';
import { Impact, Transitions } from './PreviewAndSave';
import type { ImpactRunState } from './use-impact-run';

export function FullImpactRun({ i18n, state, sample, valid, liveToken }: { i18n: I18n; state: ImpactRunState; sample: SettingsPreviewView['sample'] | null; valid: boolean; liveToken: number }) {
  const { run, busy, active, stale } = state;
  return (
    <Flex direction="column" gap="sm" testId="full-run">
      {sample ? <Text variant="microcopy">{say(i18n, 'full_run_help', { size: sample.size, total: sample.total })}</Text> : null}
      {run ? <RunView i18n={i18n} run={run} stale={stale} liveToken={liveToken} /> : null}
      {state.error ? <ActionError i18n={i18n} error={state.error} /> : null}
      <Flex direction="row" gap="sm">
        <LoadingButton variant="secondary" loading={busy === 'start'} disabled={!valid || active || busy !== null} onClick={() => void state.start()} testId="full-run-start">
          {say(i18n, 'full_run_start')}
        </LoadingButton>
        {active && run?.canCancel ? (
          <Button variant="destructive" disabled={busy !== null} onClick={() => void state.cancel()} testId="full-run-cancel">
            {say(i18n, 'full_run_cancel')}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}

function RunView({ i18n, run, stale, liveToken }: { i18n: I18n; run: SettingsImpactRunView; stale: boolean; liveToken: number }) {
  const when = formatDateTime(run.startedAt ?? run.createdAt, i18n.locale, i18n.timeZone);
  const active = run.status === 'pending' || run.status === 'running';
  const counts = { n: run.read, m: run.total ?? 0 };
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }} testId="full-run-title">
        {run.publishedVersion === null ? say(i18n, 'full_run_title_unversioned', { when }) : say(i18n, 'full_run_title', { when, version: run.publishedVersion })}
      </Text>
      {stale ? (
        <Alert title={say(i18n, active ? 'full_run_stale_active' : 'full_run_stale')} variant="warning" testId="full-run-stale" />
      ) : run.publishedToken !== liveToken ? (
        <Alert title={say(i18n, 'full_run_stale_published')} variant="warning" testId="full-run-stale" />
      ) : null}
      {active ? <Progress i18n={i18n} run={run} /> : null}
      {run.status === 'cancelled' ? <Text testId="full-run-cancelled">{say(i18n, 'full_run_cancelled', counts)}</Text> : null}
      {run.status === 'failed' && run.error ? (
        <Alert title={say(i18n, 'full_run_failed')} variant="danger" testId="full-run-failed">
          {`${inLocale(i18n, run.error)} ${say(i18n, 'full_run_progress', counts)}`}
        </Alert>
      ) : null}
      {run.status !== 'pending' && run.evaluated > 0 ? <Result i18n={i18n} run={run} /> : null}
    </Flex>
  );
}

function Progress({ i18n, run }: { i18n: I18n; run: SettingsImpactRunView }) {
  if (run.phase === 'queued' || run.phase === 'listing' || run.total === null) {
    return <Text variant="microcopy" testId="full-run-phase">{say(i18n, run.phase === 'queued' ? 'full_run_queued' : 'full_run_listing')}</Text>;
  }
  return (
    <ProgressBar
      value={run.read}
      maxValue={Math.max(run.total, 1)}
      title={say(i18n, 'full_run_progress', { n: run.read, m: run.total })}
      showPercentage
      variant="success"
      testId="full-run-progress"
    />
  );
}

function Result({ i18n, run }: { i18n: I18n; run: SettingsImpactRunView }) {
  const done = run.status === 'done';
  return (
    <Alert
      title={say(i18n, done ? 'full_run_done' : 'full_run_partial', { evaluated: run.evaluated, changed: run.changed })}
      variant={run.changed > 0 ? 'warning' : 'info'}
      testId="full-run-result"
    >
      <Flex direction="column" gap="xs">
        {run.truncated ? <Text testId="full-run-truncated">{say(i18n, 'full_run_truncated', { limit: run.limit })}</Text> : null}
        <Transitions i18n={i18n} transitions={run.transitions} />
        <Impact i18n={i18n} impact={run.impact} title="full_impact_title" testPrefix="full-" />
      </Flex>
    </Alert>
  );
}
