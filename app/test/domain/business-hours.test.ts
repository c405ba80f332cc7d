import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessHours, addSlaHours, businessHoursBetween, isWorkingDay } from '../../src/domain/business-hours';
import { DEFAULT_SETTINGS, type BusinessCalendar } from '@tossup/shared/settings-schema';

const JST: BusinessCalendar = DEFAULT_SETTINGS.sla.calendar.business; // Asia/Tokyo 09:00-18:00 Mon-Fri + holidays
/** An instant given as JST wall-clock time (Tokyo has no DST: UTC+9 all year). */
const jst = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 9, min);
const H = 3_600_000;

describe('addBusinessHours (Asia/Tokyo, 09:00–18:00, Mon–Fri, Japanese holidays)', () => {
  it.each([
    ['within one day', jst(2025, 4, 1, 10), 2, jst(2025, 4, 1, 12)],
    ['exactly to closing time', jst(2025, 4, 1, 9), 9, jst(2025, 4, 1, 18)],
    ['over the night', jst(2025, 4, 1, 17), 2, jst(2025, 4, 2, 10)],
    ['a start before opening counts from 09:00', jst(2025, 4, 1, 6), 1, jst(2025, 4, 1, 10)],
    ['a start after closing counts from the next opening', jst(2025, 4, 1, 20), 1, jst(2025, 4, 2, 10)],
    ['24 working hours: Tue 10:00 → Thu 16:00 (8 + 9 + 7)', jst(2025, 4, 1, 10), 24, jst(2025, 4, 3, 16)],
    ['over a weekend: Fri 17:00 + 2 h = Mon 10:00', jst(2025, 4, 4, 17), 2, jst(2025, 4, 7, 10)],
    ['Saturday start waits for Monday', jst(2025, 4, 5, 12), 1, jst(2025, 4, 7, 10)],
    // 2025 Golden Week: 4/29 (Tue) 昭和の日, 5/3–5/6 (5/6 振替休日)
    ['over 昭和の日: Mon 4/28 17:00 + 2 h = Wed 4/30 10:00', jst(2025, 4, 28, 17), 2, jst(2025, 4, 30, 10)],
    ['over Golden Week: Fri 5/2 17:00 + 2 h = Wed 5/7 10:00', jst(2025, 5, 2, 17), 2, jst(2025, 5, 7, 10)],
    ['New Year: 2024-12-31 (Tue) 17:00 + 2 h = 2025-01-02 10:00 (only 1/1 is a national holiday)', jst(2024, 12, 31, 17), 2, jst(2025, 1, 2, 10)],
  ])('%s', (_name, start, hours, expected) => {
    expect(new Date(addBusinessHours(start, hours, JST)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('skips custom closed dates (年末年始) and honours a different zone and weekdays', () => {
    const closed: BusinessCalendar = { ...JST, closedDates: ['2025-01-02', '2025-01-03'] };
    expect(addBusinessHours(jst(2024, 12, 31, 17), 2, closed)).toBe(jst(2025, 1, 6, 10));
    const ny: BusinessCalendar = { ...JST, timeZone: 'America/New_York', japaneseHolidays: false, workDays: [1, 2, 3, 4, 5, 6] };
    // Saturday 2025-03-08 17:00 EST + 2 h → Monday 2025-03-10 10:00 EDT (DST started on Sunday 3/9).
    expect(new Date(addBusinessHours(Date.UTC(2025, 2, 8, 22), 2, ny)).toISOString()).toBe('2025-03-10T14:00:00.000Z');
  });

  it('knows the holidays from @holiday-jp/holiday_jp, including substitute holidays', () => {
    expect(isWorkingDay({ y: 2025, m: 5, d: 6 }, JST)).toBe(false); // 振替休日
    expect(isWorkingDay({ y: 2025, m: 9, d: 15 }, JST)).toBe(false); // 敬老の日
    expect(isWorkingDay({ y: 2025, m: 9, d: 16 }, JST)).toBe(true);
    expect(isWorkingDay({ y: 2025, m: 5, d: 6 }, { ...JST, japaneseHolidays: false })).toBe(true);
  });

  it('wall-clock mode simply adds hours', () => {
    expect(addSlaHours(jst(2025, 4, 4, 17), 24, DEFAULT_SETTINGS.sla.calendar)).toBe(jst(2025, 4, 5, 17));
    expect(addSlaHours(jst(2025, 4, 4, 17), 24, { mode: 'business_hours', business: JST })).toBe(jst(2025, 4, 9, 14));
  });
});

describe('business-hours properties', () => {
  // Instants from 2024 to 2026 in 15-minute steps, hours in 15-minute steps up to two weeks of work.
  const instant = fc.integer({ min: 0, max: 3 * 365 * 96 }).map((q) => Date.UTC(2024, 0, 1) + q * 15 * 60_000);
  const hours = fc.integer({ min: 0, max: 4 * 90 }).map((q) => q / 4);

  it('businessHoursBetween(start, addBusinessHours(start, h)) = h', () => {
    fc.assert(
      fc.property(instant, hours, (start, h) => {
        const end = addBusinessHours(start, h, JST);
        expect(businessHoursBetween(start, end, JST)).toBeCloseTo(h, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('the result lies inside working time (or at its end) on a working day, never earlier than the start', () => {
    fc.assert(
      fc.property(instant, hours.filter((h) => h > 0), (start, h) => {
        const end = addBusinessHours(start, h, JST);
        expect(end).toBeGreaterThan(start);
        const local = new Date(end + 9 * H);
        const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
        expect(minutes).toBeGreaterThan(9 * 60);
        expect(minutes).toBeLessThanOrEqual(18 * 60);
        expect(isWorkingDay({ y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() }, JST)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive: adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(instant, hours, hours, (start, a, b) => {
        expect(addBusinessHours(addBusinessHours(start, a, JST), b, JST)).toBe(addBusinessHours(start, a + b, JST));
      }),
      { numRuns: 200 },
    );
  });

  it('between is monotonic, antisymmetric and at most 9 h per calendar day', () => {
    fc.assert(
      fc.property(instant, instant, (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const h = businessHoursBetween(a, b, JST);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(businessHoursBetween(b, a, JST) + h).toBe(0);
        expect(h).toBeLessThanOrEqual(9 * Math.ceil((b - a) / (24 * H) + 1));
      }),
      { numRuns: 200 },
    );
  });
});
