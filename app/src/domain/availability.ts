/**
 * Who can take a hand-off now (issue 17): a rep is away on the days of their
 * out-of-office ranges. Ranges are local dates in the business calendar's time zone
 * (the portal's), inclusive. A hand-off made outside working hours is worked at the
 * next opening (after weekends, national holidays and closed dates), so availability
 * is judged on that day: a rep back on Tuesday after a Monday holiday is available
 * for a lead handed off on Friday evening.
 */
import type { BusinessCalendar } from '@tossup/shared/settings-schema';
import { localIsoDate, nextWorkingInstant } from './business-hours';
import type { OutOfOfficeRange } from './types';

export type Availability = { available: true; workingDate: string } | { available: false; workingDate: string; range: OutOfOfficeRange };

/** The local date on which a hand-off made at `now` will first be worked. */
export function workingDateFor(now: number, calendar: BusinessCalendar): string {
  return localIsoDate(nextWorkingInstant(now, calendar), calendar.timeZone);
}

export function availabilityOn(ownerId: string, workingDate: string, ranges: readonly OutOfOfficeRange[]): Availability {
  // ISO dates compare as strings.
  const range = ranges.find((r) => r.ownerId === ownerId && r.from <= workingDate && workingDate <= r.to);
  return range ? { available: false, workingDate, range } : { available: true, workingDate };
}

export function availabilityAt(ownerId: string, now: number, calendar: BusinessCalendar, ranges: readonly OutOfOfficeRange[]): Availability {
  return availabilityOn(ownerId, workingDateFor(now, calendar), ranges);
}
