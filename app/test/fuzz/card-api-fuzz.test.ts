import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app';
import type { CardApiDeps } from '../../src/card-api/card-api-deps';
import { MAX_CARD_REQUEST_BYTES } from '../../src/card-api/verify-card-request';
import type { Database } from '../../src/storage/database';
import { bootBackend, type BootedBackend } from '../../../test/kit/boot-backend';
import { signatureHeaders } from '../../../test/kit/signed-webhook';
import { contact, createFakeWorld, hubspotQuery, PUBLIC_BASE_URL, SECRET, T0, type FakeWorld } from '../card-api/card-api-test-kit';

/**
 * Fuzz the card API (/api/v1, hubspot.fetch) on the real backend
 * (createBackend → a real listening server, fetch). Requests are SIGNED exactly as
 * hubspot.fetch signs them, so the body/path/query parsing behind the verifier is what
 * is exercised; some are sent unsigned. Every refusal must be an exact 4xx with the
 * card's bilingual envelope ({ ok: false, error: { code, message_ja, message_en } }),
 * apply no plan (the card-API deps are the kit's in-memory world, whose applier
 * records every call), leave no idempotency row (card_api_requests), and leave the
 * server answering /healthz.
 */
const RUNS = 150;
const IS_USER = '9201';

let booted: BootedBackend;
let db: Database;
let base: string;
let world: FakeWorld;

beforeAll(async () => {
  // The real app around the kit's in-memory world, which each test replaces.
  const cardApi = new Proxy({} as CardApiDeps, { get: (_t, key: keyof CardApiDeps) => world.deps[key] });
  booted = await bootBackend({
    env: { HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: '39594762', PUBLIC_BASE_URL },
    now: T0,
    serve: (backend) => createApp({ ...backend.runtime, installer: backend.installer, cardApi }),
  });
  ({ db, base } = booted);
});

beforeEach(() => {
  // The in-memory world records every applied plan.
  world = createFakeWorld();
  world.contacts.set('5001', contact('5001'));
});

afterAll(async () => {
  await booted?.close();
});

// ---------------------------------------------------------------------------
// Helpers

type Method = 'GET' | 'POST' | 'PUT';

interface Answer {
  status: number;
  text: string;
  json: { ok?: boolean; error?: { code?: string; message_ja?: string; message_en?: string } } & Record<string, unknown>;
}

/** Sends `path` (+ HubSpot's query) signed over the public URL, or not at all, with the raw body as given. */
async function call(method: Method, path: string, body: string | Uint8Array | undefined, opts: { sign?: boolean; contentType?: string | null; userId?: string } = {}): Promise<Answer> {
  const pathAndQuery = `${path}${path.includes('?') ? '&' : '?'}${hubspotQuery(opts.userId ?? IS_USER)}`;
  const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const headers: Record<string, string> = {};
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  if (opts.sign ?? true) Object.assign(headers, signatureHeaders(raw, { clientSecret: SECRET, method, uri: `${PUBLIC_BASE_URL}${pathAndQuery}`, timestamp: T0 }));
  const res = await fetch(`${base}${pathAndQuery}`, { method, headers, ...(method === 'GET' ? {} : { body: new Uint8Array(raw) }) });
  const text = await res.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = {};
  }
  return { status: res.status, text, json };
}

async function idempotencyRows(): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from card_api_requests')).rows[0]!.n;
}

/** Refused as the card expects it: exact status, bilingual envelope; and nothing happened. */
async function expectRefused(a: Answer, status: number, code: string, rowsBefore: number): Promise<void> {
  expect(a.status, a.text).toBe(status);
  expect(a.json.ok, a.text).toBe(false);
  expect(a.json.error?.code, a.text).toBe(code);
  expect(a.json.error?.message_ja?.length ?? 0).toBeGreaterThan(5);
  expect(a.json.error?.message_en?.length ?? 0).toBeGreaterThan(5);
  expect(world.applied).toEqual([]);
  expect(await idempotencyRows()).toBe(rowsBefore);
}

async function expectAlive(): Promise<void> {
  const res = await fetch(`${base}/healthz`);
  expect(res.status).toBe(200);
}

const key = fc.stringMatching(/^[A-Za-z0-9_.:-]{16,40}$/);
let nextKey = 1;

interface Mutation {
  method: Method;
  path: string;
  /** A body the route accepts, to be broken by the properties. */
  valid: (k: string) => Record<string, unknown>;
}

const MUTATIONS: Mutation[] = [
  {
    method: 'PUT',
    path: '/api/v1/contacts/5001/bant',
    valid: (k) => ({
      idempotencyKey: k,
      bant: { budget: true, authority: false, need: true, timeline: false },
      notes: { budget: '予算あり', authority: '', need: '', timeline: '' },
      reason: '導入時期が明確',
    }),
  },
  { method: 'POST', path: '/api/v1/contacts/5001/handoff', valid: (k) => ({ idempotencyKey: k }) },
  { method: 'POST', path: '/api/v1/contacts/5001/accept', valid: (k) => ({ idempotencyKey: k }) },
  { method: 'POST', path: '/api/v1/contacts/5001/reject', valid: (k) => ({ idempotencyKey: k, reasonCode: 'no_budget', reason: '' }) },
  { method: 'PUT', path: '/api/v1/settings', valid: (k) => ({ idempotencyKey: k, settings: {}, expectedVersion: 0 }) },
];
const mutation = fc.constantFrom(...MUTATIONS);

/** Values of the wrong type, or the right type out of bounds, for any field. */
const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, '', [], {}, 'x'.repeat(2_001), ['a'], { nested: { deeper: [1] } }, '😀'.repeat(20), '\ud800'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Breaks a valid body in one place: drop a field, retype one (also nested), add an unknown one, or spoil the key. */
function breakBody(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.keys(valid);
  return fc.oneof(
    fc.constantFrom(...fields.filter((f) => f !== 'reason' && f !== 'expectedVersion')).map((f) => {
      const { [f]: _gone, ...rest } = valid;
      return rest;
    }),
    fc
      .tuple(fc.constantFrom(...fields), wrongValue)
      // settings is z.unknown() (the settings schema judges it later, as a 200 business outcome).
      // A retyped field can land on a valid value (reason: any short text; expectedVersion: any non-negative integer): not a broken body.
      .filter(([f, v]) => f !== 'settings' && !(f === 'reason' && typeof v === 'string' && v.length <= 2000) && !(f === 'expectedVersion' && Number.isSafeInteger(v) && (v as number) >= 0))
      .map(([f, v]) => ({ ...valid, [f]: v })),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !fields.includes(k)), fc.jsonValue({ maxDepth: 1 }))
      .map(([k, v]) => ({ ...valid, [k]: v })),
    fc
      .oneof(
        fc.string({ maxLength: 15 }),
        fc.string({ minLength: 129, maxLength: 140 }),
        key.map((k) => `${k}😀`),
        key.map((k) => `${k} `),
        key.map((k) => `${k}\u2028`),
        key.map((k) => `${k}/`),
      )
      .map((bad) => ({ ...valid, idempotencyKey: bad })),
    // Nested strict objects: an extra, missing or retyped BANT item or note.
    ...(valid.bant
      ? [
          fc.constantFrom<Record<string, unknown>>(
            { ...valid, bant: { ...(valid.bant as object), extra: true } },
            { ...valid, bant: { budget: true } },
            { ...valid, bant: { ...(valid.bant as object), need: 'true' } },
            { ...valid, notes: { ...(valid.notes as object), budget: 'x'.repeat(501) } },
            { ...valid, notes: { ...(valid.notes as object), need: null } },
          ),
        ]
      : []),
  );
}

// ---------------------------------------------------------------------------

describe('card API fuzz: signed requests the parser must refuse', () => {
  it('malformed JSON on every mutating route → 400 invalid_request, whatever the Content-Type; no plan, no idempotency row', async () => {
    const malformed = fc.oneof(
      fc.tuple(mutation, key, fc.double({ min: 0, max: 1, noNaN: true })).map(([m, k, cut]) => {
        const text = JSON.stringify(m.valid(k));
        return text.slice(0, Math.floor(cut * (text.length - 1)));
      }),
      fc.constantFrom("{'idempotencyKey':'aaaaaaaaaaaaaaaa'}", '{"idempotencyKey":"aaaaaaaaaaaaaaaa",}', '{"a":NaN}', '\ufeff{}', '{} {}', '{"a":"\\ud8"}', 'nul'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.uint8Array({ minLength: 1, maxLength: 30 }).map((a) => Uint8Array.from([0xfe, ...a])),
    );
    const contentType = fc.constantFrom<string | null>('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=z', null);
    await fc.assert(
      fc.asyncProperty(mutation, malformed, contentType, async (m, body, type) => {
        let isJson = true;
        try {
          JSON.parse(Buffer.from(body).toString('utf8'));
        } catch {
          isJson = false;
        }
        // An empty body is "no body" ({}), refused by the schema instead: covered below.
        fc.pre(!isJson && Buffer.from(body).length > 0);
        const rows = await idempotencyRows();
        const a = await call(m.method, m.path, body, { contentType: type });
        await expectRefused(a, 400, 'invalid_request', rows);
      }),
      { numRuns: RUNS },
    );
    await expectAlive();
  });

  it('JSON of the wrong shape (any value; valid bodies broken in one field) → 400 invalid_request naming the problem; no plan, no row', async () => {
    const shaped = mutation.chain((m) =>
      fc.record({
        m: fc.constant(m),
        body: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
          key.chain((k) => breakBody(m.valid(k))),
        ),
        ascii: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(shaped, async ({ m, body, ascii }) => {
        const text = JSON.stringify(body);
        const raw = ascii ? text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
        const rows = await idempotencyRows();
        const a = await call(m.method, m.path, raw);
        await expectRefused(a, 400, 'invalid_request', rows);
        // The message says what is wrong, in both languages.
        expect(a.json.error?.message_en).toMatch(/^The request is malformed: .+/);
      }),
      { numRuns: RUNS },
    );
    // No body at all on a route that needs one.
    const rows = await idempotencyRows();
    await expectRefused(await call('POST', '/api/v1/contacts/5001/handoff', undefined, { contentType: null }), 400, 'invalid_request', rows);
    await expectAlive();
  });

  it('huge arrays and deep nesting in a body → 400 invalid_request, the server still up', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, key, fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('root-array', 'deep', 'deep-field'), async (m, k, n, how) => {
        const body =
          how === 'root-array'
            ? JSON.stringify(Array.from({ length: Math.min(n, 100_000) }, (_, i) => i))
            : how === 'deep'
              ? '['.repeat(n) + ']'.repeat(n)
              : JSON.stringify({ ...m.valid(k), idempotencyKey: 0 }).replace('"idempotencyKey":0', `"idempotencyKey":${'['.repeat(n)}${']'.repeat(n)}`);
        const rows = await idempotencyRows();
        const a = await call(m.method, m.path, body);
        await expectRefused(a, 400, 'invalid_request', rows);
      }),
      { numRuns: 40 },
    );
    await expectAlive();
  });

  it('a path id that is not a HubSpot id → 400 invalid_request before the idempotency key is claimed', async () => {
    const badId = fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.constantFrom('abc', '-1', '1.5', '1e3', '０１２', '😀', '\u2028', '123456789012345678901', ' 1', '0x1F'),
      )
      .filter((s) => !/^\d{1,20}$/.test(s) && s !== '.' && s !== '..')
      .map((s) => {
        try {
          return encodeURIComponent(s);
        } catch {
          return '%ED%A0%80'; // a lone surrogate has no UTF-8 form; send the bytes a broken client would
        }
      })
      // Escapes that do not decode (invalid UTF-8, truncated): the router cannot even read the id.
      .chain((segment) => fc.constantFrom(segment, '%ED%A0%80', '%E0%A4%A', '5001%', '%FF'));
    const route = fc.constantFrom(
      ...MUTATIONS.filter((m) => m.path.includes('5001')).map((m) => ({ ...m })),
      { method: 'GET' as Method, path: '/api/v1/contacts/5001/handoff', valid: () => ({}) },
      { method: 'GET' as Method, path: '/api/v1/contacts/5001/timeline', valid: () => ({}) },
      { method: 'GET' as Method, path: '/api/v1/deals/5001/timeline', valid: () => ({}) },
    );
    await fc.assert(
      fc.asyncProperty(route, badId, key, async (m, id, k) => {
        const path = m.path.replace('5001', id);
        const rows = await idempotencyRows();
        const a = await call(m.method, path, m.method === 'GET' ? undefined : JSON.stringify(m.valid(k)));
        await expectRefused(a, 400, 'invalid_request', rows);
      }),
      { numRuns: RUNS },
    );
    await expectAlive();
  });

  it('timeline query garbage (department, page, pageSize, repeated parameters) → 400 invalid_request', async () => {
    const bad = fc.oneof(
      fc.record({
        department: fc.oneof(fc.constantFrom('ALL', 'sales ', '営業', '', 'inside-sales'), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !['all', 'marketing', 'inside_sales', 'sales', 'system', 'unknown'].includes(s))),
      }),
      fc.record({ page: fc.constantFrom('0', '-1', '1.5', 'abc', '10001', '1e9', 'NaN', '', 'Infinity') }),
      fc.record({ pageSize: fc.constantFrom('0', '4', '51', 'x', '5.5', '-20', '1e2') }),
      fc.constant({ page: ['1', '2'] }),
    );
    await fc.assert(
      fc.asyncProperty(bad, fc.constantFrom('contacts', 'deals'), async (q, type) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
        const rows = await idempotencyRows();
        const a = await call('GET', `/api/v1/${type}/5001/timeline?${params.toString()}`, undefined);
        await expectRefused(a, 400, 'invalid_request', rows);
      }),
      { numRuns: 100 },
    );
    await expectAlive();
  });
});

describe('card API fuzz: unsigned requests', () => {
  it('any method, path (known or not) and body without a valid signature → 401 unauthorized before routing', async () => {
    const path = fc.oneof(
      fc.constantFrom(...MUTATIONS.map((m) => m.path), '/api/v1/contacts/5001/handoff', '/api/v1/settings/preview', '/api/v1/nope', '/api/v1/'),
      fc.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((s) => `/api/v1/${s.join('/')}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Method>('GET', 'POST', 'PUT'), path, key, async (method, p, k) => {
        const rows = await idempotencyRows();
        const a = await call(method, p, method === 'GET' ? undefined : JSON.stringify({ idempotencyKey: k }), { sign: false });
        await expectRefused(a, 401, 'unauthorized', rows);
      }),
      { numRuns: 100 },
    );
    await expectAlive();
  });
});

describe('card API fuzz: the 1 MB cap (hubspot.fetch limit)', () => {
  it('bodies over the cap → 413 in the card envelope, signed or not; no plan, no row', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, key, fc.integer({ min: 1, max: 200_000 }), fc.boolean(), async (m, k, over, sign) => {
        const body = JSON.stringify({ ...m.valid(k), reason: 'x'.repeat(MAX_CARD_REQUEST_BYTES + over) });
        const rows = await idempotencyRows();
        const a = await call(m.method, m.path, body, { sign });
        await expectRefused(a, 413, 'invalid_request', rows);
      }),
      { numRuns: 8 },
    );
    await expectAlive();
  });
});

describe('card API fuzz: valid requests with odd text', () => {
  it('BANT notes and reason with emoji, lone surrogates, \\u2028, NUL: 200, the plan applied once, one completed row, a retry replays it', async () => {
    const text = (max: number) =>
      fc
        .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom('😀', '\u2028', '\ud800', '\udfff', '\u0000', '部長', '\u202e')), { maxLength: 5 })
        .map((p) => p.join('').slice(0, max));
    await fc.assert(
      fc.asyncProperty(key, text(400), text(1_500), async (generatedKey, note, reason) => {
        // Fresh per call: shrinking replays values whose key an earlier run already used.
        const k = `${generatedKey}-${nextKey++}`;
        const before = await idempotencyRows();
        const applied = world.applied.length;
        const body = JSON.stringify({ idempotencyKey: k, bant: { budget: true, authority: true, need: false, timeline: false }, notes: { budget: note, authority: '', need: '', timeline: '' }, reason });
        const a = await call('PUT', '/api/v1/contacts/5001/bant', body);
        expect(a.status, a.text).toBe(200);
        expect(a.json.ok, a.text).toBe(true);
        expect(await idempotencyRows()).toBe(before + 1);
        const done = await db.query<{ state: string }>('select state from card_api_requests where idempotency_key = $1', [k]);
        expect(done.rows[0]?.state).toBe('done');
        expect(world.applied.length - applied).toBeLessThanOrEqual(1);
        // hubspot.fetch's retry of the same request: the stored answer, no second write.
        const again = await call('PUT', '/api/v1/contacts/5001/bant', body);
        expect(again.status).toBe(200);
        expect(again.json).toEqual(JSON.parse(a.text));
        expect(world.applied.length - applied).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
    await expectAlive();
  });
});
