import { sql, type Kysely } from 'kysely';

/**
 * Search ranks among the workspace's most recent matches. On PostgreSQL the GIN index alone hands back every match
 * of a common word before the newest can be picked; walking (workspace_id, ref_id) backwards (ids are time-ordered)
 * stops after the first few hundred, and the planner still takes the GIN index for rare words.
 * SQLite walks the FTS rowid backwards and needs nothing. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`CREATE INDEX search_documents_recent ON search_documents (workspace_id, ref_id)`.execute(db);
}
