import { sql } from 'kysely';
import type { Dialect, Tx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { parseJson } from '../../lib/json.js';
import { indexDocument } from '../search/index.js';

export type TicketRow = Row<'tickets'>;
export type MessageRow = Row<'messages'>;

export async function findTicket(trx: Tx, workspaceId: string, id: string): Promise<TicketRow | undefined> {
  return trx.selectFrom('tickets').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function requireTicket(trx: Tx, workspaceId: string, id: string): Promise<TicketRow> {
  const ticket = await findTicket(trx, workspaceId, id);
  if (!ticket) throw notFound('Ticket');
  return ticket;
}

export async function findTicketByNumber(trx: Tx, workspaceId: string, number: number): Promise<TicketRow | undefined> {
  return trx.selectFrom('tickets').selectAll().where('workspace_id', '=', workspaceId).where('number', '=', number).executeTakeFirst();
}

/**
 * Takes `count` new ticket numbers for a workspace (one per ticket, in order).
 *
 * SQLite has one writer, so a counter column on the workspace row costs nothing. On PostgreSQL that
 * row's lock would be held from the increment to COMMIT, serialising every ticket creation of a
 * workspace behind the slowest one (measured: 32 clients were no faster than one). There each
 * workspace numbers its tickets from a sequence of its own, which never waits; like any sequence it
 * leaves a gap when the creating transaction rolls back.
 */
export async function allocateTicketNumbers(trx: Tx, dialect: Dialect, workspaceId: string, count = 1): Promise<number[]> {
  if (dialect === 'sqlite') {
    const last = await bumpTicketCounter(trx, workspaceId, count);
    return Array.from({ length: count }, (_, index) => last - count + 1 + index);
  }
  const sequence = ticketNumberSequence(workspaceId);
  // nextval(NULL) is NULL: a workspace whose sequence does not exist yet gets NULLs, not an error.
  const next = () => sql<{ number: number | null }>`SELECT nextval(to_regclass(${sequence})) AS number FROM generate_series(1, ${count}::int)`.execute(trx);
  const taken = await next();
  if (taken.rows[0]?.number != null) return taken.rows.map((row) => Number(row.number));
  // The workspace's first ticket on PostgreSQL: its sequence is created once, continuing from the
  // counter. The counter row's lock makes concurrent first tickets take turns; a transaction that
  // got the lock after another one created the sequence uses the sequence.
  const last = await bumpTicketCounter(trx, workspaceId, count);
  const created = await sql<{ found: string | null }>`SELECT to_regclass(${sequence})::text AS found`.execute(trx);
  if (created.rows[0]?.found != null) return (await next()).rows.map((row) => Number(row.number));
  await sql`CREATE SEQUENCE ${sql.id(sequence)} START WITH ${sql.lit(last + 1)}`.execute(trx);
  return Array.from({ length: count }, (_, index) => last - count + 1 + index);
}

export async function nextTicketNumber(trx: Tx, dialect: Dialect, workspaceId: string): Promise<number> {
  return (await allocateTicketNumbers(trx, dialect, workspaceId, 1))[0]!;
}

// Statements every ticket creation runs are prepared once (see db/prepared.ts).
const updateTicketCounter = preparedQuery((db, args: { workspaceId: string; count: number }) =>
  db
    .updateTable('workspaces')
    .set((eb) => ({ ticket_counter: eb('ticket_counter', '+', args.count) }))
    .where('id', '=', args.workspaceId)
    .returning('ticket_counter'),
);
export const insertTicketRow = preparedQuery((db, row: TicketRow) => db.insertInto('tickets').values(row));
export const insertMessageRow = preparedQuery((db, row: MessageRow) => db.insertInto('messages').values(row));

async function bumpTicketCounter(trx: Tx, workspaceId: string, count: number): Promise<number> {
  const row = (await updateTicketCounter(trx, { workspaceId, count })).rows[0];
  if (!row) throw new Error(`workspace ${workspaceId} not found`);
  return Number(row.ticket_counter);
}

/** Workspace ids are hex UUIDs; only their hex digits go into the name, so it needs no quoting. */
function ticketNumberSequence(workspaceId: string): string {
  return `ticket_numbers_${workspaceId.toLowerCase().replace(/[^0-9a-f]/g, '')}`;
}

export async function tagsOf(trx: Tx, ticketIds: string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (ticketIds.length === 0) return tags;
  const rows = await trx.selectFrom('ticket_tags').select(['ticket_id', 'tag']).where('ticket_id', 'in', ticketIds).orderBy('tag').execute();
  for (const row of rows) tags.set(row.ticket_id, [...(tags.get(row.ticket_id) ?? []), row.tag]);
  return tags;
}

export async function setTags(trx: Tx, ticket: TicketRow, add: string[], remove: string[]): Promise<{ added: string[]; removed: string[] }> {
  const current = new Set((await tagsOf(trx, [ticket.id])).get(ticket.id) ?? []);
  const added = [...new Set(add)].filter((tag) => !current.has(tag));
  const removed = [...new Set(remove)].filter((tag) => current.has(tag));
  if (added.length > 0) await trx.insertInto('ticket_tags').values(added.map((tag) => ({ workspace_id: ticket.workspace_id, ticket_id: ticket.id, tag }))).execute();
  if (removed.length > 0) await trx.deleteFrom('ticket_tags').where('ticket_id', '=', ticket.id).where('tag', 'in', removed).execute();
  return { added, removed };
}

export async function linkedTicketIdsOf(trx: Tx, ticketId: string): Promise<string[]> {
  const rows = await trx.selectFrom('ticket_links').select('linked_ticket_id').where('ticket_id', '=', ticketId).orderBy('created_at').execute();
  return rows.map((row) => row.linked_ticket_id);
}

export async function indexTicket(trx: Tx, dialect: Dialect, ticket: TicketRow): Promise<void> {
  await indexDocument(trx, dialect, { workspaceId: ticket.workspace_id, kind: 'ticket', refId: ticket.id, ticketId: ticket.id, body: `#${ticket.number} ${ticket.subject}` });
}

export async function indexMessage(trx: Tx, dialect: Dialect, message: MessageRow): Promise<void> {
  await indexDocument(trx, dialect, { workspaceId: message.workspace_id, kind: 'message', refId: message.id, ticketId: message.ticket_id, body: message.body_text });
}

type CustomerSummary = { id: string; name: string; email: string | null; tier: string; lifetimeValue: number };

export async function customerSummaries(trx: Tx, workspaceId: string, customerIds: string[]): Promise<Map<string, CustomerSummary>> {
  const summaries = new Map<string, CustomerSummary>();
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return summaries;
  const rows = await trx.selectFrom('customers').select(['id', 'name', 'email', 'tier', 'lifetime_value']).where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute();
  for (const row of rows) summaries.set(row.id, customerSummary(row));
  return summaries;
}

export function customerSummary(row: { id: string; name: string; email: string | null; tier: string; lifetime_value: number }): CustomerSummary {
  return { id: row.id, name: row.name, email: row.email, tier: row.tier, lifetimeValue: Number(row.lifetime_value) };
}

export function presentTicket(row: TicketRow, extras: { tags: string[]; customer: CustomerSummary | null; linkedTicketIds?: string[] }) {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    statusCategory: row.status_category,
    priority: row.priority,
    channel: row.channel,
    customerId: row.customer_id,
    customer: extras.customer,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    type: row.type_key,
    tags: extras.tags,
    customFields: parseJson<Record<string, unknown>>(row.custom_fields, {}),
    mergedIntoId: row.merged_into_id,
    ...(extras.linkedTicketIds ? { linkedTicketIds: extras.linkedTicketIds } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    firstResponseAt: row.first_response_at,
    solvedAt: row.solved_at,
    waitingSince: row.waiting_since,
  };
}
export type Ticket = ReturnType<typeof presentTicket>;

/** Tickets as the API shows them, with tags and customer summaries fetched in two batched queries. */
export async function presentTickets(trx: Tx, workspaceId: string, rows: TicketRow[]) {
  const [tags, customers] = await Promise.all([tagsOf(trx, rows.map((row) => row.id)), customerSummaries(trx, workspaceId, rows.map((row) => row.customer_id))]);
  return rows.map((row) => presentTicket(row, { tags: tags.get(row.id) ?? [], customer: customers.get(row.customer_id) ?? null }));
}

export async function presentOneTicket(trx: Tx, row: TicketRow) {
  const [presented] = await presentTickets(trx, row.workspace_id, [row]);
  return { ...presented!, linkedTicketIds: await linkedTicketIdsOf(trx, row.id) };
}

export function presentMessage(row: MessageRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind,
    authorType: row.author_type,
    authorId: row.author_id,
    text: row.body_text,
    html: row.body_html,
    metadata: parseJson<Record<string, unknown>>(row.metadata, {}),
    createdAt: row.created_at,
  };
}
export type Message = ReturnType<typeof presentMessage>;
