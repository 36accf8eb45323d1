import type { Kysely } from 'kysely';

/** Macros: saved replies with {{variables}}. Frozen in time: never import application code. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('macros')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('set_status', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('macros_workspace_name').on('macros').columns(['workspace_id', 'name']).execute();
}
