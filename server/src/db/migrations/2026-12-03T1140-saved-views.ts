import type { Kysely } from 'kysely';

/**
 * Saved inbox views, kept per staff member on the server (they used to live in one browser's
 * localStorage); a manager may share one with the whole workspace. `filters` is the JSON of the
 * ticket list's filters. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('owner_staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('is_shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_views_workspace_owner').on('saved_views').columns(['workspace_id', 'owner_staff_id']).execute();
  await db.schema.createIndex('saved_views_workspace_shared').on('saved_views').columns(['workspace_id', 'is_shared']).execute();
}
