import type { Kysely } from 'kysely';

/**
 * Which worker (host:pid:n) last claimed each job, so an operator with several nodes can see who
 * holds a job, and a worker renews and finishes only the leases it still holds. Frozen in time:
 * never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('claimed_by', 'text').execute();
}
