import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { decodeCursor, encodeCursor, pageOf, toPage } from '../../http/pagination.js';
import { problemResponses } from '../../http/schemas.js';
import { FeedbackItemSchema, ListFeedbackQuerySchema } from './feedback.schema.js';

export function registerFeedbackRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get('/api/v1/feedback', { schema: { tags: ['Feedback'], summary: 'The feedback inbox: every survey comment, review, mention, mystery-shop note, staff note and complaint, newest first', querystring: ListFeedbackQuerySchema, response: { 200: pageOf(FeedbackItemSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const filters = request.query;
    const after = decodeCursor(filters.cursor);
    // The ticket's number and subject come in the same query, so the inbox can name each ticket it links to.
    let query = db
      .selectFrom('feedback_items')
      .leftJoin('tickets', (join) => join.onRef('tickets.id', '=', 'feedback_items.ticket_id').on('tickets.workspace_id', '=', workspaceId))
      .selectAll('feedback_items')
      .select(['tickets.number as ticket_number', 'tickets.subject as ticket_subject'])
      .where('feedback_items.workspace_id', '=', workspaceId);
    if (filters.source) query = query.where('feedback_items.source', '=', filters.source);
    if (filters.sentiment) query = query.where('feedback_items.sentiment_label', '=', filters.sentiment);
    if (filters.customerId) query = query.where('feedback_items.customer_id', '=', filters.customerId);
    if (filters.ticketId) query = query.where('feedback_items.ticket_id', '=', filters.ticketId);
    if (filters.since) query = query.where('feedback_items.created_at', '>=', new Date(filters.since).toISOString());
    if (filters.until) query = query.where('feedback_items.created_at', '<', new Date(filters.until).toISOString());
    if (filters.themeId) query = query.where('feedback_items.id', 'in', (eb) => eb.selectFrom('theme_mentions').select('feedback_item_id').where('workspace_id', '=', workspaceId).where('theme_id', '=', filters.themeId!));
    if (after) query = query.where((eb) => eb.or([eb('feedback_items.created_at', '<', String(after.sortValue)), eb.and([eb('feedback_items.created_at', '=', String(after.sortValue)), eb('feedback_items.id', '<', after.id)])]));
    const rows = await query.orderBy('feedback_items.created_at', 'desc').orderBy('feedback_items.id', 'desc').limit(filters.limit + 1).execute();
    const page = toPage(rows, filters.limit, (row) => encodeCursor(row.created_at, row.id));
    const ids = page.items.map((row) => row.id);
    const mentions = ids.length
      ? await db.selectFrom('theme_mentions').innerJoin('themes', 'themes.id', 'theme_mentions.theme_id').select(['theme_mentions.feedback_item_id', 'themes.id', 'themes.label']).where('theme_mentions.workspace_id', '=', workspaceId).where('theme_mentions.feedback_item_id', 'in', ids).execute()
      : [];
    return {
      items: page.items.map((row) => ({
        id: row.id,
        source: row.source as never,
        sourceId: row.source_id,
        customerId: row.customer_id,
        ticketId: row.ticket_id,
        ticket: row.ticket_id !== null && row.ticket_number !== null && row.ticket_subject !== null ? { number: Number(row.ticket_number), subject: row.ticket_subject } : null,
        text: row.text,
        sentiment: Number(row.sentiment),
        sentimentLabel: row.sentiment_label,
        themes: mentions.filter((mention) => mention.feedback_item_id === row.id).map((mention) => ({ id: mention.id, label: mention.label })),
        createdAt: row.created_at,
      })),
      nextCursor: page.nextCursor,
    };
  });
}
