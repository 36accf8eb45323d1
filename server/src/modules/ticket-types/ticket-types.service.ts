import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type EventBus, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { attachPlaybook } from '../playbooks/index.js';

export type TicketTypeRow = Row<'ticket_types'>;

export const presentTicketType = (row: TicketTypeRow) => ({ key: row.key, label: row.label, playbookId: row.playbook_id, position: row.position, createdAt: row.created_at, updatedAt: row.updated_at });

export async function requireTicketType(trx: Tx, workspaceId: string, key: string): Promise<TicketTypeRow> {
  const row = await trx.selectFrom('ticket_types').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound('Ticket type');
  return row;
}

/** A type's playbook must be one of the workspace's; refused when saved rather than failing on each ticket. */
export async function checkPlaybook(trx: Tx, workspaceId: string, playbookId: string | null | undefined): Promise<void> {
  if (!playbookId) return;
  const playbook = await trx.selectFrom('playbooks').select('id').where('workspace_id', '=', workspaceId).where('id', '=', playbookId).executeTakeFirst();
  if (!playbook) throw new DomainError('validation_failed', 'The playbook does not exist in this workspace.', [{ path: 'body.playbookId', message: "is not one of this workspace's playbooks" }]);
}

/** The key a ticket gets from this event: its type at creation, or the type it was changed to. */
function typeGivenBy(event: StoredEvent): string | null {
  const key = event.type === 'ticket.created' ? event.payload.type : event.type === 'ticket.type_changed' ? event.payload.to : null;
  return typeof key === 'string' ? key : null;
}

/**
 * A ticket that gets a type with a playbook is given that playbook in the same transaction, so the
 * checklist (and its required steps) exists as soon as the type does. Changing the type away later
 * keeps the checklist: work already ticked is not thrown away.
 */
export function attachPlaybooksOfTypes(bus: EventBus): void {
  bus.onAppend(async (uow: UnitOfWork, event) => {
    const key = typeGivenBy(event);
    if (!key || !event.ticketId) return;
    const type = await uow.trx
      .selectFrom('ticket_types')
      .innerJoin('playbooks', (join) => join.onRef('playbooks.id', '=', 'ticket_types.playbook_id').onRef('playbooks.workspace_id', '=', 'ticket_types.workspace_id'))
      .select(['ticket_types.key', 'playbooks.id as playbook_id'])
      .where('ticket_types.workspace_id', '=', event.workspaceId)
      .where('ticket_types.key', '=', key)
      .executeTakeFirst();
    if (type) await attachPlaybook(uow, bus, event.workspaceId, systemActor, event.ticketId, type.playbook_id, { ticketType: type.key });
  });
}
