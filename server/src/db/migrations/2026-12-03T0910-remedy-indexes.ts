import type { Kysely } from 'kysely';

/**
 * Every remedy decision sums what was granted this month, for the agent (excluding remedies a
 * manager approved) and for the workspace: these indexes keep those sums to a range scan instead of
 * a scan of the table and a lookup of approvals per remedy. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('approvals_remedy').on('approvals').columns(['remedy_id']).execute();
  await db.schema.createIndex('remedies_workspace_granted').on('remedies').columns(['workspace_id', 'status', 'granted_at']).execute();
}
