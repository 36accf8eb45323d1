import { sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import * as core from './migrations/2026-11-23T1900-core.js';
import * as consistency from './migrations/2026-11-23T2040-consistency.js';
import * as empowerment from './migrations/2026-11-23T2050-empowerment.js';
import * as webhooks from './migrations/2026-11-23T2010-webhooks.js';
import * as email from './migrations/2026-11-23T2020-email.js';
import * as macros from './migrations/2026-11-23T2030-macros.js';

import * as listening from './migrations/2026-11-23T2070-listening.js';
import * as moments from './migrations/2026-11-23T2060-moments.js';
import * as approvalHeldReply from './migrations/2026-12-03T0900-approval-held-reply.js';
import * as remedyIndexes from './migrations/2026-12-03T0910-remedy-indexes.js';
import * as jobClaimedBy from './migrations/2026-12-03T0930-job-claimed-by.js';
import * as ticketLookups from './migrations/2026-12-03T0935-ticket-lookups.js';
import * as slaSettingsVersion from './migrations/2026-12-03T0950-sla-settings-version.js';
import * as ticketWaitingSince from './migrations/2026-12-03T1000-ticket-waiting-since.js';
import * as savedViews from './migrations/2026-12-03T1140-saved-views.js';
import * as ticketTypes from './migrations/2026-12-03T1150-ticket-types.js';
import * as themeKeys from './migrations/2026-12-03T1200-theme-keys.js';
import * as searchRecency from './migrations/2026-12-03T1330-search-recency.js';
import * as savedViewSort from './migrations/2026-12-03T1500-saved-view-sort.js';

interface Migration {
  up(db: DatabaseHandle['db'], dialect: DatabaseHandle['dialect']): Promise<void>;
}

/** Ordered by name; names are dated so they never collide and never change. */
const migrations: Record<string, Migration> = {
  '2026-11-23T2070-listening': listening,
  '2026-11-23T2060-moments': moments,
  '2026-11-23T1900-core': core,
  '2026-11-23T2040-consistency': consistency,
  '2026-11-23T2050-empowerment': empowerment,
  '2026-11-23T2010-webhooks': webhooks,
  '2026-11-23T2020-email': email,
  '2026-11-23T2030-macros': macros,
  '2026-12-03T0900-approval-held-reply': approvalHeldReply,
  '2026-12-03T0910-remedy-indexes': remedyIndexes,
  '2026-12-03T0930-job-claimed-by': jobClaimedBy,
  '2026-12-03T0935-ticket-lookups': ticketLookups,
  '2026-12-03T0950-sla-settings-version': slaSettingsVersion,
  '2026-12-03T1000-ticket-waiting-since': ticketWaitingSince,
  '2026-12-03T1140-saved-views': savedViews,
  '2026-12-03T1150-ticket-types': ticketTypes,
  '2026-12-03T1200-theme-keys': themeKeys,
  '2026-12-03T1330-search-recency': searchRecency,
  '2026-12-03T1500-saved-view-sort': savedViewSort,
};

/**
 * Our own small runner rather than Kysely's Migrator, because each migration needs the dialect
 * (full-text search differs) and PostgreSQL runs several app nodes that may start at once: an
 * advisory lock makes exactly one of them migrate.
 */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const { db, dialect } = handle;
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727274)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS raving_migrations (name text PRIMARY KEY, applied_at text NOT NULL)`.execute(trx);
    const applied = await sql<{ name: string }>`SELECT name FROM raving_migrations`.execute(trx);
    const done = new Set(applied.rows.map((row) => row.name));
    const ran: string[] = [];
    for (const name of Object.keys(migrations).sort()) {
      if (done.has(name)) continue;
      await migrations[name]!.up(trx, dialect);
      await sql`INSERT INTO raving_migrations (name, applied_at) VALUES (${name}, ${new Date().toISOString()})`.execute(trx);
      ran.push(name);
    }
    return ran;
  });
}
