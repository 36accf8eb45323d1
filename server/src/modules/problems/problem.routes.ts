import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { notFound } from '../../http/errors.js';
import { IdParamsSchema, IdSchema, problemResponses } from '../../http/schemas.js';
import { listProblems, presentPreventiveAction } from './problem.repo.js';
import { addPreventiveAction, requireProblem, setPreventiveActionStatus } from './problem.service.js';

const tags = ['Problems'];
const PreventiveActionSchema = z.object({ id: z.string(), problemId: z.string(), rootCauseId: z.string().nullable(), description: z.string(), ownerId: z.string().nullable(), dueAt: z.string().nullable(), status: z.enum(['open', 'done']), doneAt: z.string().nullable(), createdAt: z.string() });
const ProblemSchema = z.object({
  id: z.string(),
  category: z.string(),
  title: z.string(),
  status: z.enum(['open', 'solved']),
  ticketsAffected: z.number().int(),
  customersAffected: z.number().int(),
  lifetimeValueAffected: z.number(),
  ticketIds: z.array(z.string()),
  lastSeenAt: z.string(),
  preventiveActions: z.array(PreventiveActionSchema),
  createdAt: z.string(),
});
export const NewPreventiveActionSchema = z.object({ description: z.string().trim().min(1).max(2000), ownerId: IdSchema.nullable().optional(), dueAt: z.iso.datetime({ offset: true }).nullable().optional() }).strict();

export function registerProblemRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get(
    '/api/v1/problems',
    { schema: { tags, summary: 'Root causes rolled up into problems: tickets, customers and lifetime value affected, preventive actions', querystring: z.object({ status: z.enum(['open', 'solved']).optional() }).strict(), response: { 200: z.object({ items: z.array(ProblemSchema) }), ...problemResponses } } },
    async (request) => ({ items: await listProblems(db, authOf(request).workspaceId, { status: request.query.status }) }),
  );

  app.get('/api/v1/problems/:id', { schema: { tags, summary: 'One problem with its figures and preventive actions', params: IdParamsSchema, response: { 200: ProblemSchema, ...problemResponses } } }, async (request) => {
    const [problem] = await listProblems(db, authOf(request).workspaceId, { problemId: request.params.id });
    if (!problem) throw notFound('Problem');
    return problem;
  });

  app.post(
    '/api/v1/problems/:id/preventive-actions',
    { schema: { tags, summary: 'Add a preventive action to a problem', params: IdParamsSchema, body: NewPreventiveActionSchema, response: { 201: PreventiveActionSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const action = await inUnitOfWork(db, context.bus, async (uow) => {
        await requireProblem(uow.trx, workspaceId, request.params.id);
        return addPreventiveAction(uow, context.bus, { workspaceId, actor: actorOf(request), problemId: request.params.id, ...request.body });
      });
      return reply.code(201).send(presentPreventiveAction(action));
    },
  );

  app.patch(
    '/api/v1/preventive-actions/:id',
    { schema: { tags, summary: 'Mark a preventive action done (or open again); the problem is solved when all its actions are done', params: IdParamsSchema, body: z.object({ status: z.enum(['open', 'done']) }).strict(), response: { 200: PreventiveActionSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const action = await inUnitOfWork(db, context.bus, (uow) => setPreventiveActionStatus(uow, context.bus, { workspaceId, actor: actorOf(request), actionId: request.params.id, status: request.body.status }));
      return presentPreventiveAction(action);
    },
  );
}
