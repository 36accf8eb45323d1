import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { requireTicket } from '../tickets/index.js';
import { EscalateBodySchema, EscalationSchema, TicketEscalationsSchema } from './escalation.schema.js';
import { escalateTicket } from './escalation.service.js';
import { handoffsByTicket } from './handoffs.js';

const tags = ['Escalations'];

export function registerEscalationRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };

  app.post(
    '/api/v1/tickets/:id/escalate',
    { schema: { tags, summary: 'Escalate a ticket to a manager, with a reason', params: IdParamsSchema, body: EscalateBodySchema, response: { 201: EscalationSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId, staffId } = authOf(request);
      const escalation = await inUnitOfWork(db, context.bus, (uow) => escalateTicket(uow, services, { workspaceId, actor: actorOf(request), staffId, ticketId: request.params.id, ...request.body }));
      return reply.code(201).send(escalation);
    },
  );

  app.get('/api/v1/tickets/:id/escalations', { schema: { tags, summary: "A ticket's escalations and handoff count", params: IdParamsSchema, response: { 200: TicketEscalationsSchema, ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    const rows = await db.selectFrom('escalations').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('created_at').execute();
    const handoffs = await handoffsByTicket(db, ticket.workspace_id, [ticket.id]);
    return { items: rows.map((row) => ({ id: row.id, ticketId: row.ticket_id, staffId: row.staff_id, reason: row.reason, createdAt: row.created_at })), handoffs: handoffs.get(ticket.id) ?? 0 };
  });
}
