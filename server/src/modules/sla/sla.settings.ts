import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';
import { chooseCalendar, listCalendars, type BusinessCalendar, type CalendarRow } from '../business-hours/index.js';
import type { PolicyConditions, PolicyRow } from './sla.service.js';

/**
 * What every SLA evaluation of a workspace reads besides the ticket: active policies in the order
 * they are tried, calendars, status categories and the time zone. Reading them per evaluation was
 * most of its queries, so they are kept in memory under the workspace's settings version, a stamp
 * that database triggers replace on any change to those rows (migration 2026-12-03T0950). The
 * evaluation reads the stamp in the same query as the ticket, so a change committed by any node is
 * seen by the next evaluation, and a copy read under another stamp is never used.
 */
export interface SlaSettings {
  version: string;
  policies: Array<{ row: PolicyRow; conditions: PolicyConditions }>;
  categoryOf: Map<string, string>;
  calendarFor(options: { calendarId: string | null; teamId: string | null }): BusinessCalendar;
}

/** Bounded so a node serving many workspaces keeps only recently evaluated ones. */
const maxWorkspaces = 1000;
const cache = new Map<string, SlaSettings>();

/** The stamp as a select expression, for reading it alongside other columns in one query. */
export const settingsVersion = (workspaceId: string) => sql<string | null>`(SELECT version FROM sla_settings_versions WHERE workspace_id = ${workspaceId})`;

/**
 * The workspace's settings as of `version` (read in the same transaction before this call). A
 * version of null (no stamp: the workspace does not exist) is never cached.
 */
export async function slaSettings(db: Db | Tx, workspaceId: string, version: string | null): Promise<SlaSettings> {
  const cached = cache.get(workspaceId);
  if (cached && version !== null && cached.version === version) {
    // Re-inserting keeps the most recently used workspaces at the end, the eviction order.
    cache.delete(workspaceId);
    cache.set(workspaceId, cached);
    return cached;
  }
  const [policies, calendars, statuses, workspace] = await Promise.all([
    db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).where('is_active', '=', 1).orderBy('position').orderBy('created_at').execute(),
    listCalendars(db, workspaceId),
    db.selectFrom('ticket_statuses').select(['key', 'category']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst(),
  ]);
  const settings = build(version ?? '', policies, calendars, statuses, workspace?.time_zone ?? 'UTC');
  if (version !== null) {
    cache.delete(workspaceId);
    cache.set(workspaceId, settings);
    if (cache.size > maxWorkspaces) cache.delete(cache.keys().next().value!);
  }
  return settings;
}

function build(version: string, policies: PolicyRow[], calendars: CalendarRow[], statuses: Array<{ key: string; category: string }>, timeZone: string): SlaSettings {
  const parsed = policies.map((row) => ({ row, conditions: parseJson<PolicyConditions>(row.conditions, {}) }));
  const chosen = new Map<string, BusinessCalendar>();
  return {
    version,
    policies: parsed,
    categoryOf: new Map(statuses.map((status) => [status.key, status.category])),
    calendarFor(options) {
      const key = `${options.calendarId ?? ''}\n${options.teamId ?? ''}`;
      let calendar = chosen.get(key);
      if (!calendar) {
        calendar = chooseCalendar(calendars, timeZone, options);
        chosen.set(key, calendar);
      }
      return calendar;
    },
  };
}
