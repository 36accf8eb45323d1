import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, alwaysOpen, businessMinutesBetween, type BusinessCalendar } from './business-time.js';

/**
 * The reference: look at every single UTC minute, ask Intl what the wall clock says, and count it
 * if that weekday/time is inside an interval and the local date is not a holiday. Slow and obvious.
 */
const referenceFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: number, timeZone: string): { date: string; weekday: number; minuteOfDay: number } {
  let formatter = referenceFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    referenceFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

function referenceIsBusinessMinute(instant: number, calendar: BusinessCalendar): boolean {
  const wall = wallClock(instant, calendar.timeZone);
  if (calendar.holidays.includes(wall.date)) return false;
  return calendar.intervals.some((interval) => interval.day === wall.weekday && wall.minuteOfDay >= interval.start && wall.minuteOfDay < interval.end);
}

function referenceBetween(a: number, b: number, calendar: BusinessCalendar): number {
  let count = 0;
  for (let t = a; t < b; t += 60_000) if (referenceIsBusinessMinute(t, calendar)) count++;
  return count;
}

function referenceAdd(a: number, minutes: number, calendar: BusinessCalendar): number {
  if (minutes === 0) return a;
  let count = 0;
  for (let t = a; ; t += 60_000) {
    if (referenceIsBusinessMinute(t, calendar) && ++count === minutes) return t + 60_000;
  }
}

/** Moments around DST changes (and one zone without DST) in several zones. */
const transitions: Array<{ timeZone: string; around: string }> = [
  { timeZone: 'Europe/Paris', around: '2026-03-29T01:00:00Z' },
  { timeZone: 'Europe/Paris', around: '2026-10-25T01:00:00Z' },
  { timeZone: 'America/New_York', around: '2026-03-08T07:00:00Z' },
  { timeZone: 'America/New_York', around: '2026-11-01T06:00:00Z' },
  { timeZone: 'Australia/Sydney', around: '2026-04-04T16:00:00Z' },
  { timeZone: 'Australia/Lord_Howe', around: '2026-10-03T15:30:00Z' },
  { timeZone: 'Asia/Kolkata', around: '2026-06-01T00:00:00Z' },
];

const intervalArbitrary = fc
  .record({ day: fc.integer({ min: 0, max: 6 }), start: fc.integer({ min: 0, max: 1439 }), length: fc.integer({ min: 30, max: 1440 }) })
  .map(({ day, start, length }) => ({ day, start, end: Math.min(1440, start + length) }));

/** Random weekly schedules; the hours that straddle the 01:00–04:00 DST window are deliberately likely. */
const calendarArbitrary = fc.record({
  transition: fc.constantFrom(...transitions),
  intervals: fc.oneof(
    fc.array(intervalArbitrary, { minLength: 1, maxLength: 10 }),
    fc.constant(alwaysOpen().intervals),
    fc.constant([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: 60, end: 240 }))),
  ),
  holidayOffsets: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 2 }),
});

function buildCase(input: { transition: (typeof transitions)[number]; intervals: BusinessCalendar['intervals']; holidayOffsets: number[] }, startOffsetMinutes: number) {
  const around = Date.parse(input.transition.around);
  const holidays = input.holidayOffsets.map((offset) => new Date(around + offset * 86_400_000).toISOString().slice(0, 10));
  const calendar: BusinessCalendar = { timeZone: input.transition.timeZone, intervals: input.intervals, holidays };
  return { calendar, start: around + startOffsetMinutes * 60_000 };
}

describe('business time', () => {
  it('counts business minutes exactly like the minute-by-minute reference, across DST changes', () => {
    fc.assert(
      fc.property(calendarArbitrary, fc.integer({ min: -2 * 1440, max: 1440 }), fc.integer({ min: 0, max: 2 * 1440 }), (input, startOffset, length) => {
        const { calendar, start } = buildCase(input, startOffset);
        expect(businessMinutesBetween(start, start + length * 60_000, calendar)).toBe(referenceBetween(start, start + length * 60_000, calendar));
      }),
      { numRuns: 40 },
    );
  });

  it('adds business minutes exactly like the reference, and the result is consistent with counting', () => {
    fc.assert(
      fc.property(calendarArbitrary, fc.integer({ min: -2 * 1440, max: 1440 }), fc.integer({ min: 0, max: 90 }), (input, startOffset, minutes) => {
        const { calendar, start } = buildCase(input, startOffset);
        const due = addBusinessTime(start, minutes, calendar).getTime();
        expect(due).toBe(referenceAdd(start, minutes, calendar));
        expect(businessMinutesBetween(start, due, calendar)).toBe(minutes);
      }),
      { numRuns: 40 },
    );
  });

  it('a 24/7 calendar is plain elapsed time, even on DST nights', () => {
    const calendar = alwaysOpen('Europe/Paris');
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2026-03-27T00:00:00Z'), max: Date.parse('2026-03-31T00:00:00Z') }), fc.integer({ min: 0, max: 5000 }), (start, minutes) => {
        expect(addBusinessTime(start, minutes, calendar).getTime()).toBe(start + minutes * 60_000);
        expect(businessMinutesBetween(start, start + minutes * 60_000, calendar)).toBe(minutes);
      }),
    );
  });

  it('knows the spring-forward hour does not exist and the fall-back hour happens twice', () => {
    const nights = (intervals: BusinessCalendar['intervals']): BusinessCalendar => ({ timeZone: 'Europe/Paris', intervals, holidays: [] });
    const everyNight = nights([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: 60, end: 240 })));
    // 29 March 2026: 02:00 → 03:00, so 01:00–04:00 local is two real hours.
    expect(businessMinutesBetween('2026-03-28T20:00:00Z', '2026-03-29T06:00:00Z', everyNight)).toBe(120);
    // 25 October 2026: 03:00 → 02:00, so 01:00–04:00 local is four real hours.
    expect(businessMinutesBetween('2026-10-24T20:00:00Z', '2026-10-25T06:00:00Z', everyNight)).toBe(240);
    // Friday 17:00 Paris plus 2 business hours of a 9–18 Monday–Friday week lands on Monday 10:00.
    const office = nights([1, 2, 3, 4, 5].map((day) => ({ day, start: 9 * 60, end: 18 * 60 })));
    expect(addBusinessTime('2026-11-20T16:00:00Z', 120, office).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(addBusinessTime('2026-11-20T16:00:00Z', 120, { ...office, holidays: ['2026-11-23'] }).toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });

  it('refuses a calendar that never opens instead of looping', () => {
    expect(() => addBusinessTime(0, 10, { timeZone: 'UTC', intervals: [], holidays: [] })).toThrow(RangeError);
  });
});
