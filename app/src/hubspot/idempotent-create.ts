import type { Clock } from '../platform/clock';
import type { Database } from '../storage/database';
import { HubSpotApiError, SideEffectInFlightError } from './hubspot-errors';
import { loadSideEffects, markSideEffectDone, markSideEffectsFailed, reserveSideEffects, retryFailedSideEffects } from '../storage/side-effect-store';

/**
 * Exactly-once creation of HubSpot objects (tasks, notes) keyed by a deterministic
 * idempotency key, through the side_effects table:
 *
 *   reserve key (pending) → create in HubSpot → record HubSpot's id (done)
 *
 * - key already done → nothing is sent; the recorded id is returned;
 * - key pending from an earlier attempt (crash or timeout between HubSpot's answer
 *   and our commit) → search HubSpot for the object carrying the key's marker and
 *   adopt it; only if none exists is it created. A reservation younger than
 *   `recoveryDelayMs` is not searched yet (the search index lags writes), the call
 *   ends with SideEffectInFlightError and is retried later;
 * - a create HubSpot refused (4xx) is marked failed: nothing exists, the next
 *   attempt may create it.
 */
export interface CreateSpec {
  key: string;
  kind: 'task' | 'note';
  marker: string;
  contactId: string;
  /** The request as sent (kept for audit and recovery). */
  input: unknown;
}

export interface IdempotentCreateDeps {
  db: Database;
  clock: Clock;
  recoveryDelayMs: number;
  /** Finds objects already carrying these markers: marker → HubSpot id. */
  findByMarkers(portalId: string, markers: string[]): Promise<Map<string, string>>;
  /** Creates the objects (one batch call per 100): marker → HubSpot id. */
  create(portalId: string, specs: CreateSpec[]): Promise<Map<string, string>>;
}

export async function createIdempotently(deps: IdempotentCreateDeps, portalId: string, specs: CreateSpec[]): Promise<Map<string, string>> {
  const unique = [...new Map(specs.map((s) => [s.key, s])).values()];
  const result = new Map<string, string>();
  if (unique.length === 0) return result;
  const now = deps.clock.now();

  const reservedNow = await reserveSideEffects(
    deps.db,
    portalId,
    unique.map((s) => ({ key: s.key, kind: s.kind, request: { contactId: s.contactId, marker: s.marker, input: s.input } })),
    now,
  );
  const byKey = await loadSideEffects(deps.db, portalId, unique.map((s) => s.key));

  const toCreate: CreateSpec[] = [];
  const toRecover: CreateSpec[] = [];
  const inFlight: CreateSpec[] = [];
  for (const spec of unique) {
    const row = byKey.get(spec.key);
    if (!row) throw new Error(`tossup: side effect ${spec.key} vanished while being reserved; retry`);
    if (row.state === 'done' && row.hubspotId) result.set(spec.key, row.hubspotId);
    else if (reservedNow.has(spec.key) || row.state === 'failed') toCreate.push(spec);
    else if (now - row.createdAt >= deps.recoveryDelayMs) toRecover.push(spec);
    else inFlight.push(spec);
  }

  if (toRecover.length > 0) {
    const found = await deps.findByMarkers(portalId, toRecover.map((s) => s.marker));
    for (const spec of toRecover) {
      const id = found.get(spec.marker);
      if (id) {
        await markDone(deps, portalId, spec.key, id);
        result.set(spec.key, id);
      } else toCreate.push(spec);
    }
  }

  if (toCreate.length > 0) {
    // Failed rows go back to pending before the call, so a crash during it is recovered.
    await retryFailedSideEffects(deps.db, portalId, toCreate.map((s) => s.key), now);
    let created: Map<string, string>;
    try {
      created = await deps.create(portalId, toCreate);
    } catch (err) {
      // HubSpot refused the input: nothing was created, so the key may be created later.
      // Any other failure (5xx, timeout) may have created objects: the rows stay pending.
      if (err instanceof HubSpotApiError && (err.category === 'validation' || err.category === 'auth')) {
        await markSideEffectsFailed(deps.db, portalId, toCreate.map((s) => s.key));
      }
      throw err;
    }
    for (const spec of toCreate) {
      const id = created.get(spec.marker);
      if (!id) throw new Error(`tossup: HubSpot did not return the ${spec.kind} created for ${spec.key}; it will be recovered by its marker on the next attempt`);
      await markDone(deps, portalId, spec.key, id);
      result.set(spec.key, id);
    }
  }

  if (inFlight.length > 0) {
    const oldest = Math.min(...inFlight.map((s) => byKey.get(s.key)!.createdAt));
    throw new SideEffectInFlightError(portalId, inFlight.map((s) => s.key), oldest + deps.recoveryDelayMs);
  }
  return result;
}

async function markDone(deps: IdempotentCreateDeps, portalId: string, key: string, hubspotId: string): Promise<void> {
  await markSideEffectDone(deps.db, portalId, key, hubspotId, deps.clock.now());
}
