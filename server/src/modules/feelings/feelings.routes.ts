import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import type { StoredEvent, UnitOfWork } from '../../events/events.js';
import { authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { enqueueJob } from '../../jobs/queue.js';
import { requireTicket } from '../tickets/index.js';
import { presentMessageFeeling, presentTicketFeeling } from './feelings.repo.js';
import { recordMessagesFeelings } from './feelings.service.js';

const FeelingSchema = z.object({ sentiment: z.number(), agitation: z.number(), reasons: z.array(z.string()) });
const TicketFeelingsSchema = z.object({
  ticketId: z.string(),
  latest: FeelingSchema.extend({ trend: z.object({ sentiment: z.number(), agitation: z.number() }), messages: z.number(), updatedAt: z.string() }).nullable(),
  messages: z.array(FeelingSchema.extend({ messageId: z.string(), createdAt: z.string() })),
});

/**
 * Scoring takes 0.1–2 ms per message depending on length, which would lengthen every inbound
 * message's transaction, so the listener only enqueues a job; the job scores the message once.
 * Jobs claimed together are scored as one batch (see recordMessagesFeelings), per workspace.
 */
export function registerFeelings(app: App, context: AppContext): void {
  const { db } = context.database;
  type Payload = { workspaceId: string; messageId: string };
  const scoreAll = async (uow: UnitOfWork, payloads: Payload[]) => {
    const byWorkspace = new Map<string, string[]>();
    for (const { workspaceId, messageId } of payloads) byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), messageId]);
    for (const [workspaceId, messageIds] of byWorkspace) await recordMessagesFeelings(uow, context.bus, workspaceId, messageIds);
  };
  const scoreJob = context.jobs.define({
    type: 'feelings.score',
    version: 1,
    payload: z.object({ workspaceId: z.string(), messageId: z.string() }),
    async handle(job, payload) {
      const events: StoredEvent[] = [];
      await job.complete((trx) => scoreAll({ trx, events }, [payload]));
      context.bus.publish(events);
    },
    async handleBatch(batch) {
      const events: StoredEvent[] = [];
      await batch.complete((trx, payloads) => scoreAll({ trx, events }, payloads));
      context.bus.publish(events);
    },
  });

  context.bus.onAppend(async (uow, event) => {
    if (event.type !== 'message.created' || event.payload.kind !== 'inbound') return;
    await enqueueJob(uow.trx, scoreJob, { workspaceId: event.workspaceId, messageId: event.subjectId }, { workspaceId: event.workspaceId, id: `feelings:${event.subjectId}` });
  });

  app.get(
    '/api/v1/tickets/:id/feelings',
    { schema: { tags: ['Feelings'], summary: "How the customer feels: the ticket's latest sentiment and agitation, the trend, why, and each inbound message's scores", params: IdParamsSchema, response: { 200: TicketFeelingsSchema, ...problemResponses } } },
    async (request) => {
      const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
      const latest = await db.selectFrom('ticket_feelings').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).executeTakeFirst();
      const messages = await db.selectFrom('message_feelings').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('message_id').limit(500).execute();
      return { ticketId: ticket.id, latest: latest ? presentTicketFeeling(latest) : null, messages: messages.map(presentMessageFeeling) };
    },
  );
}

