import { sql, type SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import type { Tx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../http/pagination.js';
import { nowIso } from '../../lib/ids.js';
import { presentTickets } from './ticket.repo.js';
import type { ListTicketsQuerySchema, TicketFilters } from './ticket.schema.js';

type ListQuery = z.output<typeof ListTicketsQuerySchema>;

const sortColumns = { updatedAt: 'updated_at', createdAt: 'created_at', number: 'number' } as const;

/**
 * sort=waitingSince: the longest-waiting customer first; tickets where nobody waits come last
 * ('9999' sorts after every ISO time), so keyset pagination stays one comparison on a non-null key.
 */
const waitingKey = sql<string>`coalesce(tickets.waiting_since, '9999')`;

/**
 * sort=-agitation: the customer's latest agitation on the ticket (table ticket_feelings, written by
 * modules/feelings and read here as SQL so tickets does not import feelings); never scored counts
 * as calm. A correlated subquery rather than a join keeps the filters' column names unqualified;
 * it suits working queues (open tickets), not ordering a million rows.
 */
const agitation = sql<number>`coalesce((select ticket_feelings.agitation from ticket_feelings where ticket_feelings.ticket_id = tickets.id), 0)`;

/**
 * sort=urgency: one text key, ascending, so keyset pagination stays a single comparison.
 * SLA tier (0 overdue, 1 inside the policy's warning window, 2 running, 3 nothing running: paused,
 * met or no policy) · agitation band (0 at or above 0.6, the spike level, 1 at or above 0.3, the
 * "agitated" level in modules/feelings, 2 calm) · the nearest due time · the customer waiting longest
 * (nobody waiting last) · then the newest ticket, so where urgency has nothing to say the inbox looks
 * as it did before (newest first). Every part is fixed-width or decides before widths differ.
 * Agitation is banded, not exact, so among calm customers the nearest deadline still decides.
 * Read from ticket_sla and ticket_feelings as SQL, like -agitation; the tier follows the clock, so a
 * ticket crossing its deadline between two page requests can move to an earlier page.
 */
function urgencyKey(now: string) {
  const pending = (expression: ReturnType<typeof sql>) =>
    // By ticket id alone (the tickets are already the workspace's): a workspace condition here lets
    // the planner pick the (workspace, metric, status) index and scan every target for every ticket.
    sql`(select ${expression} from ticket_sla where ticket_sla.ticket_id = tickets.id and ticket_sla.met_at is null and ticket_sla.status in ('running', 'breached'))`;
  const tier = pending(sql`case when min(due_at) is null then '3' when min(due_at) <= ${now} then '0' when min(coalesce(warning_at, due_at)) <= ${now} then '1' else '2' end`);
  const band = sql`case when ${agitation} >= 0.6 then '0' when ${agitation} >= 0.3 then '1' else '2' end`;
  const due = pending(sql`coalesce(min(due_at), '9999')`);
  const waiting = sql`coalesce(tickets.waiting_since, '9999')`;
  return sql<string>`(${tier} || ${band} || ${due} || ${waiting})`;
}

/** The view's filters on a query over tickets, always within the workspace. */
function filtered<Output>(select: SelectQueryBuilder<Database, 'tickets', Output>, workspaceId: string, currentStaffId: string, query: TicketFilters) {
  select = select.where('workspace_id', '=', workspaceId);
  if (query.statusCategory) select = select.where('status_category', 'in', query.statusCategory.split(',').map((value) => value.trim()));
  if (query.status) select = select.where('status', '=', query.status);
  if (query.assigneeId === 'none') select = select.where('assignee_id', 'is', null);
  else if (query.assigneeId) select = select.where('assignee_id', '=', query.assigneeId === 'me' ? currentStaffId : query.assigneeId);
  if (query.teamId) select = select.where('team_id', '=', query.teamId);
  if (query.customerId) select = select.where('customer_id', '=', query.customerId);
  if (query.priority) select = select.where('priority', '=', query.priority);
  if (query.channel) select = select.where('channel', '=', query.channel);
  if (query.type === 'none') select = select.where('type_key', 'is', null);
  else if (query.type) select = select.where('type_key', '=', query.type);
  if (query.tag) {
    const tag = query.tag.toLowerCase();
    select = select.where('id', 'in', (eb) => eb.selectFrom('ticket_tags').select('ticket_id').where('workspace_id', '=', workspaceId).where('tag', '=', tag));
  }
  return select;
}

/**
 * The exact number of tickets a view holds: one COUNT over the same filters as the list, served by
 * the (workspace, status category) and (workspace, assignee, status category) indexes.
 */
export async function countTickets(trx: Tx, workspaceId: string, currentStaffId: string, query: TicketFilters): Promise<number> {
  const row = await filtered(trx.selectFrom('tickets').select((eb) => eb.fn.countAll<number | string>().as('count')), workspaceId, currentStaffId, query).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Keyset pagination on (sort column, id), so deep pages cost the same as the first. */
export async function listTickets(trx: Tx, workspaceId: string, currentStaffId: string, query: ListQuery) {
  const descending = query.sort.startsWith('-');
  const isAgitation = query.sort.endsWith('agitation');
  const column = isAgitation ? 'agitation' : query.sort === 'urgency' || query.sort === 'waitingSince' ? query.sort : sortColumns[query.sort.replace('-', '') as keyof typeof sortColumns];
  const sortKey = isAgitation ? agitation : column === 'urgency' ? urgencyKey(nowIso()) : column === 'waitingSince' ? waitingKey : sql<string | number>`${sql.ref(`tickets.${column}`)}`;
  const isNewestFirstOnTies = descending || column === 'urgency';
  const cursor = decodeCursor(query.cursor);
  let select = filtered(trx.selectFrom('tickets').selectAll().select(sortKey.as('sort_value')), workspaceId, currentStaffId, query);
  if (cursor) {
    const isNumeric = column === 'number' || column === 'agitation';
    const value = isNumeric ? Number(cursor.sortValue) : String(cursor.sortValue);
    // Ticket numbers are 32-bit integers in the database; PostgreSQL rejects anything else with an error, not a 4xx.
    if ((column === 'number' && !(Number.isSafeInteger(value) && Math.abs(value as number) < 2 ** 31)) || (column === 'agitation' && !Number.isFinite(value))) {
      throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
    }
    const comparison = descending ? '<' : '>';
    select = select.where((eb) => eb.or([eb(sortKey, comparison, value), eb.and([eb(sortKey, '=', value), eb('id', isNewestFirstOnTies ? '<' : comparison, cursor.id)])]));
  }
  const direction = descending ? 'desc' : 'asc';
  // The urgency key is computed once per row (its select alias) rather than again for ORDER BY.
  const orderKey = column === 'urgency' ? sql.ref('sort_value') : sortKey;
  const rows = await select.orderBy(orderKey, direction).orderBy('id', isNewestFirstOnTies ? 'desc' : direction).limit(query.limit + 1).execute();
  const page = toPage(rows, query.limit, (row) => encodeCursor(isAgitation ? Number(row.sort_value) : row.sort_value, row.id));
  return { items: await presentTickets(trx, workspaceId, page.items.map(({ sort_value: _, ...ticket }) => ticket)), nextCursor: page.nextCursor };
}
