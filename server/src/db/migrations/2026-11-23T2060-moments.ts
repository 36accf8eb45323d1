import type { Kysely } from 'kysely';

/**
 * Moments and recovery: feelings per inbound message and per ticket, blame-guard phrases, moments
 * of truth/misery/magic, recoveries with their playbook, root causes, problems and preventive
 * actions. Frozen in time: never import application code.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const real = dialect === 'sqlite' ? 'real' : 'double precision';

  await db.schema
    .createTable('message_feelings')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('sentiment', real, (c) => c.notNull())
    .addColumn('agitation', real, (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_feelings_ticket').on('message_feelings').columns(['workspace_id', 'ticket_id', 'created_at']).execute();
  await db.schema.createIndex('message_feelings_customer').on('message_feelings').columns(['workspace_id', 'customer_id', 'created_at']).execute();

  await db.schema
    .createTable('ticket_feelings')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('sentiment', real, (c) => c.notNull())
    .addColumn('agitation', real, (c) => c.notNull())
    .addColumn('agitation_trend', real, (c) => c.notNull())
    .addColumn('sentiment_trend', real, (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('messages', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_feelings_agitation').on('ticket_feelings').columns(['workspace_id', 'agitation']).execute();

  await db.schema
    .createTable('blame_phrases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('phrase', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('blame_phrases_unique', ['workspace_id', 'phrase'])
    .execute();

  await db.schema
    .createTable('moments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('cause_key', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('moments_cause', ['workspace_id', 'cause_key'])
    .execute();
  await db.schema.createIndex('moments_ticket').on('moments').columns(['workspace_id', 'ticket_id', 'occurred_at']).execute();
  await db.schema.createIndex('moments_customer').on('moments').columns(['workspace_id', 'customer_id', 'occurred_at']).execute();
  await db.schema.createIndex('moments_occurred').on('moments').columns(['workspace_id', 'occurred_at']).execute();

  await db.schema
    .createTable('recovery_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('recoveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('moment_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('suggested_remedy', 'text', (c) => c.notNull())
    .addColumn('lifetime_value', real, (c) => c.notNull())
    .addColumn('follow_up_at', 'text')
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recoveries_ticket').on('recoveries').columns(['workspace_id', 'ticket_id', 'status']).execute();
  await db.schema.createIndex('recoveries_status').on('recoveries').columns(['workspace_id', 'status', 'created_at']).execute();

  await db.schema
    .createTable('problems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('problems_key', ['workspace_id', 'category', 'title_key'])
    .execute();

  await db.schema
    .createTable('root_causes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('recovery_id', 'text', (c) => c.notNull())
    .addColumn('problem_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('what_failed', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('root_causes_recovery', ['workspace_id', 'recovery_id'])
    .execute();
  await db.schema.createIndex('root_causes_problem').on('root_causes').columns(['workspace_id', 'problem_id']).execute();

  await db.schema
    .createTable('preventive_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('problem_id', 'text', (c) => c.notNull())
    .addColumn('root_cause_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('due_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('preventive_actions_problem').on('preventive_actions').columns(['workspace_id', 'problem_id']).execute();
}
