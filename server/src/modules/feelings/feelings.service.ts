import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds } from '../../lib/ids.js';
import { countRecentContacts, repeatedContactWindowMilliseconds } from './feelings.repo.js';
import { isPraise, scoreFeelings } from './feelings.score.js';

/** Agitation at or above this is a moment of misery when the ticket crosses it… */
export const agitationSpikeThreshold = 0.6;
/** …and so is a jump of this much over the ticket's previous message, wherever it lands. */
export const agitationSpikeJump = 0.35;

/**
 * Scores one inbound message, once: stores it, updates the ticket's latest and trend, and appends
 * `feelings.scored` plus `feelings.agitation_spike` or `feelings.praise` for the moments module.
 */
export async function recordMessageFeelings(uow: UnitOfWork, bus: EventBus, input: { workspaceId: string; messageId: string }): Promise<void> {
  const { trx } = uow;
  const already = await trx.selectFrom('message_feelings').select('message_id').where('message_id', '=', input.messageId).executeTakeFirst();
  if (already) return;
  const message = await trx
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(['messages.id', 'messages.body_text', 'messages.created_at', 'messages.kind', 'tickets.id as ticket_id', 'tickets.customer_id'])
    .where('messages.workspace_id', '=', input.workspaceId)
    .where('messages.id', '=', input.messageId)
    .executeTakeFirst();
  if (!message || message.kind !== 'inbound') return;
  const since = addMilliseconds(message.created_at, -repeatedContactWindowMilliseconds);
  const recentContacts = (await countRecentContacts(trx, input.workspaceId, message.customer_id, since)) + 1;
  const feelings = scoreFeelings(message.body_text, { recentContacts });
  await trx
    .insertInto('message_feelings')
    .values({ message_id: message.id, workspace_id: input.workspaceId, ticket_id: message.ticket_id, customer_id: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, reasons: JSON.stringify(feelings.reasons), created_at: message.created_at })
    .execute();

  const previous = await trx.selectFrom('ticket_feelings').selectAll().where('ticket_id', '=', message.ticket_id).executeTakeFirst();
  const previousAgitation = previous ? Number(previous.agitation) : 0;
  const ticketFeeling = {
    workspace_id: input.workspaceId,
    sentiment: feelings.sentiment,
    agitation: feelings.agitation,
    agitation_trend: previous ? feelings.agitation - previousAgitation : 0,
    sentiment_trend: previous ? feelings.sentiment - Number(previous.sentiment) : 0,
    reasons: JSON.stringify(feelings.reasons),
    messages: (previous ? Number(previous.messages) : 0) + 1,
    updated_at: message.created_at,
  };
  if (previous) await trx.updateTable('ticket_feelings').set(ticketFeeling).where('ticket_id', '=', message.ticket_id).execute();
  else await trx.insertInto('ticket_feelings').values({ ticket_id: message.ticket_id, ...ticketFeeling }).execute();

  const common = { workspaceId: input.workspaceId, actor: systemActor, subjectType: 'message', subjectId: message.id, ticketId: message.ticket_id };
  const payload = { messageId: message.id, customerId: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, previousAgitation, reasons: feelings.reasons };
  await bus.append(uow, { ...common, type: 'feelings.scored', payload });
  const crossed = feelings.agitation >= agitationSpikeThreshold && previousAgitation < agitationSpikeThreshold;
  const jumped = feelings.agitation - previousAgitation >= agitationSpikeJump;
  if (crossed || jumped) await bus.append(uow, { ...common, type: 'feelings.agitation_spike', payload });
  if (isPraise(feelings)) await bus.append(uow, { ...common, type: 'feelings.praise', payload });
}
