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

/**
 * The calendar that measures a ticket: the one named explicitly (by an SLA policy), else its team's,
 * else the workspace default (the oldest without a team), else round the clock in the workspace's zone.
 */
export async function resolveCalendar(db: Db | Tx, workspaceId: string, options: { calendarId?: string | null; teamId?: string | null }): Promise<BusinessCalendar> {
  if (options.calendarId) {
    const row = await db.selectFrom('business_calendars').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', options.calendarId).executeTakeFirst();
    if (row) return calendarOf(row);
  }
  if (options.teamId) {
    const row = await db.selectFrom('business_calendars').selectAll().where('workspace_id', '=', workspaceId).where('team_id', '=', options.teamId).orderBy('created_at').orderBy('id').executeTakeFirst();
    if (row) return calendarOf(row);
  }
  const fallback = await db.selectFrom('business_calendars').selectAll().where('workspace_id', '=', workspaceId).where('team_id', 'is', null).orderBy('created_at').orderBy('id').executeTakeFirst();
  if (fallback) return calendarOf(fallback);
  const workspace = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst();
  return alwaysOpen(workspace?.time_zone ?? 'UTC');
}
