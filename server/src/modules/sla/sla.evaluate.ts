import { addBusinessTime, businessMinutesBetween, type BusinessCalendar } from '../business-hours/index.js';

/**
 * Pure SLA evaluation: given what happened on a ticket, its targets, a calendar and `now`, where
 * does each clock stand? No I/O and no hidden clock, so tests can ask about any moment.
 */
export type Metric = 'first_response' | 'next_response' | 'resolution';
export const metrics: Metric[] = ['first_response', 'next_response', 'resolution'];

export type TimelineEntry =
  | { at: string; kind: 'created'; category: string }
  | { at: string; kind: 'inbound' | 'outbound' }
  | { at: string; kind: 'status'; category: string };

export interface Targets {
  first_response?: number | null;
  next_response?: number | null;
  resolution?: number | null;
  warningPercent: number;
}

export interface ClockState {
  metric: Metric;
  targetMinutes: number;
  startedAt: string;
  dueAt: string | null;
  warningAt: string | null;
  metAt: string | null;
  /** When the target was missed (its due time), if it was. */
  breachedAt: string | null;
  elapsedMinutes: number;
  remainingMinutes: number;
  status: 'running' | 'paused' | 'met' | 'breached';
}

/** Waiting on the customer stops the clocks. */
const pausedCategories = new Set(['pending', 'on_hold']);
const doneCategories = new Set(['solved', 'closed']);

interface Clock {
  startedAt: number;
  /** Running spans; the last may be open (end = null). */
  spans: Array<{ start: number; end: number | null }>;
  stoppedAt: number | null;
}

/** Replays the timeline into one clock per metric (the latest cycle of next response). */
function buildClocks(timeline: TimelineEntry[]): Partial<Record<Metric, Clock>> {
  const clocks: Partial<Record<Metric, Clock>> = {};
  let paused = false;
  let responded = false;
  const running = (clock: Clock | undefined) => clock && clock.stoppedAt === null;
  const open = (clock: Clock, at: number) => {
    if (!paused) clock.spans.push({ start: at, end: null });
  };
  const close = (clock: Clock, at: number) => {
    const last = clock.spans[clock.spans.length - 1];
    if (last && last.end === null) last.end = at;
  };
  const all = () => Object.values(clocks).filter(running) as Clock[];

  for (const entry of timeline) {
    const at = Date.parse(entry.at);
    if (entry.kind === 'created') {
      paused = pausedCategories.has(entry.category);
      clocks.first_response = { startedAt: at, spans: [], stoppedAt: null };
      clocks.resolution = { startedAt: at, spans: [], stoppedAt: null };
      open(clocks.first_response, at);
      open(clocks.resolution, at);
      if (doneCategories.has(entry.category)) {
        close(clocks.resolution, at);
        clocks.resolution.stoppedAt = at;
      }
      continue;
    }
    if (entry.kind === 'outbound') {
      for (const metric of ['first_response', 'next_response'] as const) {
        const clock = clocks[metric];
        if (clock && running(clock)) {
          close(clock, at);
          clock.stoppedAt = at;
        }
      }
      responded = true;
      continue;
    }
    if (entry.kind === 'inbound') {
      // A customer writing after we answered starts a new next-response cycle.
      if (responded && !running(clocks.next_response)) {
        clocks.next_response = { startedAt: at, spans: [], stoppedAt: null };
        // The ticket reopens with this message (the status event follows), so the clock runs now.
        clocks.next_response.spans.push({ start: at, end: null });
      }
      continue;
    }
    if (entry.kind !== 'status') continue;
    const wasPaused = paused;
    paused = pausedCategories.has(entry.category);
    const resolution = clocks.resolution;
    if (resolution && doneCategories.has(entry.category)) {
      if (running(resolution)) {
        close(resolution, at);
        resolution.stoppedAt = at;
      }
    } else if (resolution && resolution.stoppedAt !== null) {
      // Reopened: the resolution clock carries on from where it stopped.
      resolution.stoppedAt = null;
      open(resolution, at);
    }
    if (paused && !wasPaused) for (const clock of all()) close(clock, at);
    if (!paused && wasPaused) for (const clock of all()) if (clock.spans.at(-1)?.end !== null) open(clock, at);
  }
  return clocks;
}

export function evaluateClock(metric: Metric, clock: Clock, targetMinutes: number, warningPercent: number, calendar: BusinessCalendar, now: number): ClockState {
  const warningMinutes = Math.floor((targetMinutes * warningPercent) / 100);
  let elapsed = 0;
  let dueAt: number | null = null;
  let warningAt: number | null = null;
  for (const span of clock.spans) {
    const spanEnd = span.end ?? Number.POSITIVE_INFINITY;
    if (warningAt === null && warningPercent > 0 && warningPercent < 100) {
      const candidate = addBusinessTime(span.start, Math.max(0, warningMinutes - elapsed), calendar).getTime();
      if (candidate <= spanEnd) warningAt = candidate;
    }
    const candidate = addBusinessTime(span.start, Math.max(0, targetMinutes - elapsed), calendar).getTime();
    if (candidate <= spanEnd) {
      dueAt = candidate;
      break;
    }
    elapsed += businessMinutesBetween(span.start, spanEnd, calendar);
  }
  const measuredUntil = clock.stoppedAt ?? now;
  const elapsedMinutes = clock.spans.reduce((sum, span) => sum + businessMinutesBetween(span.start, Math.min(span.end ?? measuredUntil, measuredUntil), calendar), 0);
  const lastOpen = clock.spans.at(-1)?.end === null;
  let status: ClockState['status'];
  let breachedAt: number | null = null;
  if (clock.stoppedAt !== null) {
    if (dueAt !== null && dueAt <= clock.stoppedAt) {
      status = 'breached';
      breachedAt = dueAt;
    } else status = 'met';
  } else if (dueAt !== null && dueAt <= now) {
    status = 'breached';
    breachedAt = dueAt;
  } else status = lastOpen ? 'running' : 'paused';
  const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());
  return {
    metric,
    targetMinutes,
    startedAt: new Date(clock.startedAt).toISOString(),
    // A paused clock has no due time: it is not moving towards one.
    dueAt: status === 'paused' ? null : iso(dueAt),
    warningAt: status === 'paused' ? null : iso(warningAt),
    metAt: iso(clock.stoppedAt),
    breachedAt: iso(breachedAt),
    elapsedMinutes: Math.round(elapsedMinutes * 100) / 100,
    remainingMinutes: Math.round((targetMinutes - elapsedMinutes) * 100) / 100,
    status,
  };
}

export function evaluateSla(timeline: TimelineEntry[], targets: Targets, calendar: BusinessCalendar, now: number): ClockState[] {
  const clocks = buildClocks(timeline);
  const states: ClockState[] = [];
  for (const metric of metrics) {
    const target = targets[metric];
    const clock = clocks[metric];
    if (target === null || target === undefined || !clock) continue;
    states.push(evaluateClock(metric, clock, target, targets.warningPercent, calendar, now));
  }
  return states;
}
