/**
 * SLA hours on a business calendar (docs/product.md §6): working hours in an IANA time
 * zone, working weekdays, Japanese national holidays (@holiday-jp/holiday_jp, the
 * maintained Cabinet Office list) and custom closed dates. Time-zone arithmetic uses
 * Intl only, so offsets (and DST where a zone has it) come from the platform's tz data.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { BusinessCalendar, PortalSettings } from '@tossup/shared/settings-schema';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Ten years of closed days in a row means the calendar has no working time at all. */
const MAX_DAYS_SCANNED = 3700;

interface LocalDate {
  y: number;
  m: number; // 1-12
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock parts of an instant in a time zone. */
function localParts(ms: number, timeZone: string): LocalDate & { h: number; min: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute!, s: parts.second! };
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Tokyo: +9 h). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant at which the zone's wall clock shows the given local time. */
export function zonedTimeToUtc(date: LocalDate, minutesOfDay: number, timeZone: string): number {
  const naive = Date.UTC(date.y, date.m - 1, date.d) + minutesOfDay * 60_000;
  let guess = naive - offsetAt(naive, timeZone);
  // A second pass settles instants near an offset change (DST) onto the right side.
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

function nextDate(date: LocalDate): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) + DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (date: LocalDate): string => `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date (independent of zone). */
function isoWeekday(date: LocalDate): number {
  const wd = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

const HOLIDAYS: Readonly<Record<string, unknown>> = holidayJp.holidays;

export function isWorkingDay(date: LocalDate, calendar: BusinessCalendar): boolean {
  const key = iso(date);
  if (!calendar.workDays.includes(isoWeekday(date))) return false;
  if (calendar.japaneseHolidays && Object.prototype.hasOwnProperty.call(HOLIDAYS, key)) return false;
  return !calendar.closedDates.includes(key);
}

/** Working window [start, end) of a local date, as instants. */
function windowOf(date: LocalDate, calendar: BusinessCalendar): [number, number] {
  return [zonedTimeToUtc(date, minutes(calendar.workStart), calendar.timeZone), zonedTimeToUtc(date, minutes(calendar.workEnd), calendar.timeZone)];
}

function* windowsFrom(startMs: number, calendar: BusinessCalendar): Generator<[number, number]> {
  let date: LocalDate = localParts(startMs, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = nextDate(date)) {
    if (isWorkingDay(date, calendar)) yield windowOf(date, calendar);
  }
  throw new Error(
    '営業日カレンダーに稼働時間がありません。営業日・休業日の設定を見直してください / The business calendar has no working time; check working days and closed dates',
  );
}

/**
 * The instant `hours` working hours after `startMs`. Time before the working day,
 * after it, on weekends, holidays and closed dates does not count; a start outside
 * working hours begins counting at the next opening.
 */
export function addBusinessHours(startMs: number, hours: number, calendar: BusinessCalendar): number {
  if (hours < 0) throw new RangeError('hours must be ≥ 0');
  let remaining = Math.round(hours * HOUR);
  if (remaining === 0) return startMs;
  for (const [open, close] of windowsFrom(startMs, calendar)) {
    const from = Math.max(open, startMs);
    if (from >= close) continue;
    if (remaining <= close - from) return from + remaining;
    remaining -= close - from;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** Working hours between two instants (negative when `endMs` is before `startMs`). */
export function businessHoursBetween(startMs: number, endMs: number, calendar: BusinessCalendar): number {
  if (endMs < startMs) return -businessHoursBetween(endMs, startMs, calendar);
  let total = 0;
  for (const [open, close] of windowsFrom(startMs, calendar)) {
    if (open >= endMs) break;
    total += Math.max(0, Math.min(close, endMs) - Math.max(open, startMs));
  }
  return total / HOUR;
}

/** SLA arithmetic under the portal's setting: wall-clock hours by default, business hours when chosen. */
export function addSlaHours(startMs: number, hours: number, calendar: PortalSettings['sla']['calendar']): number {
  return calendar.mode === 'business_hours' ? addBusinessHours(startMs, hours, calendar.business) : startMs + Math.round(hours * HOUR);
}

export function slaHoursBetween(startMs: number, endMs: number, calendar: PortalSettings['sla']['calendar']): number {
  return calendar.mode === 'business_hours' ? businessHoursBetween(startMs, endMs, calendar.business) : (endMs - startMs) / HOUR;
}

/** The first working instant at or after `ms` (itself when inside working hours): when a hand-off made now will be worked. */
export function nextWorkingInstant(ms: number, calendar: BusinessCalendar): number {
  for (const [open, close] of windowsFrom(ms, calendar)) {
    if (ms < close) return Math.max(open, ms);
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localIsoDate(ms: number, timeZone: string): string {
  return iso(localParts(ms, timeZone));
}
