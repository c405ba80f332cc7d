import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateContact } from '../../src/domain/evaluate';
import { classifyForm } from '../../src/domain/forms';
import { computeScore } from '../../src/domain/scoring';
import { mergeSignals, observeSignals } from '../../src/domain/signals';
import type { LedgerEntry } from '../../src/domain/types';
import { DAY, T0, applyToSnapshot, directory, settings, snapshot } from './fixtures';

const score = (s: ReturnType<typeof snapshot>, cfg = settings()) => {
  const dir = directory();
  return computeScore(mergeSignals(s.ledger, observeSignals(s, cfg, dir, T0)), s, cfg, T0);
};
const form = (title: string, at: number): LedgerEntry => ({ signalKey: `form:${title}:${at}`, kind: 'form_submission', occurredAt: at, details: { title } });

describe('default scoring rules = the article (行動スコア / 属性スコア)', () => {
  it.each([
    ['メール開封 +5点 each', snapshot({ hs_email_open: '4' }), 20, 0, 'メール開封 ×4 +20'],
    ['資料ダウンロード +10点 each', snapshot({}, { observations: [form('ホワイトペーパー資料ダウンロード', T0 - DAY), form('製品カタログ', T0 - 2 * DAY)] }), 20, 0, '資料ダウンロード ×2 +20'],
    ['セミナー参加 +20点 each (attended only)', snapshot({}, { eventParticipations: [
      { eventId: 'e1', eventName: 'DX セミナー', state: 'ATTENDED', occurredAt: T0 - DAY },
      { eventId: 'e2', eventName: 'ウェビナー', state: 'REGISTERED', occurredAt: T0 - DAY },
      { eventId: 'e3', eventName: 'ウェビナー', state: 'NO_SHOW', occurredAt: T0 - DAY },
    ] }), 20, 0, 'セミナー参加 ×1 +20'],
    ['部長職以上 +10点', snapshot({ jobtitle: '営業本部 部長' }), 0, 10, '部長職以上（部長） +10'],
    ['部長職以上 scores once with several words, showing the longest that matched', snapshot({ jobtitle: '取締役 兼 事業部長' }), 0, 10, '部長職以上（事業部長） +10'],
    ['部長職以上 shows the title as matched: 本部長, not 部長', snapshot({ jobtitle: '営業本部長' }), 0, 10, '部長職以上（本部長） +10'],
    ['English titles: VP', snapshot({ jobtitle: 'VP of Engineering' }), 0, 10, '部長職以上（VP） +10'],
    ['English titles: Head of', snapshot({ jobtitle: 'Head of Marketing' }), 0, 10, '部長職以上（Head of） +10'],
    ['English titles: CTO', snapshot({ jobtitle: 'Co-founder & CTO' }), 0, 10, '部長職以上（CTO） +10'],
    ['従業員500名以上 +5点', snapshot({}, { company: { id: '1', properties: { numberofemployees: '500' } } }), 0, 5, '従業員規模（500名 ≥ 500） +5'],
  ])('%s', (_n, s, behavior, attribute, line) => {
    const r = score(s);
    expect([r.behavior, r.attribute, r.total]).toEqual([behavior, attribute, behavior + attribute]);
    expect(r.breakdown.split('\n')).toContain(line);
  });

  it.each([
    ['課長', '課長'],
    ['Director ではない Directory 担当', 'Directory担当'],
    ['Chief の文字を含まない "Mischief"', 'Mischief manager'],
  ])('no seniority points for %s', (_n, title) => {
    expect(score(snapshot({ jobtitle: title })).attribute).toBe(0);
  });

  it('499 employees is below the threshold', () => {
    expect(score(snapshot({}, { company: { id: '1', properties: { numberofemployees: '499' } } })).attribute).toBe(0);
  });

  it('対象業界 +10点 only for industries the admin lists (empty by default)', () => {
    const s = snapshot({}, { company: { id: '1', properties: { industry: 'COMPUTER_SOFTWARE' } } });
    expect(score(s).attribute).toBe(0);
    const r = score(s, settings((c) => (c.scoring.attribute.targetIndustry.industries = ['COMPUTER_SOFTWARE'])));
    expect(r.attribute).toBe(10);
    expect(r.breakdown).toBe('対象業界（COMPUTER_SOFTWARE） +10');
  });

  it('reaction flags carry no points: inquiry, survey, IS first call', () => {
    const s = snapshot({}, {
      observations: [form('お問い合わせ', T0 - DAY), form('導入アンケート', T0 - DAY)],
      activities: [{ id: 'c1', type: 'call', ownerId: '101', timestamp: T0 - DAY }],
    });
    const r = score(s);
    expect(r.total).toBe(0);
    expect(r.flags).toEqual({ inquirySubmitted: true, surveyAnswered: true, isFirstCallDone: true });
    // A call by a sales rep is not an IS first call.
    expect(score(snapshot({}, { activities: [{ id: 'c2', type: 'call', ownerId: '201', timestamp: T0 }] })).flags.isFirstCallDone).toBe(false);
  });

  it('all article examples together: 5×4 + 10×2 + 20 + 10 + 5 = 75', () => {
    const s = snapshot({ hs_email_open: '4', jobtitle: '部長' }, {
      observations: [form('資料ダウンロード', T0 - DAY), form('whitepaper download', T0 - DAY)],
      eventParticipations: [{ eventId: 'e1', eventName: 'セミナー', state: 'ATTENDED', occurredAt: T0 - DAY }],
      company: { id: '1', properties: { numberofemployees: '1200' } },
    });
    const r = score(s);
    expect(r).toMatchObject({ total: 75, behavior: 60, attribute: 15 });
    expect(r.breakdown).toBe(
      [
        'メール開封 ×4 +20',
        '資料ダウンロード ×2 +20',
        'セミナー参加 ×1 +20',
        '部長職以上（部長） +10',
        '従業員規模（1200名 ≥ 500） +5',
      ].join('\n'),
    );
  });

  it('caps and half-life decay are per rule', () => {
    const cfg = settings((c) => {
      c.scoring.behavior.emailOpen.cap = 15;
      c.scoring.behavior.download.decayHalfLifeDays = 30;
    });
    const s = snapshot({ hs_email_open: '10' }, { observations: [form('資料', T0 - 30 * DAY), form('資料', T0 - 60 * DAY)] });
    const r = score(s, cfg);
    expect(r.breakdown.split('\n')).toEqual(['メール開封 ×10 +15（上限）', '資料ダウンロード ×2 +8']); // 5 + 2.5
  });
});

describe('form classification', () => {
  const forms = settings().forms;
  it.each([
    ['資料請求・お問い合わせ', 'inquiry'],
    ['お問合せフォーム', 'inquiry'],
    ['Contact us', 'inquiry'],
    ['ウェビナーアンケート', 'survey'],
    ['セミナー資料ダウンロード', 'download'],
    ['Whitepaper: CRM 入門', 'download'],
    ['ウェビナー申込', 'seminar'],
    ['ニュースレター登録', 'other'],
  ])('%s → %s', (title, expected) => {
    expect(classifyForm(title, forms)).toBe(expected);
  });
  it('an exact-title override wins', () => {
    expect(classifyForm('ニュースレター登録', { ...forms, overrides: [{ title: 'ニュースレター登録', category: 'download' }] })).toBe('download');
    expect(classifyForm('お問い合わせ（採用）', { ...forms, overrides: [{ title: 'お問い合わせ（採用）', category: 'ignore' }] })).toBe('ignore');
  });
});

describe('form submissions from the conversion history', () => {
  it('pairs names with dates, counts each submission once, also without history', () => {
    const s = snapshot(
      { recent_conversion_event_name: '資料ダウンロード', recent_conversion_date: String(T0 - DAY), first_conversion_event_name: 'カタログ', first_conversion_date: '2025-01-10T00:00:00.000Z' },
      {
        contactHistory: {
          recent_conversion_event_name: [
            { value: '資料ダウンロード', timestamp: T0 - DAY + 500 },
            { value: '資料ダウンロード', timestamp: T0 - 5 * DAY + 300 },
            { value: 'カタログ', timestamp: Date.parse('2025-01-10T00:00:00.000Z') + 200 },
          ],
          recent_conversion_date: [
            { value: String(T0 - DAY), timestamp: T0 - DAY + 400 },
            { value: new Date(T0 - 5 * DAY).toISOString(), timestamp: T0 - 5 * DAY + 300 },
            { value: '1736467200000', timestamp: Date.parse('2025-01-10T00:00:00.000Z') + 200 },
          ],
        },
      },
    );
    const r = score(s);
    expect(r.counts.downloads).toBe(3);
    expect(r.behavior).toBe(30);
  });
});

describe('scoring is idempotent and order-independent (property)', () => {
  const entry = fc.oneof(
    fc.record({ t: fc.constantFrom('資料ダウンロード', 'お問い合わせ', 'アンケート', 'カタログ'), d: fc.integer({ min: 1, max: 40 }) }).map(({ t, d }) => form(t, T0 - d * DAY)),
    fc.integer({ min: 1, max: 6 }).map((n): LedgerEntry => ({ signalKey: `event:e${n}`, kind: 'seminar_attended', occurredAt: T0 - n * DAY, details: {} })),
    fc.integer({ min: 1, max: 9 }).map((n): LedgerEntry => ({ signalKey: `email_open:${n}`, kind: 'email_open', occurredAt: T0 - n * DAY, details: {} })),
  );
  const decaying = settings((c) => {
    c.scoring.behavior.download.decayHalfLifeDays = 14;
    c.scoring.behavior.emailOpen.cap = 25;
  });

  it('any permutation, duplication or split of deliveries gives the same score as one delivery of the set', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (events, shuffle, batches) => {
        for (const cfg of [settings(), decaying]) {
          const dir = directory();
          const base = snapshot({ jobtitle: '部長' }, { company: { id: '9', properties: { numberofemployees: '800' } } });
          // Reference: everything at once.
          const once = evaluateContact({ ...base, observations: events }, cfg, dir, T0).contactProperties;
          // Replay: duplicated, shuffled, split over several evaluations whose plans are applied in between.
          const replay = [...events, ...events.slice(0, shuffle.length)];
          for (let i = replay.length - 1; i > 0; i--) {
            const j = (shuffle[i % Math.max(1, shuffle.length)] ?? 0) % (i + 1);
            [replay[i], replay[j]] = [replay[j]!, replay[i]!];
          }
          let s = base;
          const size = Math.ceil(replay.length / batches) || 1;
          for (let k = 0; k < replay.length || k === 0; k += size) {
            s = applyToSnapshot(s, evaluateContact({ ...s, observations: replay.slice(k, k + size) }, cfg, dir, T0), dir);
          }
          for (const p of ['tossup_score', 'tossup_score_behavior', 'tossup_score_attribute', 'tossup_score_breakdown']) {
            expect(s.contact.properties[p] ?? '').toBe(once[p] ?? '');
          }
          // Idempotent: evaluating the applied state again writes nothing and appends nothing.
          const again = evaluateContact({ ...s, observations: replay }, cfg, dir, T0);
          expect(again.contactProperties).toEqual({});
          expect(again.ledgerAppend).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
