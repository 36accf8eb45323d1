import type { App, AppContext } from '../../context.js';
import type { Row } from '../../db/schema.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { decodeCursor, encodeCursor, pageOf, toPage } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { TicketSchema, presentOneTicket } from '../tickets/index.js';
import { importReviewsCsv } from './review.import.js';
import { ImportReviewsBodySchema, ImportReviewsResultSchema, ListReviewsQuerySchema, RatingsBySourceSchema, ReplyBodySchema, ReviewInputSchema, ReviewSchema } from './review.schema.js';
import { isNegativeReview, openTicketForReview, receiveReview, requireReview, saveReviewReply } from './review.service.js';

const tags = ['Reviews'];

function presentReview(row: Row<'reviews'>) {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    sourceId: row.source_id,
    author: row.author,
    authorEmail: row.author_email,
    rating: row.rating === null ? null : Number(row.rating),
    text: row.text,
    url: row.url,
    postedAt: row.posted_at,
    customerId: row.customer_id,
    ticketId: row.ticket_id,
    sentiment: Number(row.sentiment),
    isNegative: isNegativeReview(row),
    reply: { text: row.reply_text, status: row.reply_status, updatedAt: row.reply_updated_at },
    createdAt: row.created_at,
  };
}

export function registerReviewRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };

  app.post('/api/v1/reviews', { schema: { tags, summary: 'Receive a review or mention (webhook or API); idempotent on (source, sourceId): 201 new, 200 known', body: ReviewInputSchema, response: { 200: ReviewSchema, 201: ReviewSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const result = await inUnitOfWork(db, context.bus, (uow) => receiveReview(uow, services, workspaceId, actorOf(request), request.body));
    return reply.code(result.created ? 201 : 200).send(presentReview(result.review));
  });

  app.post('/api/v1/reviews/import', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Import reviews from CSV; bad rows are reported and skipped', body: ImportReviewsBodySchema, response: { 200: ImportReviewsResultSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    return inUnitOfWork(db, context.bus, (uow) => importReviewsCsv(uow, services, workspaceId, actorOf(request), request.body.csv, request.body.source));
  });

  app.get('/api/v1/reviews', { schema: { tags, summary: 'Reviews and mentions, newest first', querystring: ListReviewsQuerySchema, response: { 200: pageOf(ReviewSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const filters = request.query;
    const after = decodeCursor(filters.cursor);
    let query = db.selectFrom('reviews').selectAll().where('workspace_id', '=', workspaceId);
    if (filters.source) query = query.where('source', '=', filters.source.toLowerCase());
    if (filters.kind) query = query.where('kind', '=', filters.kind);
    if (filters.maxRating !== undefined) query = query.where('rating', '<=', filters.maxRating);
    if (filters.replyStatus) query = query.where('reply_status', '=', filters.replyStatus);
    if (after) query = query.where((eb) => eb.or([eb('posted_at', '<', String(after.sortValue)), eb.and([eb('posted_at', '=', String(after.sortValue)), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('posted_at', 'desc').orderBy('id', 'desc').limit(filters.limit + 1).execute();
    const page = toPage(rows, filters.limit, (row) => encodeCursor(row.posted_at, row.id));
    return { items: page.items.map(presentReview), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/reviews/ratings', { schema: { tags, summary: 'Average rating and count per source and month (UTC)', response: { 200: RatingsBySourceSchema, ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('reviews').select(['source', 'posted_at', 'rating']).where('workspace_id', '=', authOf(request).workspaceId).where('kind', '=', 'review').orderBy('posted_at').limit(100_000).execute();
    const groups = new Map<string, { source: string; month: string; reviews: number; sum: number; rated: number }>();
    for (const row of rows) {
      const month = row.posted_at.slice(0, 7);
      const key = `${row.source}\u0000${month}`;
      const group = groups.get(key) ?? { source: row.source, month, reviews: 0, sum: 0, rated: 0 };
      group.reviews++;
      if (row.rating !== null) {
        group.sum += Number(row.rating);
        group.rated++;
      }
      groups.set(key, group);
    }
    return { items: [...groups.values()].map((group) => ({ source: group.source, month: group.month, reviews: group.reviews, averageRating: group.rated ? Math.round((group.sum / group.rated) * 100) / 100 : null })) };
  });

  app.get('/api/v1/reviews/:id', { schema: { tags, summary: 'A review', params: IdParamsSchema, response: { 200: ReviewSchema, ...problemResponses } } }, async (request) =>
    presentReview(await requireReview({ trx: db, events: [] }, authOf(request).workspaceId, request.params.id)),
  );

  app.post('/api/v1/reviews/:id/open-ticket', { schema: { tags, summary: 'Open a ticket for a review (a negative one needs a recovery)', params: IdParamsSchema, response: { 201: TicketSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const ticket = await inUnitOfWork(db, context.bus, (uow) => openTicketForReview(uow, services, workspaceId, actorOf(request), request.params.id));
    return reply.code(201).send(await presentOneTicket(db, ticket));
  });

  app.post('/api/v1/reviews/:id/reply', { schema: { tags, summary: 'Draft the public reply, or mark it posted', params: IdParamsSchema, body: ReplyBodySchema, response: { 200: ReviewSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => saveReviewReply(uow, services, workspaceId, actorOf(request), request.params.id, request.body));
    return presentReview(await requireReview({ trx: db, events: [] }, workspaceId, request.params.id));
  });
}
