import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../context.js';
import { eventFromRow, inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { pageOf } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { findOrCreateCustomerByEmail } from '../customers/index.js';
import { customerSummary, presentMessage, presentOneTicket, presentTicket, requireTicket } from './ticket.repo.js';
import {
  BulkUpdateBodySchema,
  ChangeTagsBodySchema,
  CreateMessageBodySchema,
  CountTicketsQuerySchema,
  CreateTicketBodySchema,
  EventSchema,
  LinkParamsSchema,
  LinkTicketBodySchema,
  ListTicketsQuerySchema,
  MergeTicketBodySchema,
  MessageSchema,
  TicketSchema,
  UpdateTicketBodySchema,
} from './ticket.schema.js';
import { addMessage, changeTags, createTicket, updateTicket } from './ticket.service.js';
import { linkTickets, mergeTickets, splitMessage, unlinkTickets } from './ticket.relations.js';
import { countTickets, listTickets } from './ticket.list.js';

const tags = ['Tickets'];

export function registerTicketRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };
  const present = async (workspaceId: string, id: string) => presentOneTicket(db, await requireTicket(db, workspaceId, id));
  const staffAuthor = (request: FastifyRequest) => ({ authorType: 'staff' as const, authorId: authOf(request).staffId });

  app.get('/api/v1/tickets', { schema: { tags, summary: 'List tickets with filters, sorted, cursor-paginated', querystring: ListTicketsQuerySchema, response: { 200: pageOf(TicketSchema), ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return listTickets(db, auth.workspaceId, auth.staffId, request.query);
  });

  app.get(
    '/api/v1/tickets/count',
    { schema: { tags, summary: 'The exact number of tickets matching the filters of a view (the same filters as the list)', querystring: CountTicketsQuerySchema, response: { 200: z.object({ count: z.number() }), ...problemResponses } } },
    async (request) => {
      const auth = authOf(request);
      return { count: await countTickets(db, auth.workspaceId, auth.staffId, request.query) };
    },
  );

  app.post('/api/v1/tickets', { schema: { tags, summary: 'Create a ticket, with its first message', body: CreateTicketBodySchema, response: { 201: TicketSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const actor = actorOf(request);
    const { customer, message, ...rest } = request.body;
    const created = await inUnitOfWork(db, context.bus, async (uow) => {
      const found = 'id' in customer ? undefined : await findOrCreateCustomerByEmail(uow, services, workspaceId, actor, customer);
      const customerId = 'id' in customer ? customer.id : found!.id;
      const messageInput = message
        ? { ...message, authorType: message.kind === 'inbound' ? ('customer' as const) : ('staff' as const), authorId: message.kind === 'inbound' ? customerId : authOf(request).staffId }
        : undefined;
      if (messageInput && !messageInput.text?.trim() && !messageInput.html?.trim()) delete (messageInput as { text?: string }).text;
      return createTicket(uow, services, workspaceId, actor, { ...rest, customerId, customer: found, ...(messageInput && (messageInput.text || messageInput.html) ? { message: messageInput } : {}) });
    });
    // Everything the answer shows was just written in this unit of work, so nothing is read back.
    // Tags in UTF-8 byte order: what GET's ORDER BY gives (SQLite BINARY, PostgreSQL C collation).
    const tags = [...created.tags].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return reply.code(201).send(presentTicket(created.ticket, { tags, customer: customerSummary(created.customer), linkedTicketIds: [] }));
  });

  app.get('/api/v1/tickets/:id', { schema: { tags, summary: 'A ticket', params: IdParamsSchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => present(authOf(request).workspaceId, request.params.id));

  app.patch('/api/v1/tickets/:id', { schema: { tags, summary: 'Change status, priority, assignee, team, tags, subject or custom fields', params: IdParamsSchema, body: UpdateTicketBodySchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => updateTicket(uow, services, workspaceId, actorOf(request), request.params.id, request.body));
    return present(workspaceId, request.params.id);
  });

  app.post('/api/v1/tickets/:id/tags', { schema: { tags, summary: 'Add and remove tags', params: IdParamsSchema, body: ChangeTagsBodySchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => changeTags(uow, services, workspaceId, actorOf(request), request.params.id, request.body.add, request.body.remove));
    return present(workspaceId, request.params.id);
  });

  app.post('/api/v1/tickets/bulk', { schema: { tags, summary: 'Apply the same change to many tickets at once', body: BulkUpdateBodySchema, response: { 200: z.object({ updated: z.number() }), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const { addTags, ...changes } = request.body.changes;
    await inUnitOfWork(db, context.bus, async (uow) => {
      for (const ticketId of new Set(request.body.ticketIds)) {
        await updateTicket(uow, services, workspaceId, actorOf(request), ticketId, changes);
        if (addTags?.length) await changeTags(uow, services, workspaceId, actorOf(request), ticketId, addTags, []);
      }
    });
    return { updated: new Set(request.body.ticketIds).size };
  });

  app.get('/api/v1/tickets/:id/messages', { schema: { tags, summary: 'The conversation, oldest first', params: IdParamsSchema, response: { 200: z.object({ items: z.array(MessageSchema) }), ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    const rows = await db.selectFrom('messages').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute();
    return { items: rows.map(presentMessage) };
  });

  app.post(
    '/api/v1/tickets/:id/messages',
    { schema: { tags, summary: 'Reply to the customer, add an internal note, or record a customer message', params: IdParamsSchema, body: CreateMessageBodySchema, response: { 201: z.object({ message: MessageSchema, ticket: TicketSchema }), ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const { kind, ...body } = request.body;
      const result = await inUnitOfWork(db, context.bus, async (uow) => {
        const ticket = await requireTicket(uow.trx, workspaceId, request.params.id);
        const author = kind === 'inbound' ? { authorType: 'customer' as const, authorId: ticket.customer_id } : staffAuthor(request);
        return addMessage(uow, services, workspaceId, actorOf(request), ticket.id, { ...body, ...author, kind: kind === 'reply' ? 'outbound' : kind });
      });
      return reply.code(201).send({ message: presentMessage(result.message), ticket: await present(workspaceId, result.ticket.id) });
    },
  );

  app.get(
    '/api/v1/tickets/:id/events',
    { schema: { tags, summary: "The ticket's timeline of events, oldest first", params: IdParamsSchema, response: { 200: z.object({ items: z.array(EventSchema) }), ...problemResponses } } },
    async (request) => {
      const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
      const rows = await db.selectFrom('events').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('id').limit(5000).execute();
      return { items: rows.map(eventFromRow) };
    },
  );

  app.post('/api/v1/tickets/:id/merge', { schema: { tags, summary: 'Merge this ticket into another; the customer is told where the conversation went', params: IdParamsSchema, body: MergeTicketBodySchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const target = await inUnitOfWork(db, context.bus, (uow) => mergeTickets(uow, services, workspaceId, actorOf(request), request.params.id, request.body.targetTicketId));
    return present(workspaceId, target.id);
  });

  app.post('/api/v1/messages/:id/split', { schema: { tags, summary: 'Move a message into a new ticket, linked to the original', params: IdParamsSchema, response: { 201: TicketSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const ticket = await inUnitOfWork(db, context.bus, (uow) => splitMessage(uow, services, workspaceId, actorOf(request), request.params.id));
    return reply.code(201).send(await present(workspaceId, ticket.id));
  });

  app.post('/api/v1/tickets/:id/links', { schema: { tags, summary: 'Link two tickets', params: IdParamsSchema, body: LinkTicketBodySchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => linkTickets(uow, services, workspaceId, actorOf(request), request.params.id, request.body.ticketId));
    return present(workspaceId, request.params.id);
  });

  app.delete('/api/v1/tickets/:id/links/:linkedId', { schema: { tags, summary: 'Unlink two tickets', params: LinkParamsSchema, response: { 200: TicketSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, (uow) => unlinkTickets(uow, services, workspaceId, actorOf(request), request.params.id, request.params.linkedId));
    return present(workspaceId, request.params.id);
  });
}
