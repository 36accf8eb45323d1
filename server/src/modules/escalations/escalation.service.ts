import type { Dialect } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireTicket, updateTicket } from '../tickets/index.js';

/** The explicit "escalate to manager": recorded and counted, because the goal is to need few. */
export async function escalateTicket(uow: UnitOfWork, services: { bus: EventBus; dialect: Dialect }, input: { workspaceId: string; actor: Actor; staffId: string; ticketId: string; reason: string; managerId?: string }) {
  const ticket = await requireTicket(uow.trx, input.workspaceId, input.ticketId);
  if (input.managerId) {
    const manager = await uow.trx.selectFrom('staff').select('role').where('workspace_id', '=', input.workspaceId).where('id', '=', input.managerId).where('is_active', '=', 1).executeTakeFirst();
    if (!manager || manager.role === 'agent') throw new DomainError('validation_failed', 'Escalate to an active manager or owner.', [{ path: 'body.managerId', message: 'is not an active manager' }]);
  }
  const escalation = { id: newId(), workspace_id: input.workspaceId, ticket_id: ticket.id, staff_id: input.staffId, reason: input.reason, created_at: nowIso() };
  await uow.trx.insertInto('escalations').values(escalation).execute();
  await services.bus.append(uow, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    type: 'ticket.escalated',
    subjectType: 'ticket',
    subjectId: ticket.id,
    ticketId: ticket.id,
    payload: { escalationId: escalation.id, reason: input.reason, staffId: input.staffId, managerId: input.managerId ?? null },
  });
  if (input.managerId) await updateTicket(uow, services, input.workspaceId, input.actor, ticket.id, { assigneeId: input.managerId });
  return { id: escalation.id, ticketId: ticket.id, staffId: input.staffId, reason: input.reason, createdAt: escalation.created_at };
}
