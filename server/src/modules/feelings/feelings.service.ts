import type { EventBus, UnitOfWork } from '../../events/events.js';
import { systemActor } from '../../events/events.js';
import { addMilliseconds } from '../../lib/ids.js';
import { countRecentContactsEach, repeatedContactWindowMilliseconds } from './feelings.repo.js';
import { isPraise, scoreFeelings, type Feelings } from './feelings.score.js';

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

interface Latest {
  sentiment: number;
  agitation: number;
  agitation_trend: number;
  sentiment_trend: number;
  reasons: string;
  updated_at: string;
}

/**
 * Scores inbound messages of one workspace, each once: stores them, updates each ticket's latest
 * and trend, and appends `feelings.scored` plus `feelings.agitation_spike` or `feelings.praise`
 * for the moments module. Messages scoring jobs claimed together are read, counted and written
 * with one statement of each kind rather than one per message; only the events are per message.
 */
export async function recordMessagesFeelings(uow: UnitOfWork, bus: EventBus, workspaceId: string, messageIds: string[]): Promise<void> {
  const { trx } = uow;
  const rows = await trx
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .leftJoin('message_feelings', 'message_feelings.message_id', 'messages.id')
    .select(['messages.id', 'messages.body_text', 'messages.created_at', 'messages.kind', 'tickets.id as ticket_id', 'tickets.customer_id', 'message_feelings.message_id as scored'])
    .where('messages.workspace_id', '=', workspaceId)
    .where('messages.id', 'in', messageIds)
    .execute();
  // Oldest first, so each message's trend is against the one before it, in this batch or stored.
  const messages = rows.filter((row) => row.kind === 'inbound' && row.scored === null).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
  if (messages.length === 0) return;
  const contacts = await countRecentContactsEach(
    trx,
    workspaceId,
    messages.map((message) => ({ customerId: message.customer_id, since: addMilliseconds(message.created_at, -repeatedContactWindowMilliseconds), until: message.created_at })),
  );
  const ticketIds = [...new Set(messages.map((message) => message.ticket_id))].sort();
  const stored = await trx.selectFrom('ticket_feelings').select(['ticket_id', 'sentiment', 'agitation', 'agitation_trend', 'sentiment_trend', 'reasons', 'updated_at']).where('workspace_id', '=', workspaceId).where('ticket_id', 'in', ticketIds).execute();
  /** Each ticket's latest scores: stored, then as this batch moves them. */
  const latestOf = new Map<string, Latest>(stored.map((row) => [row.ticket_id, { ...row, sentiment: Number(row.sentiment), agitation: Number(row.agitation), agitation_trend: Number(row.agitation_trend), sentiment_trend: Number(row.sentiment_trend) }]));
  const scoredHere = new Map<string, Array<{ created_at: string; sentiment: number; agitation: number }>>();
  const counted = new Map<string, number>();
  const scored: Array<{ message: (typeof messages)[number]; feelings: Feelings; previousAgitation: number }> = [];

  for (const [index, message] of messages.entries()) {
    const feelings = scoreFeelings(message.body_text, { recentContacts: Math.max(1, contacts[index]!) });
    const previous = await previousFeelings(uow, workspaceId, message, latestOf.get(message.ticket_id), scoredHere.get(message.ticket_id) ?? []);
    const latest = latestOf.get(message.ticket_id);
    // Jobs for one ticket may run at once and out of order: only the newest message sets the ticket's latest.
    if (!latest || latest.updated_at <= message.created_at) {
      latestOf.set(message.ticket_id, {
        sentiment: feelings.sentiment,
        agitation: feelings.agitation,
        agitation_trend: previous ? round(feelings.agitation - previous.agitation) : 0,
        sentiment_trend: previous ? round(feelings.sentiment - previous.sentiment) : 0,
        reasons: JSON.stringify(feelings.reasons),
        updated_at: message.created_at,
      });
    }
    scoredHere.set(message.ticket_id, [...(scoredHere.get(message.ticket_id) ?? []), { created_at: message.created_at, sentiment: feelings.sentiment, agitation: feelings.agitation }]);
    counted.set(message.ticket_id, (counted.get(message.ticket_id) ?? 0) + 1);
    scored.push({ message, feelings, previousAgitation: previous?.agitation ?? 0 });
  }

  await trx
    .insertInto('message_feelings')
    .values(scored.map(({ message, feelings }) => ({ message_id: message.id, workspace_id: workspaceId, ticket_id: message.ticket_id, customer_id: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, reasons: JSON.stringify(feelings.reasons), created_at: message.created_at })))
    .execute();
  // One row per ticket, in ticket-id order (PostgreSQL row locks taken in one order): the count
  // grows atomically, and the latest is replaced only by a newer one (the row lock orders writers).
  await trx
    .insertInto('ticket_feelings')
    .values(ticketIds.map((ticketId) => ({ ticket_id: ticketId, workspace_id: workspaceId, ...latestOf.get(ticketId)!, messages: counted.get(ticketId)! })))
    .onConflict((conflict) =>
      conflict.column('ticket_id').doUpdateSet((eb) => {
        const newer = <C extends keyof Latest>(column: C) => eb.case().when('excluded.updated_at', '>=', eb.ref('ticket_feelings.updated_at')).then(eb.ref(`excluded.${column}`)).else(eb.ref(`ticket_feelings.${column}`)).end();
        return {
          messages: eb(eb.ref('ticket_feelings.messages'), '+', eb.ref('excluded.messages')),
          sentiment: newer('sentiment'),
          agitation: newer('agitation'),
          agitation_trend: newer('agitation_trend'),
          sentiment_trend: newer('sentiment_trend'),
          reasons: newer('reasons'),
          updated_at: newer('updated_at'),
        };
      }),
    )
    .execute();

  for (const { message, feelings, previousAgitation } of scored) {
    const common = { workspaceId, actor: systemActor, subjectType: 'message', subjectId: message.id, ticketId: message.ticket_id };
    const payload = { messageId: message.id, customerId: message.customer_id, sentiment: feelings.sentiment, agitation: feelings.agitation, previousAgitation, reasons: feelings.reasons };
    await bus.append(uow, { ...common, type: 'feelings.scored', payload });
    const crossed = feelings.agitation >= agitationSpikeThreshold && previousAgitation < agitationSpikeThreshold;
    const jumped = feelings.agitation - previousAgitation >= agitationSpikeJump;
    if (crossed || jumped) await bus.append(uow, { ...common, type: 'feelings.agitation_spike', payload });
    if (isPraise(feelings)) await bus.append(uow, { ...common, type: 'feelings.praise', payload });
  }
}

/**
 * The scores of the ticket's message before this one. The ticket's latest is that message when it
 * is older than this one (no ticket row: nothing scored before); only a message scored out of
 * order, older than the latest, needs its predecessor looked up, among the stored ones and this batch's.
 */
async function previousFeelings(uow: UnitOfWork, workspaceId: string, message: { ticket_id: string; created_at: string }, latest: Latest | undefined, earlierHere: Array<{ created_at: string; sentiment: number; agitation: number }>) {
  if (!latest) return undefined;
  if (latest.updated_at < message.created_at) return latest;
  const stored = await uow.trx
    .selectFrom('message_feelings')
    .select(['sentiment', 'agitation', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', message.ticket_id)
    .where('created_at', '<', message.created_at)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const candidates = [...earlierHere.filter((entry) => entry.created_at < message.created_at), ...(stored ? [{ created_at: stored.created_at, sentiment: Number(stored.sentiment), agitation: Number(stored.agitation) }] : [])];
  return candidates.sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
}
