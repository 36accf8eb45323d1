import type { Kysely } from 'kysely';

/**
 * A saved inbox view keeps the order its tickets are listed in, beside its filters ("waiting longest
 * first" is part of what a view is for). Null is the inbox's default order. Frozen in time: never
 * import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('saved_views').addColumn('sort', 'text').execute();
}
