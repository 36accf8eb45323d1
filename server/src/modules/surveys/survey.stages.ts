import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { systemActor, type StoredEvent } from '../../events/events.js';
import { enqueueJob } from '../../jobs/queue.js';
import { addMilliseconds, nowIso } from '../../lib/ids.js';
import { readListeningSettings, surveyStages } from '../listening/index.js';
import { sendSurvey, type SurveyServices } from './survey.service.js';

const dayMilliseconds = 86_400_000;
const periodicBatch = 500;

/**
 * Surveys follow the ticket's life through events (tickets never import surveys): the listener
 * runs inside the ticket's transaction and only enqueues a job; the job checks the workspace's
 * stage settings and the throttle when it runs. Stable job ids make a stage ask once per ticket.
 */
export function registerSurveyStages(context: AppContext): void {
  const services: SurveyServices = { bus: context.bus, secret: context.secret, config: context.config };

  const invite = context.jobs.define({
    type: 'surveys.invite',
    version: 1,
    payload: z.object({ workspaceId: z.string(), stage: z.enum(surveyStages), ticketId: z.string().nullable(), customerId: z.string().nullable() }),
    async handle(jobContext, payload) {
      const events: StoredEvent[] = [];
      await jobContext.complete(async (trx) => {
        const settings = await readListeningSettings(trx, payload.workspaceId);
        const stage = payload.stage === 'periodic_nps' ? { enabled: settings.surveys.stages.periodic_nps.enabled, kind: 'nps' as const } : payload.stage === 'on_demand' ? undefined : settings.surveys.stages[payload.stage];
        if (!stage?.enabled) return;
        const ticket = payload.ticketId ? await trx.selectFrom('tickets').select(['id', 'customer_id']).where('workspace_id', '=', payload.workspaceId).where('id', '=', payload.ticketId).executeTakeFirst() : undefined;
        const customerId = payload.customerId ?? ticket?.customer_id;
        if (!customerId) return;
        await sendSurvey({ trx, events }, services, systemActor, { workspaceId: payload.workspaceId, customerId, ticketId: ticket?.id ?? null, kind: stage.kind, stage: payload.stage });
      });
      context.bus.publish(events);
    },
  });

  const periodic = context.jobs.define({
    type: 'surveys.periodic_nps',
    version: 1,
    payload: z.object({ workspaceId: z.string() }),
    async handle(jobContext, payload) {
      await jobContext.complete(async (trx) => {
        const settings = await readListeningSettings(trx, payload.workspaceId);
        const periodicSettings = settings.surveys.stages.periodic_nps;
        if (!periodicSettings.enabled) return;
        const now = nowIso();
        const since = addMilliseconds(now, -periodicSettings.everyDays * dayMilliseconds);
        // Customers served in the period who have not been asked for NPS within it.
        const customers = await trx
          .selectFrom('tickets')
          .select('customer_id')
          .distinct()
          .where('workspace_id', '=', payload.workspaceId)
          .where('created_at', '>=', since)
          .where('customer_id', 'not in', (eb) => eb.selectFrom('survey_invitations').select('customer_id').where('workspace_id', '=', payload.workspaceId).where('kind', '=', 'nps').where('created_at', '>=', since))
          .limit(periodicBatch)
          .execute();
        const day = now.slice(0, 10);
        for (const { customer_id } of customers) {
          await enqueueJob(trx, invite, { workspaceId: payload.workspaceId, stage: 'periodic_nps', ticketId: null, customerId: customer_id }, { workspaceId: payload.workspaceId, id: `survey:periodic_nps:${customer_id}:${day}` });
        }
        const tomorrow = new Date(Date.parse(`${day}T00:00:00.000Z`) + dayMilliseconds).toISOString().slice(0, 10);
        await enqueueJob(trx, periodic, payload, { workspaceId: payload.workspaceId, runAt: `${tomorrow}T03:00:00.000Z`, id: `surveys.periodic_nps:${payload.workspaceId}:${tomorrow}` });
      });
      context.pokeWorker();
    },
  });

  context.bus.onAppend(async (uow, event) => {
    const enqueueStage = async (stage: 'first_response' | 'solved' | 'recovery', ticketId: string, customerId: string | null) =>
      enqueueJob(uow.trx, invite, { workspaceId: event.workspaceId, stage, ticketId, customerId }, { workspaceId: event.workspaceId, id: `survey:${stage}:${ticketId}` });

    if (event.type === 'message.created' && event.payload.kind === 'outbound' && event.payload.authorType === 'staff' && event.ticketId) {
      const ticket = await uow.trx.selectFrom('tickets').select('first_response_at').where('id', '=', event.ticketId).executeTakeFirst();
      // The ticket's first response time is stamped after the message event, so null here means this is the first.
      if (ticket && ticket.first_response_at === null) await enqueueStage('first_response', event.ticketId, null);
    } else if (event.type === 'ticket.status_changed' && event.payload.toCategory === 'solved' && event.ticketId) {
      await enqueueStage('solved', event.ticketId, null);
    } else if (event.type === 'recovery.closed') {
      const ticketId = event.ticketId ?? (typeof event.payload.ticketId === 'string' ? event.payload.ticketId : null);
      if (ticketId) await enqueueStage('recovery', ticketId, typeof event.payload.customerId === 'string' ? event.payload.customerId : null);
    } else if (event.type === 'listening.settings_changed') {
      const day = nowIso().slice(0, 10);
      await enqueueJob(uow.trx, periodic, { workspaceId: event.workspaceId }, { workspaceId: event.workspaceId, id: `surveys.periodic_nps:${event.workspaceId}:${day}` });
    }
  });
}
