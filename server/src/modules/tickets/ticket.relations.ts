import { sql } from 'kysely';
import type { Actor, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { nowIso } from '../../lib/ids.js';
import { moveDocumentsToTicket } from '../search/index.js';
import { defaultStatusFor } from '../workspaces/index.js';
import { requireTicket } from './ticket.repo.js';
import { createTicket, insertMessage, refreshWaitingSince, requireMessage, updateTicket, type TicketServices } from './ticket.service.js';

/**
 * Merging moves the source's conversation into the target, closes the source and tells the
 * customer where the conversation went (an outbound message on the source that the email
 * channel delivers like any reply).
 */
export async function mergeTickets(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, sourceId: string, targetId: string) {
  if (sourceId === targetId) throw new DomainError('validation_failed', 'A ticket cannot be merged into itself.', [{ path: 'body.targetTicketId', message: 'is the same ticket' }]);
  // Two opposite merges at once would each see the other unmerged (a cycle, or a deadlock and a
  // 500) on PostgreSQL: merges in one workspace take turns.
  if (services.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`ticket-merge:${workspaceId}`}, 0))`.execute(uow.trx);
  const source = await requireTicket(uow.trx, workspaceId, sourceId);
  const target = await requireTicket(uow.trx, workspaceId, targetId);
  if (source.merged_into_id) throw new DomainError('invalid_state', `Ticket #${source.number} was already merged.`);
  if (target.merged_into_id) throw new DomainError('invalid_state', `Ticket #${target.number} was merged into another ticket; merge into that one.`);
  const moved = await uow.trx.updateTable('messages').set({ ticket_id: target.id }).where('workspace_id', '=', workspaceId).where('ticket_id', '=', source.id).executeTakeFirst();
  await moveDocumentsToTicket(uow.trx, workspaceId, source.id, target.id);
  await insertMessage(uow, services, source, actor, {
    kind: 'outbound',
    authorType: 'system',
    authorId: null,
    text: `This conversation continues in request #${target.number} ("${target.subject}"). Replies here reach us there.`,
    metadata: { mergedInto: target.id },
  });
  await insertMessage(uow, services, target, actor, { kind: 'note', authorType: 'system', authorId: null, text: `Ticket #${source.number} ("${source.subject}") was merged into this ticket.`, metadata: { mergedFrom: source.id } });
  const closed = (await defaultStatusFor(uow.trx, workspaceId, 'closed'))!;
  await updateTicket(uow, services, workspaceId, actor, source.id, { status: closed.key });
  await uow.trx.updateTable('tickets').set({ merged_into_id: target.id, updated_at: nowIso() }).where('id', '=', source.id).execute();
  await uow.trx.updateTable('tickets').set({ updated_at: nowIso() }).where('id', '=', target.id).execute();
  // The source's messages now belong to the target: whoever waited there waits here.
  await refreshWaitingSince(uow.trx, workspaceId, target.id);
  const payload = { sourceTicketId: source.id, sourceNumber: source.number, targetTicketId: target.id, targetNumber: target.number, messagesMoved: Number(moved.numUpdatedRows) };
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.merged', subjectType: 'ticket', subjectId: source.id, ticketId: source.id, payload });
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.merged', subjectType: 'ticket', subjectId: target.id, ticketId: target.id, payload });
  return requireTicket(uow.trx, workspaceId, target.id);
}

/** Moves one message into a new ticket for the same customer, linked both ways to the original. */
export async function splitMessage(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, messageId: string) {
  const message = await requireMessage(uow, workspaceId, messageId);
  const original = await requireTicket(uow.trx, workspaceId, message.ticket_id);
  const count = await uow.trx.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('count')).where('ticket_id', '=', original.id).executeTakeFirstOrThrow();
  if (Number(count.count) < 2) throw new DomainError('invalid_state', 'The only message of a ticket cannot be split off.');
  const { ticket } = await createTicket(uow, services, workspaceId, actor, {
    subject: `${original.subject} (split from #${original.number})`,
    customerId: original.customer_id,
    priority: original.priority,
    channel: original.channel,
    teamId: original.team_id,
  });
  await uow.trx.updateTable('messages').set({ ticket_id: ticket.id }).where('id', '=', message.id).execute();
  await moveDocumentsToTicket(uow.trx, workspaceId, original.id, ticket.id, [message.id]);
  // The moved message may have been the one the customer was waiting on, on either ticket.
  await refreshWaitingSince(uow.trx, workspaceId, original.id);
  ticket.waiting_since = await refreshWaitingSince(uow.trx, workspaceId, ticket.id);
  await insertLinks(uow, workspaceId, original.id, ticket.id);
  const payload = { messageId: message.id, fromTicketId: original.id, fromNumber: original.number, toTicketId: ticket.id, toNumber: ticket.number };
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.split', subjectType: 'ticket', subjectId: original.id, ticketId: original.id, payload });
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.split', subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, payload });
  return ticket;
}

async function insertLinks(uow: UnitOfWork, workspaceId: string, a: string, b: string): Promise<void> {
  const createdAt = nowIso();
  // Both directions in one fixed order: two requests linking the same pair from opposite sides would
  // otherwise each hold one row's unique-key lock while waiting for the other's (a deadlock on PostgreSQL).
  const [first, second] = a < b ? [a, b] : [b, a];
  await uow.trx
    .insertInto('ticket_links')
    .values([
      { workspace_id: workspaceId, ticket_id: first, linked_ticket_id: second, created_at: createdAt },
      { workspace_id: workspaceId, ticket_id: second, linked_ticket_id: first, created_at: createdAt },
    ])
    .onConflict((conflict) => conflict.columns(['ticket_id', 'linked_ticket_id']).doNothing())
    .execute();
}

export async function linkTickets(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, ticketId: string, otherId: string) {
  if (ticketId === otherId) throw new DomainError('validation_failed', 'A ticket cannot be linked to itself.', [{ path: 'body.ticketId', message: 'is the same ticket' }]);
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  const other = await requireTicket(uow.trx, workspaceId, otherId);
  await insertLinks(uow, workspaceId, ticket.id, other.id);
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.linked', subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, payload: { linkedTicketId: other.id, linkedNumber: other.number } });
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.linked', subjectType: 'ticket', subjectId: other.id, ticketId: other.id, payload: { linkedTicketId: ticket.id, linkedNumber: ticket.number } });
  return ticket;
}

export async function unlinkTickets(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, ticketId: string, otherId: string) {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  const removed = await uow.trx
    .deleteFrom('ticket_links')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb.and([eb('ticket_id', '=', ticketId), eb('linked_ticket_id', '=', otherId)]), eb.and([eb('ticket_id', '=', otherId), eb('linked_ticket_id', '=', ticketId)])]))
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw new DomainError('not_found', 'These tickets are not linked.');
  await services.bus.append(uow, { workspaceId, actor, type: 'ticket.unlinked', subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, payload: { linkedTicketId: otherId } });
  return ticket;
}
