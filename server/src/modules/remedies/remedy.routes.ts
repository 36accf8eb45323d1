import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { requireCustomer } from '../customers/index.js';
import { presentMessage, presentOneTicket, requireTicket } from '../tickets/index.js';
import { checkLimits } from './limits.js';
import { listApprovals, listTicketRemedies } from './remedy.repo.js';
import {
  ApprovalWithRemedySchema,
  DecisionBodySchema,
  GrantRemedyBodySchema,
  GrantRemedyResponseSchema,
  LimitCheckSchema,
  LimitsQuerySchema,
  ListApprovalsQuerySchema,
  RemedySchema,
} from './remedy.schema.js';
import { decideApproval, grantRemedy } from './remedy.service.js';

const tags = ['Remedies'];

export function registerRemedyRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };

  app.post(
    '/api/v1/tickets/:id/remedies',
    {
      schema: {
        tags,
        summary: 'Grant a remedy in one step (with an optional reply); above the empowerment limit it becomes an exception request for a manager',
        params: IdParamsSchema,
        body: GrantRemedyBodySchema,
        response: { 201: GrantRemedyResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { workspaceId, staffId, role } = authOf(request);
      const result = await inUnitOfWork(db, context.bus, (uow) => grantRemedy(uow, services, { workspaceId, actor: actorOf(request), staffId, role, ticketId: request.params.id, remedy: request.body }));
      const ticket = result.message ? await presentOneTicket(db, await requireTicket(db, workspaceId, result.ticketId)) : null;
      return reply.code(201).send({ outcome: result.outcome, reasons: result.reasons, remedy: result.remedy, limits: result.limits, message: result.message ? presentMessage(result.message) : null, ticket });
    },
  );

  app.get('/api/v1/tickets/:id/remedies', { schema: { tags, summary: "A ticket's remedies, with their approval requests", params: IdParamsSchema, response: { 200: z.object({ items: z.array(RemedySchema) }), ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    return { items: await listTicketRemedies(db, ticket.workspace_id, ticket.id) };
  });

  app.get(
    '/api/v1/empowerment/limits',
    { schema: { tags, summary: 'Your empowerment limits and what you used this month (for a ticket: with its customer’s tier applied)', querystring: LimitsQuerySchema, response: { 200: LimitCheckSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId, staffId, role } = authOf(request);
      const ticket = request.query.ticketId ? await requireTicket(db, workspaceId, request.query.ticketId) : undefined;
      const customer = ticket ? await requireCustomer(db, workspaceId, ticket.customer_id) : undefined;
      const { settings: _settings, ...limits } = await checkLimits(db, { workspaceId, role, staffId, customerTier: customer?.tier ?? 'standard' });
      return limits;
    },
  );

  app.get(
    '/api/v1/approvals',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'The manager queue of exception requests, oldest first', querystring: ListApprovalsQuerySchema, response: { 200: z.object({ items: z.array(ApprovalWithRemedySchema) }), ...problemResponses } } },
    async (request) => {
      return { items: await listApprovals(db, authOf(request).workspaceId, request.query) };
    },
  );

  app.post(
    '/api/v1/approvals/:id/decision',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Approve or deny an exception request, with a reason; the agent and the ticket are told at once', params: IdParamsSchema, body: DecisionBodySchema, response: { 200: RemedySchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId, staffId, role } = authOf(request);
      return inUnitOfWork(db, context.bus, (uow) => decideApproval(uow, services, { workspaceId, actor: actorOf(request), staffId, role, approvalId: request.params.id, decision: request.body.decision, reason: request.body.reason }));
    },
  );
}
