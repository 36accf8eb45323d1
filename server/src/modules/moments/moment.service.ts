import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { systemActor, type Actor, type EventBus, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { newId } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import type { MomentCandidate } from './moment.rules.js';

export type MomentRow = Row<'moments'>;

export function presentMoment(row: MomentRow) {
  return { id: row.id, kind: row.kind, rule: row.rule, ticketId: row.ticket_id, customerId: row.customer_id, detail: parseJson<Record<string, unknown>>(row.detail, {}), occurredAt: row.occurred_at };
}

/**
 * The customer of a ticket created in this unit of work, known without a query: its `ticket.created`
 * event names them, and only a customer merge (`customer.merged`) moves tickets to another customer.
 * This saves the query for the first message of every new ticket.
 */
function customerOfTicketCreatedHere(uow: UnitOfWork, ticketId: string): string | null {
  if (uow.events.some((event) => event.type === 'customer.merged')) return null;
  const created = uow.events.find((event) => event.type === 'ticket.created' && event.ticketId === ticketId);
  return typeof created?.payload.customerId === 'string' ? created.payload.customerId : null;
}

/**
 * Stores a moment once per cause; misery and magic also append `moment.recorded`, which the
 * recovery workflow listens to. Moments of truth are too many to be events of their own: the
 * message, survey or review event already is one.
 */
export async function recordMoment(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; ticketId: string | null; occurredAt: string; actor?: Actor } & MomentCandidate): Promise<MomentRow | null> {
  let customerId = input.customerId ?? (input.ticketId ? customerOfTicketCreatedHere(uow, input.ticketId) : null);
  if (!customerId && input.ticketId) {
    const ticket = await uow.trx.selectFrom('tickets').select('customer_id').where('workspace_id', '=', input.workspaceId).where('id', '=', input.ticketId).executeTakeFirst();
    customerId = ticket?.customer_id ?? null;
  }
  const row: MomentRow = { id: newId(), workspace_id: input.workspaceId, kind: input.kind, rule: input.rule, cause_key: input.causeKey, ticket_id: input.ticketId, customer_id: customerId, detail: JSON.stringify(input.detail), occurred_at: input.occurredAt };
  const inserted = await uow.trx.insertInto('moments').values(row).onConflict((conflict) => conflict.columns(['workspace_id', 'cause_key']).doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 1n) === 0) return null;
  if (row.kind !== 'truth') {
    await bus.append(uow, {
      workspaceId: input.workspaceId,
      actor: input.actor ?? systemActor,
      type: 'moment.recorded',
      subjectType: 'moment',
      subjectId: row.id,
      ticketId: row.ticket_id,
      payload: { momentId: row.id, kind: row.kind, rule: row.rule, customerId, detail: input.detail },
    });
  }
  return row;
}

export async function recordMomentsOfEvent(uow: UnitOfWork, bus: EventBus, event: StoredEvent, candidates: MomentCandidate[]): Promise<void> {
  for (const candidate of candidates) {
    await recordMoment(uow, bus, { ...candidate, workspaceId: event.workspaceId, ticketId: event.ticketId ?? (typeof event.payload.ticketId === 'string' ? event.payload.ticketId : null), occurredAt: event.createdAt });
  }
}

export async function listMoments(db: Db | Tx, workspaceId: string, filter: { ticketId?: string; customerId?: string; kind?: string }, limit: number) {
  let select = db.selectFrom('moments').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.ticketId) select = select.where('ticket_id', '=', filter.ticketId);
  if (filter.customerId) select = select.where('customer_id', '=', filter.customerId);
  if (filter.kind) select = select.where('kind', '=', filter.kind as MomentRow['kind']);
  const rows = await select.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(presentMoment);
}

/**
 * A review arrives without a ticket; when someone opens a ticket for it, its moments join that
 * ticket's timeline, and a negative one appends `moment.linked` so a recovery opens there, as
 * PRODUCT.md 3.2 asks ("when negative, can open a recovery").
 */
export async function linkReviewMomentsToTicket(uow: UnitOfWork, bus: EventBus, event: StoredEvent): Promise<void> {
  const reviewId = typeof event.payload.reviewId === 'string' ? event.payload.reviewId : null;
  if (!reviewId || !event.ticketId) return;
  const causeKeys = [`review:${reviewId}`, `review:${reviewId}:misery`, `review:${reviewId}:magic`];
  await uow.trx.updateTable('moments').set({ ticket_id: event.ticketId }).where('workspace_id', '=', event.workspaceId).where('cause_key', 'in', causeKeys).where('ticket_id', 'is', null).execute();
  const misery = await uow.trx.selectFrom('moments').selectAll().where('workspace_id', '=', event.workspaceId).where('cause_key', '=', `review:${reviewId}:misery`).executeTakeFirst();
  if (!misery) return;
  await bus.append(uow, {
    workspaceId: event.workspaceId,
    actor: event.actor,
    type: 'moment.linked',
    subjectType: 'moment',
    subjectId: misery.id,
    ticketId: event.ticketId,
    payload: { momentId: misery.id, kind: misery.kind, rule: misery.rule, customerId: misery.customer_id },
  });
}
