/**
 * The naive baseline (README.md, "Naive baseline"), as a tiny separate receiver (child
 * process): for every webhook event, inline in the request, one GET of the contact and
 * one PATCH of its score with the real @hubspot/api-client (no limiter, no SDK
 * retries, no batching, no inbox, no ledger), plus a POST per task the core asks
 * for. It answers 200 only when every event went through, else 500 so the sender
 * retries the whole batch — the at-least-once contract handled the simple way.
 *
 * It uses the same pure core (evaluateContact with the default settings) so the
 * comparison is about the plumbing, not the rules. To be generous to the baseline it
 * is handed the portal directory and tokens up front (no owner or token calls).
 *
 * Env: NAIVE_PORT, NAIVE_SECRET, NAIVE_PUBLIC_URL (signed webhook URL),
 * NAIVE_API_BASE, NAIVE_PORTALS (JSON: portalId → { token, directory }), BENCH_CLOCK.
 */
import { createServer } from 'node:http';
import { Client } from '@hubspot/api-client';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { evaluateContact } from '../../src/domain/evaluate';
import { CONTACT_READ_PROPERTIES } from '../../src/domain/read-properties';
import type { PortalDirectory } from '../../src/domain/types';
import { verifyV3 } from '../../src/platform/hubspot-signature';
import { createSharedClock, type ClockSpec } from './shared-clock';

interface PortalConfig {
  token: string;
  directory: PortalDirectory;
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`naive receiver: ${name} is required`);
  return v;
};

const clock = createSharedClock(JSON.parse(env('BENCH_CLOCK')) as ClockSpec);
const secret = env('NAIVE_SECRET');
const publicUrl = env('NAIVE_PUBLIC_URL');
const apiBase = env('NAIVE_API_BASE');
const portals = JSON.parse(env('NAIVE_PORTALS')) as Record<string, PortalConfig>;
const clients = new Map(Object.entries(portals).map(([id, p]) => [id, new Client({ accessToken: p.token, basePath: apiBase, numberOfApiCallRetries: 0 })]));

interface NaiveEvent {
  portalId: number;
  objectId: number;
  objectTypeId?: string;
}

async function handleEvent(e: NaiveEvent): Promise<void> {
  const portalId = String(e.portalId);
  const client = clients.get(portalId);
  const portal = portals[portalId];
  if (!client || !portal || e.objectTypeId !== '0-1') return;
  const id = String(e.objectId);
  const contact = await client.crm.contacts.basicApi.getById(id, [...CONTACT_READ_PROPERTIES]);
  const properties = Object.fromEntries(Object.entries(contact.properties).map(([k, v]) => [k, v ?? undefined]));
  const plan = evaluateContact({ portalId, contact: { id, properties }, ledger: [], observations: [] }, DEFAULT_SETTINGS, portal.directory, clock.now());
  // Always write the score back: the baseline has no "unchanged, skip" logic.
  const write = { tossup_score: plan.contactProperties.tossup_score ?? properties.tossup_score ?? '0', ...plan.contactProperties };
  await client.crm.contacts.basicApi.update(id, { properties: write });
  for (const t of plan.tasks) {
    await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: String(t.dueAt), hs_task_subject: t.subject, hs_task_body: t.body, hubspot_owner_id: t.ownerId, hs_task_status: 'NOT_STARTED', hs_task_priority: t.priority, hs_task_type: t.type },
      associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const raw = Buffer.concat(chunks);
      const ok = verifyV3({
        clientSecret: secret,
        method: req.method ?? 'POST',
        uri: publicUrl,
        rawBody: raw,
        signature: req.headers['x-hubspot-signature-v3'],
        timestamp: req.headers['x-hubspot-request-timestamp'],
        now: clock.now(),
      });
      if (!ok.ok) {
        res.writeHead(401).end();
        return;
      }
      let failed = 0;
      for (const e of JSON.parse(raw.toString('utf8')) as NaiveEvent[]) {
        try {
          await handleEvent(e);
        } catch {
          failed++;
        }
      }
      res.writeHead(failed > 0 ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ failed }));
    })();
  });
});
server.listen(Number(process.env.NAIVE_PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
// The bench owns this process: if the bench dies (IPC channel closed), so does it.
process.once('disconnect', () => process.exit(1));
