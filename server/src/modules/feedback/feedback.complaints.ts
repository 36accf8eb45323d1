import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { StoredEvent, UnitOfWork } from '../../events/events.js';
import { enqueueJob } from '../../jobs/queue.js';
import { recordFeedbackItems } from './feedback.service.js';

const complaintTag = 'complaint';

/**
 * The tags of a ticket created in this unit of work, known without a query: its `ticket.created`
 * event carries them, and every later change of tags appends `ticket.tags_changed`. Null when the
 * ticket is older or its tags changed since, so the caller reads them. A new ticket's first
 * message is the common case, and this saves its query.
 */
function tagsOfTicketCreatedHere(uow: UnitOfWork, ticketId: string): unknown[] | null {
  if (uow.events.some((event) => event.type === 'ticket.tags_changed' && event.ticketId === ticketId)) return null;
  const created = uow.events.find((event) => event.type === 'ticket.created' && event.ticketId === ticketId);
  return created && Array.isArray(created.payload.tags) ? created.payload.tags : null;
}

interface ComplaintPayload {
  workspaceId: string;
  messageId: string;
}

/** Records the messages as complaint feedback, in the order given, once each (feedback items are unique per message). */
async function recordComplaints(uow: UnitOfWork, context: AppContext, payloads: ComplaintPayload[]): Promise<void> {
  for (const workspaceId of new Set(payloads.map((payload) => payload.workspaceId))) {
    const ids = payloads.filter((payload) => payload.workspaceId === workspaceId).map((payload) => payload.messageId);
    const messages = await uow.trx.selectFrom('messages').innerJoin('tickets', 'tickets.id', 'messages.ticket_id').select(['messages.id', 'messages.body_text', 'messages.created_at', 'tickets.id as ticket_id', 'tickets.customer_id']).where('messages.workspace_id', '=', workspaceId).where('messages.id', 'in', ids).execute();
    const inOrder = ids.flatMap((id) => messages.filter((message) => message.id === id));
    if (inOrder.length === 0) continue;
    await recordFeedbackItems(uow, context.bus, inOrder.map((message) => ({ workspaceId, source: 'complaint', sourceId: message.id, customerId: message.customer_id, ticketId: message.ticket_id, text: message.body_text, createdAt: message.created_at })));
  }
}

/**
 * A customer message on a ticket tagged "complaint" is feedback. The listener only enqueues a job
 * (listeners inside the ticket's transaction must stay small); the job reads the message and
 * records it, once, because feedback items are unique per message.
 */
export function registerComplaintListener(context: AppContext): void {
  const job = context.jobs.define({
    type: 'feedback.record_complaint',
    version: 1,
    payload: z.object({ workspaceId: z.string(), messageId: z.string() }),
    async handle(jobContext, payload) {
      const events: StoredEvent[] = [];
      await jobContext.complete((trx) => recordComplaints({ trx, events }, context, [payload]));
      // Published only after the job's transaction committed, like any unit of work.
      context.bus.publish(events);
    },
    // Complaints claimed together are recorded in one transaction: one read of their messages and,
    // per workspace, one insert and one theme lookup for all of them (see recordFeedbackItems).
    async handleBatch(batch) {
      const events: StoredEvent[] = [];
      await batch.complete((trx, payloads) => recordComplaints({ trx, events }, context, payloads));
      context.bus.publish(events);
    },
  });

  context.bus.onAppend(async (uow, event) => {
    if (event.type === 'message.created' && event.payload.kind === 'inbound' && event.ticketId) {
      const tagged = tagsOfTicketCreatedHere(uow, event.ticketId)?.includes(complaintTag) ?? (await uow.trx.selectFrom('ticket_tags').select('tag').where('workspace_id', '=', event.workspaceId).where('ticket_id', '=', event.ticketId).where('tag', '=', complaintTag).executeTakeFirst()) !== undefined;
      if (tagged) await enqueueJob(uow.trx, job, { workspaceId: event.workspaceId, messageId: event.subjectId }, { workspaceId: event.workspaceId, id: `complaint-feedback:${event.subjectId}` });
    }
    if ((event.type === 'ticket.tags_changed' || event.type === 'ticket.created') && event.ticketId) {
      const added = (event.type === 'ticket.created' ? event.payload.tags : event.payload.added) as unknown;
      if (!Array.isArray(added) || !added.includes(complaintTag)) return;
      const messages = await uow.trx.selectFrom('messages').select('id').where('ticket_id', '=', event.ticketId).where('kind', '=', 'inbound').orderBy('created_at').limit(20).execute();
      for (const message of messages) await enqueueJob(uow.trx, job, { workspaceId: event.workspaceId, messageId: message.id }, { workspaceId: event.workspaceId, id: `complaint-feedback:${message.id}` });
    }
  });
}

