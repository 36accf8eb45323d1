import type { Kysely } from 'kysely';

/**
 * Webhooks and the jobs API: when a delivery was last tried, and an index so a workspace's jobs can
 * be listed by status without scanning the whole queue. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('last_attempt_at', 'text').execute();
  await db.schema.createIndex('jobs_workspace_status').on('jobs').columns(['workspace_id', 'status', 'created_at']).execute();
}
