import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { requireTicket } from '../tickets/index.js';
import { findWorkspace } from '../workspaces/index.js';
import { defineCommitmentJobs } from './commitment.jobs.js';
import { presentCommitment } from './commitment.repo.js';
import { CommitmentSchema, CreateCommitmentBodySchema, ListCommitmentsQuerySchema, CreateCommitmentResponseSchema, SuggestBodySchema, SuggestionSchema } from './commitment.schema.js';
import { createCommitment, keepCommitment } from './commitment.service.js';
import { suggestCommitments } from './promise-phrases.js';

const tags = ['Commitments'];

export function registerCommitmentRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect, schedule: defineCommitmentJobs(context) };

  app.post(
    '/api/v1/tickets/:id/commitments',
    { schema: { tags, summary: 'Record a promise made to the customer; warns when a promised remedy overpromises', params: IdParamsSchema, body: CreateCommitmentBodySchema, response: { 201: CreateCommitmentResponseSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId, staffId, role } = authOf(request);
      const created = await inUnitOfWork(db, context.bus, (uow) => createCommitment(uow, services, { workspaceId, actor: actorOf(request), staffId, role, ticketId: request.params.id, ...request.body }));
      context.pokeWorker();
      return reply.code(201).send(created);
    },
  );

  app.get('/api/v1/tickets/:id/commitments', { schema: { tags, summary: "A ticket's promises, soonest due first", params: IdParamsSchema, response: { 200: z.object({ items: z.array(CommitmentSchema) }), ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    const rows = await db.selectFrom('commitments').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('due_at').orderBy('id').execute();
    return { items: rows.map(presentCommitment) };
  });

  app.get('/api/v1/commitments', { schema: { tags, summary: 'Promises across tickets, soonest due first (e.g. your open ones: ?staffId=me)', querystring: ListCommitmentsQuerySchema, response: { 200: z.object({ items: z.array(CommitmentSchema) }), ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    const { status, staffId, dueBefore, limit } = request.query;
    let query = db.selectFrom('commitments').selectAll().where('workspace_id', '=', auth.workspaceId);
    if (status !== 'all') query = query.where('status', '=', status);
    if (staffId) query = query.where('staff_id', '=', staffId === 'me' ? auth.staffId : staffId);
    if (dueBefore) query = query.where('due_at', '<', new Date(dueBefore).toISOString());
    const rows = await query.orderBy('due_at').orderBy('id').limit(limit).execute();
    return { items: rows.map(presentCommitment) };
  });

  app.post('/api/v1/commitments/:id/keep', { schema: { tags, summary: 'Mark a promise kept (kept early with 20% of the time to spare; after the due time it is broken)', params: IdParamsSchema, response: { 200: CommitmentSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    return inUnitOfWork(db, context.bus, (uow) => keepCommitment(uow, context.bus, { workspaceId, actor: actorOf(request), commitmentId: request.params.id }));
  });

  app.post(
    '/api/v1/commitments/suggest',
    { schema: { tags, summary: 'Promises with a due time found in reply text ("by Friday", "within 24 hours"), read in the workspace time zone', body: SuggestBodySchema, response: { 200: z.object({ items: z.array(SuggestionSchema) }), ...problemResponses } } },
    async (request) => {
      const workspace = await findWorkspace(db, authOf(request).workspaceId);
      const now = request.body.now ? new Date(request.body.now) : new Date();
      return { items: suggestCommitments(request.body.text, { now, timeZone: workspace?.time_zone ?? 'UTC' }) };
    },
  );
}
