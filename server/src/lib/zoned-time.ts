/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl, so "tomorrow at 17:00" and
 * "this month" mean what the workspace's people mean, across daylight-saving changes.
 */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays.indexOf(parts.weekday!),
  };
}

/**
 * The instant at which the zone's clocks show this wall time. A time skipped by a spring-forward
 * gap resolves to the same offset as just before the gap (02:30 becomes 03:30), like most calendars.
 */
export function zonedToInstant(wall: { year: number; month: number; day: number; hour?: number; minute?: number }, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0);
  let guess = asUtc;
  for (let iteration = 0; iteration < 3; iteration++) {
    const shown = zonedParts(new Date(guess), timeZone);
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second);
    const difference = asUtc - shownAsUtc;
    if (difference === 0) break;
    guess += difference;
  }
  return new Date(guess);
}

/** Calendar date `days` after the given one (month and year roll over). */
export function addCalendarDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** First instant of the calendar month containing `instant`, in the zone. */
export function startOfZonedMonth(instant: Date, timeZone: string): Date {
  const parts = zonedParts(instant, timeZone);
  return zonedToInstant({ year: parts.year, month: parts.month, day: 1 }, timeZone);
}
