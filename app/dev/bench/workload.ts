import type { Sandbox, WebhookEvent } from '../sandbox';
import { createPrng, type Prng } from '../sandbox/prng';

/**
 * The benchmark's burst (README.md, "Design"), generated with
 * the sandbox state it describes:
 *  - K contacts per portal, created through the sandbox's scenario tools; about 30 %
 *    submitted the inquiry form first (so hot contacts cross the MQL rule and get an
 *    SLA task: the oracle's T is not trivially 0) and every fifth has a manager title;
 *  - ⌈K/4⌉ companies; four contacts in five have one as primary company (so the
 *    C_min companies term is measured: attribute scoring reads them), every third
 *    company has 500+ employees (+5 by default);
 *  - N events per portal: every contact gets one, the rest are Zipf-distributed over
 *    the contacts (a few hot contacts, a long tail); ~20 % of first events are
 *    `object.creation`, the rest `object.propertyChange` of `hs_email_open`, and each
 *    of those is backed by a real open in the sandbox (`openMarketingEmail`), so the
 *    final hs_email_open equals the number of propertyChange events;
 *  - occurredAt spread over the last minute and shuffled against send order;
 *  - ~5 % redeliveries: the same event again (same eventId) with attemptNumber 1, later.
 * Deterministic for a seed, so the naive baseline and every chaos seed replay exactly
 * the same data. Events have the sandbox's own payload type (what its delivery sends).
 */
export interface PortalWorkload {
  portalId: number;
  contactIds: string[];
  /** Send order, redeliveries included. */
  events: WebhookEvent[];
  /** Distinct contacts the burst touches (K of C_min, README.md). */
  touched: number;
}

export interface WorkloadSpec {
  contacts: number;
  events: number;
  redeliveryRate: number;
  zipfS: number;
  seed: number;
}

// Stable ids per subscription, like the sandbox's (position in webhooks-hsmeta.json).
const SUBSCRIPTION_CREATION = 4_100_000;
const SUBSCRIPTION_EMAIL_OPEN = 4_100_008;

/** Inverse-CDF sampler for Zipf(s) over ranks 0..n-1. */
export function zipfSampler(n: number, s: number, prng: Prng): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / Math.pow(k + 1, s);
    cdf[k] = sum;
  }
  return () => {
    const u = prng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function shuffle<T>(items: T[], prng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Creates the portal's contacts in the sandbox and the burst that describes their changes. */
export function buildPortalWorkload(sandbox: Sandbox, portalId: number, spec: WorkloadSpec, nextEventId: () => number): PortalWorkload {
  const prng = createPrng(spec.seed * 7919 + portalId);
  const companyIds: string[] = [];
  for (let i = 0; i < Math.ceil(spec.contacts / 4); i++) {
    const properties = { name: `ベンチ商事${i}`, domain: `c${i}.p${portalId}.bench.example.jp`, numberofemployees: i % 3 === 0 ? '1200' : '80', industry: i % 2 === 0 ? 'COMPUTER_SOFTWARE' : 'MACHINERY' };
    companyIds.push(sandbox.scenario.createCompany({ portalId, properties }).companyId);
  }
  const contactIds: string[] = [];
  for (let i = 0; i < spec.contacts; i++) {
    const { contactId } = sandbox.scenario.createContact({
      portalId,
      ...(i % 5 !== 4 ? { companyId: companyIds[i % companyIds.length]! } : {}),
      properties: {
        email: `bench${i}@p${portalId}.bench.example.jp`,
        firstname: `太郎${i}`,
        lastname: 'ベンチ',
        lifecyclestage: 'lead',
        jobtitle: i % 5 === 0 ? '営業部長' : '担当',
      },
    });
    contactIds.push(contactId);
    if (prng.next() < 0.3) sandbox.scenario.submitForm({ portalId, contactId, formName: 'お問い合わせ' });
  }

  // Which contact each event is about: one per contact first, then Zipf.
  const fresh = Math.max(spec.contacts, Math.round(spec.events * (1 - spec.redeliveryRate)));
  const owners: number[] = contactIds.map((_, i) => i);
  const zipf = zipfSampler(spec.contacts, spec.zipfS, prng);
  while (owners.length < fresh) owners.push(zipf());
  shuffle(owners, prng);

  const now = sandbox.clock.now();
  const opens = new Map<number, number>();
  const firstSeen = new Set<number>();
  const events: WebhookEvent[] = [];
  for (const idx of owners) {
    const contactId = Number(contactIds[idx]);
    const base = {
      eventId: nextEventId(),
      portalId,
      appId: sandbox.appId,
      // Anywhere in the last minute: independent of send order (shuffled occurredAt).
      occurredAt: now - Math.floor(prng.next() * 60_000),
      attemptNumber: 0,
      objectId: contactId,
      objectTypeId: '0-1',
    };
    if (!firstSeen.has(idx) && prng.next() < 0.2) {
      events.push({ ...base, subscriptionId: SUBSCRIPTION_CREATION, subscriptionType: 'object.creation', changeSource: 'CRM_UI' });
    } else {
      const n = (opens.get(idx) ?? 0) + 1;
      opens.set(idx, n);
      events.push({
        ...base,
        subscriptionId: SUBSCRIPTION_EMAIL_OPEN,
        subscriptionType: 'object.propertyChange',
        changeSource: 'EMAIL',
        propertyName: 'hs_email_open',
        propertyValue: String(n),
        isSensitive: false,
      });
    }
    firstSeen.add(idx);
  }
  // The sandbox state the events describe.
  for (const [idx, count] of opens) sandbox.scenario.openMarketingEmail({ portalId, contactId: contactIds[idx]!, count });

  // Redeliveries: an earlier event again, sent later, attemptNumber 1.
  const redeliveries = Math.max(0, spec.events - events.length);
  // Sorting by a position key places each copy somewhere after its original.
  const keyed = events.map((e, i) => ({ key: i, e }));
  for (let r = 0; r < redeliveries; r++) {
    const at = Math.floor(prng.next() * events.length);
    keyed.push({ key: at + 0.5 + prng.next() * (events.length - at), e: { ...events[at]!, attemptNumber: 1 } });
  }
  const out = keyed.sort((a, b) => a.key - b.key).map((k) => k.e);
  return { portalId, contactIds, events: out, touched: spec.contacts };
}
