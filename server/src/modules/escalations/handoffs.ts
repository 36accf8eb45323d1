import type { Tx } from '../../db/database.js';
import { parseJson } from '../../lib/json.js';

/**
 * Handoffs = assignee changes after the first assignment (PRODUCT.md section 4). Unassigning is not a
 * handoff; giving the ticket to someone other than its last assignee is, even after a gap.
 */
export function countHandoffs(assignees: Array<string | null>): number {
  let last: string | null = null;
  let handoffs = 0;
  for (const assignee of assignees) {
    if (!assignee) continue;
    if (last && assignee !== last) handoffs++;
    last = assignee;
  }
  return handoffs;
}

/** Handoffs per ticket, derived from the ticket.created and ticket.assigned events. */
export async function handoffsByTicket(trx: Tx, workspaceId: string, ticketIds: string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>(ticketIds.map((id) => [id, 0]));
  const assignees = new Map<string, Array<string | null>>();
  for (let start = 0; start < ticketIds.length; start += 500) {
    const rows = await trx
      .selectFrom('events')
      .select(['ticket_id', 'type', 'payload'])
      .where('workspace_id', '=', workspaceId)
      .where('ticket_id', 'in', ticketIds.slice(start, start + 500))
      .where('type', 'in', ['ticket.created', 'ticket.assigned'])
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const payload = parseJson<{ assigneeId?: string | null; to?: string | null }>(row.payload, {});
      const list = assignees.get(row.ticket_id!) ?? [];
      list.push(row.type === 'ticket.created' ? (payload.assigneeId ?? null) : (payload.to ?? null));
      assignees.set(row.ticket_id!, list);
    }
  }
  for (const [ticketId, list] of assignees) result.set(ticketId, countHandoffs(list));
  return result;
}

/** Handoffs of every ticket resolved in [from, to), in one pass over their assignment events. */
export async function handoffsOfResolvedTickets(trx: Tx, workspaceId: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('events')
    .innerJoin('tickets', 'tickets.id', 'events.ticket_id')
    .select(['events.ticket_id', 'events.type', 'events.payload'])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.merged_into_id', 'is', null)
    .where('tickets.solved_at', '>=', from)
    .where('tickets.solved_at', '<', to)
    .where('events.type', 'in', ['ticket.created', 'ticket.assigned'])
    .orderBy('events.id')
    .execute();
  const assignees = new Map<string, Array<string | null>>();
  for (const row of rows) {
    const payload = parseJson<{ assigneeId?: string | null; to?: string | null }>(row.payload, {});
    const list = assignees.get(row.ticket_id!) ?? [];
    list.push(row.type === 'ticket.created' ? (payload.assigneeId ?? null) : (payload.to ?? null));
    assignees.set(row.ticket_id!, list);
  }
  const result = new Map<string, number>();
  for (const [ticketId, list] of assignees) result.set(ticketId, countHandoffs(list));
  return result;
}
