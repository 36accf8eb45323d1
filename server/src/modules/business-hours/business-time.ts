/**
 * Business-time arithmetic. The definition every function here follows (and the property tests check
 * against a minute-by-minute reference): an instant is business time when the wall clock in the
 * calendar's time zone shows a weekday and time inside one of the weekly intervals, on a local date
 * that is not a holiday. So on the night clocks go forward the skipped hour simply does not exist,
 * and on the night they go back the repeated hour counts twice, because the customer really waited
 * through both.
 *
 * The fast path walks the UTC timeline in stretches of constant UTC offset: inside one stretch the
 * wall clock is a plain shift of UTC, so intervals can be intersected with simple arithmetic on
 * "naive local" milliseconds.
 */

export interface BusinessInterval {
  /** 0 = Sunday … 6 = Saturday, as Date.getUTCDay. */
  day: number;
  /** Minutes after local midnight, start inclusive, end exclusive; end may be 1440. */
  start: number;
  end: number;
}

export interface BusinessCalendar {
  timeZone: string;
  intervals: BusinessInterval[];
  /** Local dates `YYYY-MM-DD` with no business time at all. */
  holidays: string[];
}

const minute = 60_000;
const day = 24 * 60 * minute;

export const alwaysOpen = (timeZone = 'UTC'): BusinessCalendar => ({
  timeZone,
  intervals: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ day: weekday, start: 0, end: 1440 })),
  holidays: [],
});

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock time at `instant`, expressed as milliseconds of a UTC timeline ("naive local"). */
export function naiveLocal(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  // formatToParts drops milliseconds; offsets are whole seconds, so add them back unchanged.
  return wall + (((instant % 1000) + 1000) % 1000);
}

function offsetAt(instant: number, timeZone: string): number {
  return naiveLocal(instant, timeZone) - instant;
}

/**
 * The end of the constant-offset stretch that starts at `from`, no later than `limit`. Offsets
 * change at most a few times a year, so equal offsets a day apart mean no change in between.
 */
function stretchEnd(from: number, limit: number, timeZone: string): { end: number; offset: number } {
  // Reading an offset (Intl) was most of an SLA evaluation's CPU, and evaluations of one workspace
  // keep asking about the same days: stretches found before answer at once. An offset is a pure
  // function of the instant, so a remembered stretch never goes stale; ending it early is harmless,
  // the caller just asks again from its end.
  const known = knownStretches.get(timeZone)?.find((stretch) => stretch.start <= from && from < stretch.end);
  if (known) return { end: Math.min(limit, known.end), offset: known.offset };
  const found = findStretchEnd(from, limit, timeZone);
  remember(timeZone, { start: from, end: found.end, offset: found.offset });
  return found;
}

/** Constant-offset stretches [start, end) found so far, per time zone, the most recent first. */
const knownStretches = new Map<string, Array<{ start: number; end: number; offset: number }>>();
const stretchesPerZone = 32;

function remember(timeZone: string, stretch: { start: number; end: number; offset: number }): void {
  if (stretch.end <= stretch.start) return;
  const known = knownStretches.get(timeZone) ?? [];
  known.unshift(stretch);
  if (known.length > stretchesPerZone) known.pop();
  knownStretches.set(timeZone, known);
}

function findStretchEnd(from: number, limit: number, timeZone: string): { end: number; offset: number } {
  const offset = offsetAt(from, timeZone);
  const probe = Math.min(limit, from + day);
  if (offsetAt(probe, timeZone) === offset) return { end: probe, offset };
  let low = from;
  let high = probe;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2);
    if (offsetAt(middle, timeZone) === offset) low = middle;
    else high = middle;
  }
  // Transitions fall on whole seconds: the first whole second after `low` is the one.
  return { end: Math.min(high, Math.floor(low / 1000) * 1000 + 1000), offset };
}

function localDateKey(naiveMidnight: number): string {
  return new Date(naiveMidnight).toISOString().slice(0, 10);
}

/** Business intervals (naive local ms) of the local day starting at `naiveMidnight`. */
function intervalsOfDay(naiveMidnight: number, calendar: BusinessCalendar, holidays: Set<string>): Array<[number, number]> {
  if (holidays.has(localDateKey(naiveMidnight))) return [];
  const weekday = new Date(naiveMidnight).getUTCDay();
  const sorted = calendar.intervals
    .filter((interval) => interval.day === weekday && interval.end > interval.start)
    .map((interval) => [naiveMidnight + interval.start * minute, naiveMidnight + interval.end * minute] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  // Overlapping intervals must not count the same minute twice.
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Walks business time in naive-local [from, to) of one constant-offset stretch, calling `visit` with
 * each business piece in order; stops early when `visit` returns true.
 */
function walkNaive(from: number, to: number, calendar: BusinessCalendar, holidays: Set<string>, visit: (start: number, end: number) => boolean): boolean {
  let midnight = Math.floor(from / day) * day;
  while (midnight < to) {
    for (const [start, end] of intervalsOfDay(midnight, calendar, holidays)) {
      const pieceStart = Math.max(start, from);
      const pieceEnd = Math.min(end, to);
      if (pieceEnd > pieceStart && visit(pieceStart, pieceEnd)) return true;
    }
    midnight += day;
  }
  return false;
}

function toMilliseconds(value: Date | string | number): number {
  const milliseconds = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(milliseconds)) throw new RangeError(`not a time: ${String(value)}`);
  return milliseconds;
}

/** Business minutes in [a, b); zero when b is not after a. May be fractional for unaligned instants. */
export function businessMinutesBetween(a: Date | string | number, b: Date | string | number, calendar: BusinessCalendar): number {
  const from = toMilliseconds(a);
  const to = toMilliseconds(b);
  if (to <= from) return 0;
  const holidays = new Set(calendar.holidays);
  let total = 0;
  let cursor = from;
  while (cursor < to) {
    const { end, offset } = stretchEnd(cursor, to, calendar.timeZone);
    walkNaive(cursor + offset, end + offset, calendar, holidays, (start, stop) => {
      total += stop - start;
      return false;
    });
    cursor = end;
  }
  return total / minute;
}

/** How far ahead addBusinessTime looks before deciding a calendar never opens. */
const searchHorizon = 3 * 366 * day;

/**
 * The earliest instant t ≥ start with exactly `minutes` business minutes in [start, t). With zero
 * minutes that is `start` itself. Throws when the calendar has no business time within three years.
 */
export function addBusinessTime(start: Date | string | number, minutes: number, calendar: BusinessCalendar): Date {
  const from = toMilliseconds(start);
  if (!(minutes >= 0)) throw new RangeError('minutes must be zero or more');
  let remaining = minutes * minute;
  if (remaining === 0) return new Date(from);
  const holidays = new Set(calendar.holidays);
  let cursor = from;
  while (cursor < from + searchHorizon) {
    const { end, offset } = stretchEnd(cursor, from + searchHorizon, calendar.timeZone);
    let found: number | undefined;
    walkNaive(cursor + offset, end + offset, calendar, holidays, (pieceStart, pieceEnd) => {
      const length = pieceEnd - pieceStart;
      if (length >= remaining) {
        found = pieceStart + remaining - offset;
        return true;
      }
      remaining -= length;
      return false;
    });
    if (found !== undefined) return new Date(found);
    cursor = end;
  }
  throw new RangeError('the calendar has no business time in the next three years');
}

/** Whether `instant` is inside business time. */
export function isBusinessTime(instant: Date | string | number, calendar: BusinessCalendar): boolean {
  const at = toMilliseconds(instant);
  return businessMinutesBetween(at, at + 1000, calendar) > 0;
}
