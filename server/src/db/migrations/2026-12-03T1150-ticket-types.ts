import type { Kysely } from 'kysely';

/**
 * Ticket types: a list each workspace keeps (refund, outage, …), each optionally naming the playbook
 * a ticket is given when it gets that type; `tickets.type_key` holds a type's key or NULL (not `type`, which events and other joined tables already have), indexed for
 * the ticket list's filter. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_types')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_types_pk', ['workspace_id', 'key'])
    .execute();
  await db.schema.alterTable('tickets').addColumn('type_key', 'text').execute();
  await db.schema.createIndex('tickets_workspace_type').on('tickets').columns(['workspace_id', 'type_key']).execute();
}
