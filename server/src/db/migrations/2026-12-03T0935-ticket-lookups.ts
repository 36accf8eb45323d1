import type { Kysely } from 'kysely';

/**
 * A ticket's events, tags and SLA clocks are read with both the workspace and the ticket as filters
 * (events in id order). Without statistics SQLite's planner takes the workspace-only indexes for
 * that and reads every event of the workspace on each SLA evaluation; these indexes match the
 * queries exactly. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_workspace_ticket').on('events').columns(['workspace_id', 'ticket_id', 'id']).execute();
  await db.schema.createIndex('ticket_tags_workspace_ticket').on('ticket_tags').columns(['workspace_id', 'ticket_id']).execute();
  await db.schema.createIndex('ticket_sla_workspace_ticket').on('ticket_sla').columns(['workspace_id', 'ticket_id']).execute();
}
