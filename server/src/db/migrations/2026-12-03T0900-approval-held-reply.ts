import type { Kysely } from 'kysely';

/**
 * An exception request keeps the reply the agent wrote with it, so the reply is sent when a manager
 * approves (or handed back to the agent when denied) instead of being lost. One column per ALTER:
 * SQLite adds one at a time. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('approvals').addColumn('held_reply_text', 'text').execute();
  await db.schema.alterTable('approvals').addColumn('held_reply_status', 'text').execute();
  await db.schema.alterTable('approvals').addColumn('held_reply_message_id', 'text').execute();
}
