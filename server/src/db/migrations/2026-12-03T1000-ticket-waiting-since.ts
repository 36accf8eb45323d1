import { sql, type Kysely } from 'kysely';

/**
 * tickets.waiting_since: since when the customer has been waiting for an agent, i.e. the time of
 * their earliest inbound message not followed by a staff reply; NULL when they are not waiting
 * (answered, or the ticket is solved or closed). Kept by the tickets module as messages are added;
 * existing rows are backfilled here from their messages with the same rule. System messages
 * (auto-replies, merge notices) and notes are not answers. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('waiting_since', 'text').execute();
  await backfillWaitingSince(db);
}

/** Exported for the test that holds the backfill to what the tickets module maintains. */
export async function backfillWaitingSince(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE tickets SET waiting_since = (
      SELECT min(inbound.created_at) FROM messages inbound
      WHERE inbound.ticket_id = tickets.id AND inbound.kind = 'inbound'
        AND inbound.created_at > coalesce((
          SELECT max(reply.created_at) FROM messages reply
          WHERE reply.ticket_id = tickets.id AND reply.kind = 'outbound' AND reply.author_type = 'staff'
        ), '')
    )
    WHERE status_category NOT IN ('solved', 'closed')`.execute(db);
}
