import type { Kysely } from 'kysely';

/** Frozen in time: never import application code here. Surveys, reviews, staff voice, mystery shopping, feedback and themes. */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const real = dialect === 'sqlite' ? 'real' : 'double precision';

  await db.schema
    .createTable('listening_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('recipient_email', 'text')
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_invitations_customer').on('survey_invitations').columns(['workspace_id', 'customer_id', 'created_at']).execute();
  await db.schema.createIndex('survey_invitations_created').on('survey_invitations').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('invitation_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('feelings', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_responses_created').on('survey_responses').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('author_email', 'text')
    .addColumn('rating', real)
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('sentiment', real, (c) => c.notNull())
    .addColumn('reply_text', 'text')
    .addColumn('reply_status', 'text', (c) => c.notNull())
    .addColumn('reply_updated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reviews_source_id', ['workspace_id', 'source', 'source_id'])
    .execute();
  await db.schema.createIndex('reviews_posted').on('reviews').columns(['workspace_id', 'posted_at', 'id']).execute();

  await db.schema
    .createTable('staff_voice_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('is_anonymous', 'integer', (c) => c.notNull())
    .addColumn('author_staff_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('responded_by', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('follow_up_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('is_processed', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_voice_notes_workspace').on('staff_voice_notes').columns(['workspace_id', 'created_on']).execute();

  await db.schema
    .createTable('mystery_shop_forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mystery_shop_evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('form_id', 'text', (c) => c.notNull().references('mystery_shop_forms.id'))
    .addColumn('shopper_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('scores', 'text')
    .addColumn('score', real)
    .addColumn('note', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mystery_shop_evaluations_submitted').on('mystery_shop_evaluations').columns(['workspace_id', 'submitted_at']).execute();

  await db.schema
    .createTable('feedback_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('sentiment', real, (c) => c.notNull())
    .addColumn('sentiment_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('feedback_items_source', ['workspace_id', 'source', 'source_id'])
    .execute();
  await db.schema.createIndex('feedback_items_created').on('feedback_items').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('themes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('mention_count', 'integer', (c) => c.notNull())
    .addColumn('alerted_at', 'text')
    .addColumn('action_description', 'text')
    .addColumn('action_owner_id', 'text')
    .addColumn('action_due_at', 'text')
    .addColumn('dismiss_reason', 'text')
    .addColumn('responded_by', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('last_mentioned_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('themes_workspace_last').on('themes').columns(['workspace_id', 'last_mentioned_at']).execute();
  await db.schema
    .createTable('theme_tokens')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('theme_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('theme_tokens_pk', ['workspace_id', 'token', 'theme_id'])
    .execute();
  await db.schema
    .createTable('theme_mentions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('theme_id', 'text', (c) => c.notNull().references('themes.id'))
    .addColumn('feedback_item_id', 'text', (c) => c.notNull().references('feedback_items.id'))
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('phrase', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('theme_mentions_theme').on('theme_mentions').columns(['theme_id', 'created_at']).execute();
  await db.schema.createIndex('theme_mentions_item').on('theme_mentions').columns(['feedback_item_id']).execute();
}
