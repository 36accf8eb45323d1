import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { parseJson } from '../../lib/json.js';

export type TicketFeelingRow = Row<'ticket_feelings'>;
export type MessageFeelingRow = Row<'message_feelings'>;

export const repeatedContactWindowMilliseconds = 48 * 3_600_000;

/** SQLite allows at most 500 SELECTs in one compound statement. */
const windowsPerStatement = 200;

/**
 * For each window, the inbound messages from its customer within it, on any of their tickets; read
 * from messages so scoring order does not matter. One statement for a batch: a COUNT per window
 * (each an index range) joined with UNION ALL, so a busy customer's messages are counted, not fetched.
 */
export async function countRecentContactsEach(trx: Tx, workspaceId: string, windows: Array<{ customerId: string; since: string; until: string }>): Promise<number[]> {
  const counts: number[] = [];
  for (let start = 0; start < windows.length; start += windowsPerStatement) {
    const queries = windows.slice(start, start + windowsPerStatement).map((window, index) =>
      trx
        .selectFrom('messages')
        .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
        .select((eb) => [sql<number>`cast(${start + index} as integer)`.as('position'), eb.fn.countAll<string>().as('count')])
        .where('tickets.workspace_id', '=', workspaceId)
        .where('tickets.customer_id', '=', window.customerId)
        .where('messages.kind', '=', 'inbound')
        .where('messages.created_at', '>=', window.since)
        .where('messages.created_at', '<=', window.until),
    );
    const rows = await queries.slice(1).reduce((union, query) => union.unionAll(query), queries[0]!).execute();
    for (const row of rows) counts[Number(row.position)] = Number(row.count);
  }
  return counts;
}

export function presentMessageFeeling(row: MessageFeelingRow) {
  return { messageId: row.message_id, sentiment: Number(row.sentiment), agitation: Number(row.agitation), reasons: parseJson<string[]>(row.reasons, []), createdAt: row.created_at };
}

export function presentTicketFeeling(row: TicketFeelingRow) {
  return {
    sentiment: Number(row.sentiment),
    agitation: Number(row.agitation),
    trend: { sentiment: Number(row.sentiment_trend), agitation: Number(row.agitation_trend) },
    reasons: parseJson<string[]>(row.reasons, []),
    messages: Number(row.messages),
    updatedAt: row.updated_at,
  };
}

/**
 * Ticket ids ordered by the customer's latest agitation, most agitated first; tickets never
 * scored count as calm. For inboxes and queues of other modules that want "feelings first".
 */
export async function orderTicketsByAgitation(db: Db | Tx, workspaceId: string, ticketIds: string[]): Promise<string[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db.selectFrom('ticket_feelings').select(['ticket_id', 'agitation']).where('workspace_id', '=', workspaceId).where('ticket_id', 'in', ticketIds).execute();
  const agitation = new Map(rows.map((row) => [row.ticket_id, Number(row.agitation)]));
  return ticketIds
    .map((id, index) => ({ id, index, agitation: agitation.get(id) ?? 0 }))
    .sort((left, right) => right.agitation - left.agitation || left.index - right.index)
    .map((entry) => entry.id);
}
