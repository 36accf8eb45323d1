import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { parseJson } from '../../lib/json.js';
import { alwaysOpen, type BusinessCalendar } from './business-time.js';

export type CalendarRow = Row<'business_calendars'>;

export function presentCalendar(row: CalendarRow) {
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    timeZone: row.time_zone,
    intervals: parseJson<BusinessCalendar['intervals']>(row.intervals, []),
    holidays: parseJson<string[]>(row.holidays, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function calendarOf(row: CalendarRow): BusinessCalendar {
  const presented = presentCalendar(row);
  return { timeZone: presented.timeZone, intervals: presented.intervals, holidays: presented.holidays };
}

export async function requireCalendar(db: Db | Tx, workspaceId: string, id: string): Promise<CalendarRow> {
  const row = await db.selectFrom('business_calendars').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Business-hours calendar');
  return row;
}

/** A workspace's calendars in the order calendar resolution prefers them (oldest first). */
export async function listCalendars(db: Db | Tx, workspaceId: string): Promise<CalendarRow[]> {
  return db.selectFrom('business_calendars').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

/**
 * The calendar that measures a ticket: the one named explicitly (by an SLA policy), else its team's,
 * else the workspace default (the oldest without a team), else round the clock in the workspace's zone.
 * `calendars` are all of the workspace's, oldest first (as listCalendars reads them).
 */
export function chooseCalendar(calendars: CalendarRow[], workspaceTimeZone: string, options: { calendarId?: string | null; teamId?: string | null }): BusinessCalendar {
  const row =
    (options.calendarId ? calendars.find((calendar) => calendar.id === options.calendarId) : undefined) ??
    (options.teamId ? calendars.find((calendar) => calendar.team_id === options.teamId) : undefined) ??
    calendars.find((calendar) => calendar.team_id === null);
  return row ? calendarOf(row) : alwaysOpen(workspaceTimeZone);
}
