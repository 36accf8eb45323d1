import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds } from '../../lib/ids.js';
import { countRecentContacts, repeatedContactWindowMilliseconds } from './feelings.repo.js';
import { isPraise, scoreFeelings } from './feelings.score.js';

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * An agitated customer (served first, counted in the labelled-set test) is at or above this; a
 * spike worth a recovery needs much more, so a merely pressing message does not open one.
 */
export const agitatedThreshold = 0.3;
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
  const recentContacts = Math.max(1, await countRecentContacts(trx, input.workspaceId, message.customer_id, { since, until: message.created_at }));
  const feelings = scoreFeelings(message.body_text, { recentContacts });
  await trx
    .insertInto('message_feelings')
    .values({ message_id: message.id, workspace_id: input.workspaceId, ticket_id: message.ticket_id, customer_id: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, reasons: JSON.stringify(feelings.reasons), created_at: message.created_at })
    .execute();

  // Jobs for one ticket may run at once and out of order: compare with the message before this one,
  // count atomically, and let only the newest message set the ticket's latest (the row lock orders writers).
  const previous = await trx.selectFrom('message_feelings').select(['sentiment', 'agitation']).where('workspace_id', '=', input.workspaceId).where('ticket_id', '=', message.ticket_id).where('created_at', '<', message.created_at).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const previousAgitation = previous ? Number(previous.agitation) : 0;
  const latest = {
    sentiment: feelings.sentiment,
    agitation: feelings.agitation,
    agitation_trend: previous ? round(feelings.agitation - previousAgitation) : 0,
    sentiment_trend: previous ? round(feelings.sentiment - Number(previous.sentiment)) : 0,
    reasons: JSON.stringify(feelings.reasons),
    updated_at: message.created_at,
  };
  await trx
    .insertInto('ticket_feelings')
    .values({ ticket_id: message.ticket_id, workspace_id: input.workspaceId, ...latest, messages: 1 })
    .onConflict((conflict) => conflict.column('ticket_id').doUpdateSet((eb) => ({ messages: eb(eb.ref('ticket_feelings.messages'), '+', 1) })))
    .execute();
  await trx.updateTable('ticket_feelings').set(latest).where('ticket_id', '=', message.ticket_id).where('updated_at', '<=', message.created_at).execute();

  const common = { workspaceId: input.workspaceId, actor: systemActor, subjectType: 'message', subjectId: message.id, ticketId: message.ticket_id };
  const payload = { messageId: message.id, customerId: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, previousAgitation, reasons: feelings.reasons };
  await bus.append(uow, { ...common, type: 'feelings.scored', payload });
  const crossed = feelings.agitation >= agitationSpikeThreshold && previousAgitation < agitationSpikeThreshold;
  const jumped = feelings.agitation - previousAgitation >= agitationSpikeJump;
  if (crossed || jumped) await bus.append(uow, { ...common, type: 'feelings.agitation_spike', payload });
  if (isPraise(feelings)) await bus.append(uow, { ...common, type: 'feelings.praise', payload });
}
