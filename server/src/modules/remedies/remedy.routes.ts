import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { requireCustomer } from '../customers/index.js';
import { presentMessage, presentOneTicket, requireTicket } from '../tickets/index.js';
import { checkLimits } from './limits.js';
import { listTicketRemedies, presentApproval, presentRemedy } from './remedy.repo.js';
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
      const { workspaceId } = authOf(request);
      let query = db
        .selectFrom('approvals')
        .innerJoin('remedies', 'remedies.id', 'approvals.remedy_id')
        .innerJoin('tickets', 'tickets.id', 'approvals.ticket_id')
        .innerJoin('customers', 'customers.id', 'remedies.customer_id')
        .selectAll('approvals')
        .select([
          'remedies.id as r_id', 'remedies.ticket_id as r_ticket_id', 'remedies.customer_id as r_customer_id', 'remedies.staff_id as r_staff_id', 'remedies.type as r_type', 'remedies.label as r_label',
          'remedies.value as r_value', 'remedies.note as r_note', 'remedies.status as r_status', 'remedies.granted_at as r_granted_at', 'remedies.created_at as r_created_at',
          'tickets.number as t_number', 'tickets.subject as t_subject', 'customers.name as c_name', 'customers.tier as c_tier', 'customers.lifetime_value as c_ltv',
        ])
        .where('approvals.workspace_id', '=', workspaceId);
      if (request.query.status !== 'all') query = query.where('approvals.status', '=', request.query.status);
      const rows = await query.orderBy('approvals.created_at').orderBy('approvals.id').limit(request.query.limit).execute();
      return {
        items: rows.map((row) => {
          const { approval: _approval, ...remedy } = presentRemedy(
            { id: row.r_id, workspace_id: workspaceId, ticket_id: row.r_ticket_id, customer_id: row.r_customer_id, staff_id: row.r_staff_id, type: row.r_type, label: row.r_label, value: row.r_value, note: row.r_note, status: row.r_status, granted_at: row.r_granted_at, created_at: row.r_created_at },
            undefined,
          );
          return {
            ...presentApproval(row),
            remedy,
            ticket: { id: row.ticket_id, number: row.t_number, subject: row.t_subject },
            customer: { id: row.r_customer_id, name: row.c_name, tier: row.c_tier, lifetimeValue: Number(row.c_ltv) },
          };
        }),
      };
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
