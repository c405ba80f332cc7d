/**
 * The settings page's full-portal impact run (issue 16): start it for the draft,
 * follow its progress, cancel it. The run itself is the backend's (a `jobs` row the
 * worker carries out, app/src/worker/impact-runner.ts); the page polls while it is
 * queued or running. When the section appears it shows the portal's latest run (one
 * started before a reload or by another admin); a portal has one run at a time, so a
 * start while one is going answers with it, and the page follows that one.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiError, SettingsImpactRunView } from '@tossup/shared/card-dto';
import { settingsFingerprint } from '@tossup/shared/settings-fingerprint';
import type { CardApiClient } from '../../client/card-api-client';

/**
 * How often the page asks for progress: a page of 100 contacts takes a few seconds
 * of HubSpot reads, so 3 s shows movement without spending the app's request budget
 * on answers that have not changed.
 */
export const IMPACT_RUN_POLL_MS = 3_000;

const isActive = (run: SettingsImpactRunView | null) => run !== null && (run.status === 'pending' || run.status === 'running');

export function useImpactRun(client: CardApiClient, draft: unknown, enabled: boolean, pollMs: number = IMPACT_RUN_POLL_MS) {
  const [run, setRun] = useState<SettingsImpactRunView | null>(null);
  const [busy, setBusy] = useState<'start' | 'cancel' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  // Once the section is shown: the portal's latest run (one started before a reload, or by another admin).
  useEffect(() => {
    if (!enabled) return;
    void client.getLatestImpactRun().then((r) => {
      if (!alive.current || !r.ok || r.data.run === null) return;
      const latest = r.data.run;
      setRun((current) => current ?? latest);
    });
  }, [client, enabled]);

  // Poll the run while it is queued or running; each answer schedules the next question.
  const activeId = isActive(run) ? run!.id : null;
  useEffect(() => {
    if (activeId === null) return;
    const timer = setTimeout(() => {
      void client.getImpactRun(activeId).then((r) => {
        if (!alive.current) return;
        if (r.ok) setRun(r.data.run);
        else setError(r.error);
      });
    }, pollMs);
    return () => clearTimeout(timer);
    // Every answer is a new `run` object, so it schedules the next poll; a finished run stops polling.
  }, [client, activeId, pollMs, run]);

  const fingerprint = settingsFingerprint(draft);
  return {
    run,
    busy,
    error,
    active: isActive(run),
    /** The result is for another draft than the one on the page. */
    stale: run !== null && run.draftFingerprint !== fingerprint,
    async start() {
      setBusy('start');
      setError(null);
      const r = await client.startImpactRun(draft, fingerprint);
      setBusy(null);
      if (r.ok) setRun(r.data.run);
      else setError(r.error);
    },
    async cancel() {
      if (!run) return;
      setBusy('cancel');
      setError(null);
      const r = await client.cancelImpactRun(run.id);
      setBusy(null);
      if (r.ok) setRun(r.data.run);
      else setError(r.error);
    },
  };
}

export type ImpactRunState = ReturnType<typeof useImpactRun>;
