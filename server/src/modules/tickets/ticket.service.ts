import { sql } from 'kysely';
import type { Dialect, Tx } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, notFound } from '../../http/errors.js';
import { htmlToText, sanitizeMessageHtml } from '../../lib/html.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { requireCustomer, type CustomerRow } from '../customers/index.js';
import { defaultStatusFor, findStatus } from '../workspaces/index.js';
import { indexMessage, indexTicket, insertMessageRow, insertTicketRow, nextTicketNumber, requireTicket, setTags, type MessageRow, type TicketRow } from './ticket.repo.js';

export interface TicketServices {
  bus: EventBus;
  dialect: Dialect;
}

export interface MessageInput {
  kind: MessageRow['kind'];
  text?: string;
  html?: string;
  authorType: MessageRow['author_type'];
  authorId: string | null;
  metadata?: Record<string, unknown>;
}

export interface CreateTicketInput {
  subject: string;
  customerId: string;
  /** The customer's row when the caller has just found or created it, so it is not read again. */
  customer?: CustomerRow;
  message?: MessageInput;
  priority: TicketRow['priority'];
  channel: string;
  status?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  type?: string | null;
}

export interface TicketChanges {
  subject?: string;
  status?: string;
  priority?: TicketRow['priority'];
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  type?: string | null;
  /** Why the assignee changes (routing's choice, a rule); recorded on the ticket.assigned event. */
  assignmentReason?: string;
}

async function requireActiveStaff(uow: UnitOfWork, workspaceId: string, staffId: string): Promise<void> {
  const staff = await uow.trx.selectFrom('staff').select('id').where('workspace_id', '=', workspaceId).where('id', '=', staffId).where('is_active', '=', 1).executeTakeFirst();
  if (!staff) throw new DomainError('validation_failed', 'The assignee is not an active staff member of this workspace.', [{ path: 'body.assigneeId', message: 'is not an active staff member' }]);
}

async function requireTeam(uow: UnitOfWork, workspaceId: string, teamId: string): Promise<void> {
  const team = await uow.trx.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw new DomainError('validation_failed', 'The team does not exist in this workspace.', [{ path: 'body.teamId', message: 'is not a team of this workspace' }]);
}

async function requireTicketType(uow: UnitOfWork, workspaceId: string, key: string): Promise<void> {
  const type = await uow.trx.selectFrom('ticket_types').select('key').where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
  if (!type) throw new DomainError('validation_failed', `Unknown ticket type "${key}".`, [{ path: 'body.type', message: 'is not a ticket type of this workspace' }]);
}

async function resolveStatus(uow: UnitOfWork, workspaceId: string, key: string) {
  const status = await findStatus(uow.trx, workspaceId, key);
  if (!status) throw new DomainError('validation_failed', `Unknown status "${key}".`, [{ path: 'body.status', message: 'is not a status of this workspace' }]);
  return status;
}

function messageBody(input: { text?: string; html?: string }): { text: string; html: string | null } {
  const html = input.html?.trim() ? sanitizeMessageHtml(input.html) : null;
  const text = input.text?.trim() ? input.text : html ? htmlToText(html) : '';
  return { text, html };
}

export async function createTicket(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, input: CreateTicketInput) {
  const customer = input.customer?.id === input.customerId && input.customer.workspace_id === workspaceId ? input.customer : await requireCustomer(uow.trx, workspaceId, input.customerId);
  if (customer.merged_into_id) throw new DomainError('invalid_state', 'This customer was merged into another; use that one.');
  if (input.assigneeId) await requireActiveStaff(uow, workspaceId, input.assigneeId);
  if (input.teamId) await requireTeam(uow, workspaceId, input.teamId);
  if (input.type) await requireTicketType(uow, workspaceId, input.type);
  const status = input.status ? await resolveStatus(uow, workspaceId, input.status) : (await defaultStatusFor(uow.trx, workspaceId, 'new'))!;
  const now = nowIso();
  const ticket: TicketRow = {
    id: newId(),
    workspace_id: workspaceId,
    number: await nextTicketNumber(uow.trx, services.dialect, workspaceId),
    subject: input.subject,
    status: status.key,
    status_category: status.category,
    priority: input.priority,
    channel: input.channel,
    customer_id: customer.id,
    assignee_id: input.assigneeId ?? null,
    team_id: input.teamId ?? null,
    custom_fields: JSON.stringify(input.customFields ?? {}),
    merged_into_id: null,
    created_at: now,
    updated_at: now,
    // The first message is written with the ticket's own time, so the clocks it sets go into the
    // ticket's insert instead of a second write (a ticket created solved or closed, an imported
    // conversation, keeps nobody waiting).
    first_response_at: input.message?.kind === 'outbound' ? now : null,
    solved_at: isDone(status.category) ? now : null,
    waiting_since: null,
    type_key: input.type ?? null,
  };
  if (input.message && !isDone(ticket.status_category)) ticket.waiting_since = waitingSinceAfter(ticket, { kind: input.message.kind, author_type: input.message.authorType, created_at: now });
  await insertTicketRow(uow.trx, ticket);
  await indexTicket(uow.trx, services.dialect, ticket);
  // A new ticket has no tags yet, so they are inserted without reading the current ones first.
  const tags = [...new Set(input.tags ?? [])];
  if (tags.length > 0) await uow.trx.insertInto('ticket_tags').values(tags.map((tag) => ({ workspace_id: workspaceId, ticket_id: ticket.id, tag }))).execute();
  await services.bus.append(uow, {
    workspaceId,
    actor,
    type: 'ticket.created',
    subjectType: 'ticket',
    subjectId: ticket.id,
    ticketId: ticket.id,
    payload: { number: ticket.number, subject: ticket.subject, customerId: customer.id, channel: ticket.channel, priority: ticket.priority, status: ticket.status, assigneeId: ticket.assignee_id, teamId: ticket.team_id, tags, ...(ticket.type_key ? { type: ticket.type_key } : {}) },
  });
  const message = input.message ? await insertMessage(uow, services, ticket, actor, input.message, now) : null;
  return { ticket, message, customer, tags };
}

export async function insertMessage(uow: UnitOfWork, services: TicketServices, ticket: TicketRow, actor: Actor, input: MessageInput, createdAt = nowIso()): Promise<MessageRow> {
  const body = messageBody(input);
  const message: MessageRow = {
    id: newId(),
    workspace_id: ticket.workspace_id,
    ticket_id: ticket.id,
    kind: input.kind,
    author_type: input.authorType,
    author_id: input.authorId,
    body_text: body.text,
    body_html: body.html,
    metadata: JSON.stringify(input.metadata ?? {}),
    created_at: createdAt,
  };
  await insertMessageRow(uow.trx, message);
  await indexMessage(uow.trx, services.dialect, message);
  await services.bus.append(uow, {
    workspaceId: ticket.workspace_id,
    actor,
    type: 'message.created',
    subjectType: 'message',
    subjectId: message.id,
    ticketId: ticket.id,
    payload: { kind: message.kind, authorType: message.author_type, authorId: message.author_id, preview: message.body_text.slice(0, 200) },
  });
  return message;
}

/**
 * Adds a message and applies what it implies: an agent's first reply is the first response; a
 * reply without an explicit status opens a new ticket; a customer writing again reopens a
 * pending or solved one. A closed ticket takes no more customer messages (a new ticket does).
 */
export async function addMessage(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, ticketId: string, input: MessageInput & { status?: string }) {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  if (ticket.merged_into_id) throw new DomainError('invalid_state', `This ticket was merged; write on the ticket it was merged into.`);
  if (ticket.status_category === 'closed' && input.kind !== 'note') throw new DomainError('invalid_state', 'This ticket is closed; open a follow-up ticket instead.');
  const message = await insertMessage(uow, services, ticket, actor, input);
  const changes: TicketChanges = {};
  if (input.status) changes.status = input.status;
  else if (input.kind === 'outbound' && ticket.status_category === 'new') changes.status = (await defaultStatusFor(uow.trx, workspaceId, 'open'))!.key;
  else if (input.kind === 'inbound' && ['pending', 'solved', 'on_hold'].includes(ticket.status_category)) changes.status = (await defaultStatusFor(uow.trx, workspaceId, 'open'))!.key;
  const stamp: Partial<TicketRow> = { updated_at: message.created_at, waiting_since: waitingSinceAfter(ticket, message) };
  if (input.kind === 'outbound' && !ticket.first_response_at) stamp.first_response_at = message.created_at;
  await uow.trx.updateTable('tickets').set(stamp).where('id', '=', ticket.id).execute();
  const updated = Object.keys(changes).length > 0 ? await updateTicket(uow, services, workspaceId, actor, ticket.id, changes) : { ...ticket, ...stamp };
  return { message, ticket: updated };
}

function isDone(category: string): boolean {
  return category === 'solved' || category === 'closed';
}

/**
 * The customer waits from their first message that no agent has answered yet: a staff reply ends
 * the wait, a further customer message keeps its start, notes and system messages (auto-replies,
 * merge notices) change nothing. A solved or closed ticket keeps nobody waiting (updateTicket), so
 * a customer writing on a solved ticket waits from that message, not from before the solve.
 */
function waitingSinceAfter(ticket: TicketRow, message: Pick<MessageRow, 'kind' | 'author_type' | 'created_at'>): string | null {
  if (message.kind === 'outbound' && message.author_type === 'staff') return null;
  if (message.kind === 'inbound') return ticket.waiting_since ?? message.created_at;
  return ticket.waiting_since;
}

/**
 * The same rule read from the messages, for when they moved between tickets (merge, split) or a
 * done ticket is reopened without a message. Messages of one millisecond count the reply as later.
 */
export async function refreshWaitingSince(trx: Tx, workspaceId: string, ticketId: string): Promise<string | null> {
  const lastReply = sql<string>`coalesce((select max(reply.created_at) from messages reply where reply.workspace_id = ${workspaceId} and reply.ticket_id = ${ticketId} and reply.kind = 'outbound' and reply.author_type = 'staff'), '')`;
  const row = await trx
    .updateTable('tickets')
    .set({
      waiting_since: sql<string | null>`case when status_category in ('solved', 'closed') then null else (select min(inbound.created_at) from messages inbound where inbound.workspace_id = ${workspaceId} and inbound.ticket_id = ${ticketId} and inbound.kind = 'inbound' and inbound.created_at > ${lastReply}) end`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ticketId)
    .returning('waiting_since')
    .executeTakeFirstOrThrow();
  return row.waiting_since;
}

/**
 * A status guard may refuse a status change by throwing a DomainError (e.g. a playbook's required
 * steps block "solved"). Guards run inside the change's transaction, before anything is written,
 * and must be pure functions of the database (no module state): they are shared by every app
 * instance in the process, so register module-level functions (a Set keeps one of each).
 */
export type StatusGuard = (uow: UnitOfWork, ticket: TicketRow, next: { status: string; category: string }) => Promise<void>;
const statusGuards = new Set<StatusGuard>();
export function registerStatusGuard(guard: StatusGuard): void {
  statusGuards.add(guard);
}

export async function updateTicket(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, ticketId: string, changes: TicketChanges): Promise<TicketRow> {
  const current = await requireTicket(uow.trx, workspaceId, ticketId);
  if (current.merged_into_id && (changes.status || changes.assigneeId !== undefined)) throw new DomainError('invalid_state', 'This ticket was merged into another and can no longer change.');
  const now = nowIso();
  const next: TicketRow = { ...current };
  const append = (type: string, payload: Record<string, unknown>) =>
    services.bus.append(uow, { workspaceId, actor, type, subjectType: 'ticket', subjectId: ticketId, ticketId, payload });

  if (changes.subject !== undefined && changes.subject !== current.subject) {
    next.subject = changes.subject;
    await append('ticket.subject_changed', { from: current.subject, to: changes.subject });
  }
  if (changes.status !== undefined && changes.status !== current.status) {
    const status = await resolveStatus(uow, workspaceId, changes.status);
    for (const guard of statusGuards) await guard(uow, current, { status: status.key, category: status.category });
    next.status = status.key;
    next.status_category = status.category;
    next.solved_at = isDone(status.category) ? (current.solved_at ?? now) : null;
    await append('ticket.status_changed', { from: current.status, to: status.key, fromCategory: current.status_category, toCategory: status.category });
  }
  if (changes.priority !== undefined && changes.priority !== current.priority) {
    next.priority = changes.priority;
    await append('ticket.priority_changed', { from: current.priority, to: changes.priority });
  }
  if (changes.assigneeId !== undefined && changes.assigneeId !== current.assignee_id) {
    if (changes.assigneeId) await requireActiveStaff(uow, workspaceId, changes.assigneeId);
    next.assignee_id = changes.assigneeId;
    await append('ticket.assigned', { from: current.assignee_id, to: changes.assigneeId, ...(changes.assignmentReason ? { reason: changes.assignmentReason } : {}) });
  }
  if (changes.type !== undefined && changes.type !== current.type_key) {
    if (changes.type) await requireTicketType(uow, workspaceId, changes.type);
    next.type_key = changes.type;
    await append('ticket.type_changed', { from: current.type_key, to: changes.type });
  }
  if (changes.teamId !== undefined && changes.teamId !== current.team_id) {
    if (changes.teamId) await requireTeam(uow, workspaceId, changes.teamId);
    next.team_id = changes.teamId;
    await append('ticket.team_changed', { from: current.team_id, to: changes.teamId });
  }
  if (changes.customFields !== undefined) {
    const merged = { ...parseJson<Record<string, unknown>>(current.custom_fields, {}), ...changes.customFields };
    next.custom_fields = JSON.stringify(merged);
    if (next.custom_fields !== current.custom_fields) await append('ticket.custom_fields_changed', { changes: changes.customFields });
  }
  if (changes.tags !== undefined) {
    const existing = await uow.trx.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', ticketId).execute();
    const wanted = new Set(changes.tags);
    const result = await setTags(uow.trx, current, changes.tags, existing.map((row) => row.tag).filter((tag) => !wanted.has(tag)));
    if (result.added.length + result.removed.length > 0) await append('ticket.tags_changed', result);
  }
  next.updated_at = now;
  // Also when the status is set again unchanged (a customer message recorded with status "solved").
  if (isDone(next.status_category)) next.waiting_since = null;
  await uow.trx
    .updateTable('tickets')
    .set({ subject: next.subject, status: next.status, status_category: next.status_category, priority: next.priority, assignee_id: next.assignee_id, team_id: next.team_id, type_key: next.type_key, custom_fields: next.custom_fields, solved_at: next.solved_at, waiting_since: next.waiting_since, updated_at: now })
    .where('id', '=', ticketId)
    .execute();
  // Reopened by hand, not by a customer message (which has already started the wait): the
  // customer still waits on whatever they wrote that no agent answered.
  if (isDone(current.status_category) && !isDone(next.status_category) && next.waiting_since === null) next.waiting_since = await refreshWaitingSince(uow.trx, workspaceId, ticketId);
  if (next.subject !== current.subject) await indexTicket(uow.trx, services.dialect, next);
  return next;
}

export async function changeTags(uow: UnitOfWork, services: TicketServices, workspaceId: string, actor: Actor, ticketId: string, add: string[], remove: string[]): Promise<TicketRow> {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  const result = await setTags(uow.trx, ticket, add, remove);
  if (result.added.length + result.removed.length > 0) {
    await services.bus.append(uow, { workspaceId, actor, type: 'ticket.tags_changed', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: result });
    const updatedAt = nowIso();
    await uow.trx.updateTable('tickets').set({ updated_at: updatedAt }).where('id', '=', ticketId).execute();
    return { ...ticket, updated_at: updatedAt };
  }
  return ticket;
}


export async function requireMessage(uow: UnitOfWork, workspaceId: string, messageId: string): Promise<MessageRow> {
  const message = await uow.trx.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', messageId).executeTakeFirst();
  if (!message) throw notFound('Message');
  return message;
}
