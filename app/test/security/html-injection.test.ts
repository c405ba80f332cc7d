/**
 * Finding 2: text people can set (hand-off reason, BANT notes, reject reasons,
 * names) went verbatim into hs_note_body / hs_task_body, which HubSpot renders as
 * HTML. Every task and note reaches HubSpot through the gateway's engagement
 * creates (app/src/engine/apply-plans.ts is their only caller), which escape the
 * whole body and turn lines into <p>/<br> (app/src/domain/html-text.ts); here
 * script, image, link and entity payloads go through both creates and the stored
 * body must hold no live tag or attribute.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/platform/clock';
import { createEngagements } from '../../src/hubspot/engagements';
import type { HubSpotCall } from '../../src/hubspot/call-with-retry';
import { createDatabase, type Database } from '../../src/storage/database';
import { migrate } from '../../src/storage/migrate';
import { textToHtml } from '../../src/domain/html-text';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '&lt;script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '</p><iframe src=//evil>',
  '<br onclick=alert(1)>',
];

/** The body with our own markup removed (paragraphs, line breaks, the hidden idempotency marker): what is left must carry no tag at all. */
function liveMarkup(body: string): string[] {
  const rest = body.replace(/<span style="display:none">tossupref[0-9a-f]{32}<\/span>$/, '').replace(/<\/?p>|<br>/g, '');
  return [...rest.matchAll(/[<>"']/g)].map((m) => m[0]);
}

const text = fc.array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string(), fc.constantFrom('\n', '\n\n', '営業メモ')), { maxLength: 12 }).map((parts) => parts.join(''));

let db: Database;
beforeAll(async () => {
  db = await createDatabase({ kind: 'pglite' });
  await migrate(db);
});
afterAll(() => db.close());

describe('task and note bodies sent to HubSpot', () => {
  it('hold no live tag or attribute, whatever the interpolated text', async () => {
    const sent: Record<string, string>[] = [];
    const fake = {
      objectsBatch: {
        create: async (_type: string, { inputs }: { inputs: { properties: Record<string, string> }[] }) => {
          sent.push(...inputs.map((i) => i.properties));
          return { results: inputs.map((i, n) => ({ id: String(sent.length * 100 + n), properties: i.properties })) };
        },
      },
    };
    const call = ((_p: string, _op: string, _lane: string, fn: (a: never) => Promise<unknown>) => fn(fake as never)) as unknown as HubSpotCall;
    const engagements = createEngagements({ call, db, clock: createManualClock(0), recoveryDelayMs: 60_000, findByMarkers: async () => new Map() });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, text, async (reason, name) => {
        n++;
        const body = `トスアップ理由: ${reason}\nBANT: ${name}\n\nReason: ${reason}`;
        sent.length = 0;
        await engagements.createTasks('1', [{ key: `t${n}`, ownerId: '1', subject: 's', body, dueAt: 0, priority: 'HIGH', type: 'CALL', associations: { contactId: '5' } }]);
        await engagements.createNotes('1', [{ key: `n${n}`, body, timestamp: 0, associations: { contactId: '5' } }]);
        const bodies = sent.map((p) => p.hs_task_body ?? p.hs_note_body ?? '');
        expect(bodies).toHaveLength(2);
        for (const b of bodies) {
          expect(liveMarkup(b)).toEqual([]);
          expect(b).toMatch(/tossupref[0-9a-f]{32}/);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('lines become paragraphs and line breaks instead of running together', () => {
    expect(textToHtml('a\nb\n\nc <d>')).toBe('<p>a<br>b</p>\n<p>c &lt;d&gt;</p>');
  });
});
