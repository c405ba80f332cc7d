import { fork } from 'node:child_process';
import { benchScript } from './child-process';
import { sendBurst, type LoadResult } from './load-generator';
import type { SenderMessage, SenderRequest } from './sender-process';
import { postSignedBatch } from './post-signed-batch';
import type { RunState } from './run-state';
import type { ScenarioSpec } from './scenario-spec';
import type { SystemUnderTest } from './start-system';
import { buildPortalWorkload, type PortalWorkload } from './workload';

/**
 * Load generation: the burst's data (contacts created in the sandbox, the events that
 * describe them), a warm-up, and the burst itself sent like HubSpot's webhook sender
 * (load-generator.ts), round-robin over the processes.
 */
export interface Burst {
  workloads: PortalWorkload[];
  /** Every burst contact's properties before processing, per portal (the oracle's input). */
  initial: Map<number, Map<string, Record<string, string>>>;
  totalEvents: number;
}

export function buildBurst(system: SystemUnderTest, spec: ScenarioSpec, log: (line: string) => void): Burst {
  const { sandbox, portalIds } = system;
  let nextEventId = 500_000_001;
  const workloads: PortalWorkload[] = portalIds.map((portalId) =>
    buildPortalWorkload(
      sandbox,
      portalId,
      { contacts: spec.contactsPerPortal, events: spec.eventsPerPortal, redeliveryRate: spec.redeliveryRate ?? 0.05, zipfS: spec.zipfS ?? 1, seed: spec.seed },
      () => nextEventId++,
    ),
  );
  const initial = new Map(workloads.map((w) => [w.portalId, new Map(w.contactIds.map((id) => [id, structuredClone(sandbox.portal(w.portalId).objects.contacts[id]!.properties)]))]));
  const totalEvents = workloads.reduce((n, w) => n + w.events.length, 0);
  log(`[${spec.name}/${spec.impl}] ${portalIds.length} portal(s), ${totalEvents} events over ${workloads.reduce((n, w) => n + w.touched, 0)} contacts`);
  return { workloads, initial, totalEvents };
}

const webhookPath = '/webhooks/hubspot';

/**
 * A running service is warm: one signed empty batch per connection, so the first
 * POSTs of the burst do not time JIT compilation and pool connects.
 */
export async function warmUp(system: SystemUnderTest): Promise<void> {
  for (const port of system.ports) {
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await postSignedBatch({ target: `http://127.0.0.1:${port}${webhookPath}`, publicUrl: `${system.publicBase}${webhookPath}`, clientSecret: system.sandbox.clientSecret, body: '[]', timestamp: system.clock.now() });
        await res.arrayBuffer();
      }),
    );
  }
}

/**
 * Sends the burst; stops early (the rest counts as dropped) once a process crashed.
 * Sustained runs (`ratePerSecond`) send from a process of their own (sender-process.ts),
 * so the ack latency is not the bench's own event-loop delay; the others, chaos included,
 * send from here.
 */
export function sendTheBurst(system: SystemUnderTest, burst: Burst, spec: ScenarioSpec, state: RunState): Promise<LoadResult> {
  if (spec.ratePerSecond) return sendFromChild(system, burst, spec, state);
  return sendBurst(burst.workloads, {
    clientSecret: system.sandbox.clientSecret,
    clock: system.clock,
    timeScale: spec.timeScale,
    publicUrl: `${system.publicBase}${webhookPath}`,
    targets: () => system.ports.map((p) => `http://127.0.0.1:${p}${webhookPath}`),
    maxRetries: spec.maxRetries ?? 10,
    ...(spec.ratePerSecond ? { ratePerSecond: spec.ratePerSecond } : {}),
    shouldStop: () => state.crashed.size > 0,
    onProgress: (p) => {
      state.acked = p.acked;
    },
  });
}

function sendFromChild(system: SystemUnderTest, burst: Burst, spec: ScenarioSpec, state: RunState): Promise<LoadResult> {
  const child = fork(benchScript('sender-process.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const request: SenderRequest = {
    type: 'send',
    workloads: burst.workloads.map((w) => ({ portalId: w.portalId, events: w.events })),
    options: {
      clientSecret: system.sandbox.clientSecret,
      clockSpec: system.clockSpec,
      publicUrl: `${system.publicBase}${webhookPath}`,
      targets: system.ports.map((p) => `http://127.0.0.1:${p}${webhookPath}`),
      maxRetries: spec.maxRetries ?? 10,
      ...(spec.ratePerSecond ? { ratePerSecond: spec.ratePerSecond } : {}),
    },
  };
  return new Promise<LoadResult>((resolve, reject) => {
    const watch = setInterval(() => {
      if (state.crashed.size > 0) child.send({ type: 'stop' });
    }, 200);
    const done = (fn: () => void) => {
      clearInterval(watch);
      if (child.exitCode === null && child.signalCode === null) child.kill(); // a failed run leaves no sender behind
      fn();
    };
    child.on('message', (m: SenderMessage | { type: 'ready' }) => {
      if (m.type === 'ready') child.send(request);
      else if (m.type === 'progress') state.acked = m.acked;
      else if (m.type === 'result') {
        state.acked = m.result.eventsAcked;
        clearInterval(watch);
        resolve(m.result); // the child exits on its own once the message is out
      } else done(() => reject(new Error(`bench: the sender process failed: ${m.message}`)));
    });
    child.once('exit', (code) => done(() => reject(new Error(`bench: the sender process exited with ${String(code)} before its result`))));
  });
}
