import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import type { Sandbox } from '../sandbox';
import type { ScenarioResult } from './scenario-spec';
import { percentile, round } from './stats-util';
import type { PortalWorkload } from './workload';

/** The card API's GET handoff as hubspot.fetch calls it, timed after one warming request per contact. */
export async function measureCards(sandbox: Sandbox, portalId: number, workload: PortalWorkload, requests: number): Promise<ScenarioResult['card']> {
  const portal = sandbox.portal(portalId);
  const user = portal.owners.find((o) => !o.archived)!;
  const contacts = workload.contactIds.slice(0, Math.max(1, Math.min(20, requests)));
  for (const id of contacts) await sandbox.cardFetch({ path: `/api/v1/contacts/${id}/handoff`, userId: user.userId, portalId }).catch(() => undefined);
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const id = contacts[i % contacts.length]!;
    const t0 = performance.now();
    const res = await sandbox.cardFetch({ path: `/api/v1/contacts/${id}/handoff`, userId: user.userId, portalId });
    times.push(performance.now() - t0);
    // The app's status, not the proxy's (which is 200 for every app answer ≥ 300).
    const status = String(readProxyAnswer(res.status, res.json).appStatus);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { requests, statuses, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}
