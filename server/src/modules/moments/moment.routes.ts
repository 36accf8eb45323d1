import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { requireTicket } from '../tickets/index.js';
import { momentsOf } from './moment.rules.js';
import { linkReviewMomentsToTicket, listMoments, recordMoment, recordMomentsOfEvent, presentMoment } from './moment.service.js';

const tags = ['Moments'];
const MomentSchema = z.object({ id: z.string(), kind: z.enum(['truth', 'misery', 'magic']), rule: z.string(), ticketId: z.string().nullable(), customerId: z.string().nullable(), detail: z.record(z.string(), z.unknown()), occurredAt: z.string() });
const TimelineQuerySchema = z.object({ kind: z.enum(['truth', 'misery', 'magic']).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();
const NewMomentSchema = z
  .object({
    kind: z.enum(['misery', 'magic']),
    rule: z.enum(['complaint', 'misery_other', 'magic_other']).default('complaint'),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();

export function registerMoments(app: App, context: AppContext): void {
  const { db } = context.database;

  // Runs in each cause's own transaction: a moment exists exactly when its cause committed.
  context.bus.onAppend(async (uow, event) => {
    if (event.type === 'review.ticket_opened') return linkReviewMomentsToTicket(uow, context.bus, event);
    const candidates = momentsOf(event);
    if (candidates.length > 0) await recordMomentsOfEvent(uow, context.bus, event, candidates);
  });

  app.get(
    '/api/v1/tickets/:id/moments',
    { schema: { tags, summary: "A ticket's moments of truth, misery and magic, newest first", params: IdParamsSchema, querystring: TimelineQuerySchema, response: { 200: z.object({ items: z.array(MomentSchema) }), ...problemResponses } } },
    async (request) => {
      const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
      return { items: await listMoments(db, ticket.workspace_id, { ticketId: ticket.id, kind: request.query.kind }, request.query.limit) };
    },
  );

  app.get(
    '/api/v1/customers/:id/moments',
    { schema: { tags, summary: "A customer's moments across tickets, surveys and reviews, newest first", params: IdParamsSchema, querystring: TimelineQuerySchema, response: { 200: z.object({ items: z.array(MomentSchema) }), ...problemResponses } } },
    async (request) => {
      const customer = await requireCustomer(db, authOf(request).workspaceId, request.params.id);
      return { items: await listMoments(db, customer.workspace_id, { customerId: customer.id, kind: request.query.kind }, request.query.limit) };
    },
  );

  app.post(
    '/api/v1/tickets/:id/moments',
    { schema: { tags, summary: 'Record a moment by hand: a complaint (once per ticket) or another misery or magic', params: IdParamsSchema, body: NewMomentSchema, response: { 200: MomentSchema, 201: MomentSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const { kind, rule, note } = request.body;
      const result = await inUnitOfWork(db, context.bus, async (uow) => {
        const ticket = await requireTicket(uow.trx, workspaceId, request.params.id);
        const effectiveRule = rule === 'complaint' && kind === 'magic' ? 'magic_other' : rule;
        const causeKey = effectiveRule === 'complaint' ? `complaint:${ticket.id}` : `manual:${newId()}`;
        const created = await recordMoment(uow, context.bus, { workspaceId, ticketId: ticket.id, customerId: ticket.customer_id, kind, rule: effectiveRule, causeKey, detail: { source: 'manual', note }, occurredAt: nowIso(), actor: actorOf(request) });
        if (created) return { status: 201, moment: created };
        const existing = await uow.trx.selectFrom('moments').selectAll().where('workspace_id', '=', workspaceId).where('cause_key', '=', causeKey).executeTakeFirstOrThrow();
        return { status: 200, moment: existing };
      });
      context.pokeWorker();
      return reply.code(result.status).send(presentMoment(result.moment));
    },
  );
}
