import type { Dialect } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { createCustomer, findCustomerByEmail, findOrCreateCustomerByEmail } from '../customers/index.js';
import { recordFeedback } from '../feedback/index.js';
import { sentimentOf } from '../themes/index.js';
import { createTicket } from '../tickets/index.js';
import type { ReviewInput } from './review.schema.js';

export interface ReviewServices {
  bus: EventBus;
  dialect: Dialect;
}

type ReviewRow = Row<'reviews'>;

/** A review is negative at 2 stars or fewer, or without stars when its text reads negative. */
export function isNegativeReview(review: Pick<ReviewRow, 'rating' | 'sentiment'>): boolean {
  return review.rating !== null ? Number(review.rating) <= 2 : Number(review.sentiment) <= -0.1;
}

/** Stars say more than words when both exist; the text still shades the score. */
function reviewSentiment(rating: number | undefined, text: string): number {
  const fromText = sentimentOf(text).score;
  if (rating === undefined) return fromText;
  return Math.round(Math.max(-1, Math.min(1, 0.7 * ((rating - 2.5) / 2.5) + 0.3 * fromText)) * 1000) / 1000;
}

/** By email first; by name only when exactly one customer has it, so a common name never links the wrong person. */
async function matchCustomer(uow: UnitOfWork, workspaceId: string, input: ReviewInput): Promise<string | null> {
  if (input.authorEmail) {
    const customer = await findCustomerByEmail(uow.trx, workspaceId, input.authorEmail);
    if (customer) return customer.merged_into_id ?? customer.id;
  }
  if (input.author) {
    const named = await uow.trx.selectFrom('customers').select('id').where('workspace_id', '=', workspaceId).where('merged_into_id', 'is', null).where((eb) => eb(eb.fn('lower', ['name']), '=', input.author!.toLowerCase())).limit(2).execute();
    if (named.length === 1) return named[0]!.id;
  }
  return null;
}

/** Records a review or mention once per (source, sourceId); a repeat returns the stored one untouched. */
export async function receiveReview(uow: UnitOfWork, services: ReviewServices, workspaceId: string, actor: Actor, input: ReviewInput): Promise<{ review: ReviewRow; created: boolean }> {
  const existing = await uow.trx.selectFrom('reviews').selectAll().where('workspace_id', '=', workspaceId).where('source', '=', input.source).where('source_id', '=', input.sourceId).executeTakeFirst();
  if (existing) return { review: existing, created: false };
  const now = nowIso();
  const review: ReviewRow = {
    id: newId(),
    workspace_id: workspaceId,
    kind: input.kind,
    source: input.source,
    source_id: input.sourceId,
    author: input.author ?? null,
    author_email: input.authorEmail ?? null,
    rating: input.rating ?? null,
    text: input.text,
    url: input.url ?? null,
    posted_at: input.postedAt ? new Date(input.postedAt).toISOString() : now,
    customer_id: await matchCustomer(uow, workspaceId, input),
    ticket_id: null,
    sentiment: reviewSentiment(input.rating, input.text),
    reply_text: null,
    reply_status: 'none',
    reply_updated_at: null,
    created_at: now,
  };
  // Two imports racing on the same source id: the unique constraint keeps one, the other reads it.
  const inserted = await uow.trx.insertInto('reviews').values(review).onConflict((conflict) => conflict.columns(['workspace_id', 'source', 'source_id']).doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 1n) === 0) {
    const raced = await uow.trx.selectFrom('reviews').selectAll().where('workspace_id', '=', workspaceId).where('source', '=', input.source).where('source_id', '=', input.sourceId).executeTakeFirstOrThrow();
    return { review: raced, created: false };
  }
  const sentiment = review.sentiment <= -0.1 ? 'negative' : review.sentiment >= 0.1 ? 'positive' : 'neutral';
  await services.bus.append(uow, {
    workspaceId,
    actor,
    type: 'review.received',
    subjectType: 'review',
    subjectId: review.id,
    payload: { kind: review.kind, source: review.source, rating: review.rating, sentiment, sentimentScore: review.sentiment, isNegative: isNegativeReview(review), customerId: review.customer_id },
  });
  const sourceKey = review.customer_id ? `customer:${review.customer_id}` : review.author ? `author:${review.source}:${review.author.toLowerCase()}` : `source:${review.source}`;
  await recordFeedback(uow, services.bus, { workspaceId, source: review.kind, sourceId: review.id, customerId: review.customer_id, sourceKey, text: review.text, createdAt: review.posted_at < now ? review.posted_at : now });
  return { review, created: true };
}

export async function requireReview(uow: UnitOfWork, workspaceId: string, id: string): Promise<ReviewRow> {
  const review = await uow.trx.selectFrom('reviews').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!review) throw notFound('Review');
  return review;
}

/** Turns a negative review into a ticket so someone owns the recovery; the review's author becomes (or is) the customer. */
export async function openTicketForReview(uow: UnitOfWork, services: ReviewServices, workspaceId: string, actor: Actor, reviewId: string) {
  const review = await requireReview(uow, workspaceId, reviewId);
  if (review.ticket_id) throw new DomainError('conflict', 'A ticket was already opened for this review.');
  const customerId =
    review.customer_id ??
    (review.author_email
      ? (await findOrCreateCustomerByEmail(uow, services, workspaceId, actor, { email: review.author_email, name: review.author ?? undefined })).id
      : (await createCustomer(uow, services, workspaceId, actor, { name: review.author ?? `${review.source} reviewer` })).id);
  const stars = review.rating !== null ? ` (${Number(review.rating)}★)` : '';
  const { ticket } = await createTicket(uow, services, workspaceId, actor, {
    subject: `${review.kind === 'mention' ? 'Mention' : 'Review'} on ${review.source}${stars}`.slice(0, 500),
    customerId,
    channel: 'social',
    priority: isNegativeReview(review) ? 'high' : 'normal',
    tags: ['review', ...(isNegativeReview(review) ? ['negative-review'] : [])],
    customFields: { reviewId: review.id, reviewUrl: review.url },
    message: { kind: 'inbound', text: review.text, authorType: 'customer', authorId: customerId, metadata: { reviewId: review.id, source: review.source, url: review.url } },
  });
  await uow.trx.updateTable('reviews').set({ ticket_id: ticket.id, customer_id: customerId }).where('id', '=', review.id).execute();
  await services.bus.append(uow, { workspaceId, actor, type: 'review.ticket_opened', subjectType: 'review', subjectId: review.id, ticketId: ticket.id, payload: { reviewId: review.id, ticketId: ticket.id, rating: review.rating, isNegative: isNegativeReview(review) } });
  return ticket;
}

export async function saveReviewReply(uow: UnitOfWork, services: ReviewServices, workspaceId: string, actor: Actor, reviewId: string, input: { text: string; status: 'drafted' | 'posted' }) {
  const review = await requireReview(uow, workspaceId, reviewId);
  const now = nowIso();
  await uow.trx.updateTable('reviews').set({ reply_text: input.text, reply_status: input.status, reply_updated_at: now }).where('id', '=', review.id).execute();
  await services.bus.append(uow, { workspaceId, actor, type: input.status === 'posted' ? 'review.reply_posted' : 'review.reply_drafted', subjectType: 'review', subjectId: review.id, ticketId: review.ticket_id, payload: { from: review.reply_status, to: input.status } });
}
