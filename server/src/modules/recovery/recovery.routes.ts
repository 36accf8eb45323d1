import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, IdSchema, problemResponses } from '../../http/schemas.js';
import { nowIso } from '../../lib/ids.js';
import { NewPreventiveActionSchema } from '../problems/index.js';
import { requireTicket } from '../tickets/index.js';
import { defineRecoveryJobs } from './recovery.jobs.js';
import { closeOnCustomerEvidence, closeRecovery, decideProposal, openRecoveryForMisery, recordRecoveryRootCause, requireRecovery, tickStep } from './recovery.service.js';
import { presentRecoveries, presentRecoveryFor } from './recovery.suggestion.js';
import { loadRecoverySettings, RecoverySettingsSchema } from './recovery.settings.js';

const tags = ['Recovery'];
const StepSchema = z.object({ key: z.string(), label: z.string(), done: z.boolean(), doneAt: z.string().nullable(), doneBy: z.string().nullable(), note: z.string() });
const RecoverySchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  customerId: z.string(),
  momentId: z.string(),
  status: z.enum(['proposed', 'open', 'closed', 'dismissed']),
  outcome: z.enum(['recovered', 'not_recovered']).nullable(),
  steps: z.array(StepSchema),
  suggestedRemedy: z.object({
    type: z.string(),
    value: z.number().describe('In proportion to lifetime value, capped at what the viewing agent may grant alone'),
    fullValue: z.number().describe('In proportion to lifetime value, before the cap'),
    isCappedByLimit: z.boolean(),
    reason: z.string(),
  }),
  lifetimeValue: z.number(),
  followUpAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});
const ListQuerySchema = z.object({ status: z.enum(['proposed', 'open', 'closed', 'dismissed']).optional(), ticketId: IdSchema.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
const StepParamsSchema = z.object({ id: IdSchema, key: z.string().min(1).max(40) }).strict();
const RootCauseBodySchema = z.object({ category: z.string().trim().min(1).max(80), whatFailed: z.string().trim().min(1).max(500), preventiveAction: NewPreventiveActionSchema.optional() }).strict();

export function registerRecovery(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect, scheduleFollowUp: defineRecoveryJobs(context) };

  context.bus.onAppend(async (uow, event) => {
    // Recorded on a ticket, or linked to one later (a negative review that got its ticket).
    const isMiseryOnTicket = (event.type === 'moment.recorded' || event.type === 'moment.linked') && event.payload.kind === 'misery';
    if (isMiseryOnTicket) await openRecoveryForMisery(uow, context.bus, event, systemActor);
    else if (event.type === 'survey.answered' || event.type === 'feelings.scored') await closeOnCustomerEvidence(uow, context.bus, event, systemActor);
  });

  app.get('/api/v1/recoveries', { schema: { tags, summary: 'Recoveries, newest first', querystring: ListQuerySchema, response: { 200: z.object({ items: z.array(RecoverySchema) }), ...problemResponses } } }, async (request) => {
    let select = db.selectFrom('recoveries').selectAll().where('workspace_id', '=', authOf(request).workspaceId);
    if (request.query.status) select = select.where('status', '=', request.query.status);
    if (request.query.ticketId) select = select.where('ticket_id', '=', request.query.ticketId);
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.query.limit).execute();
    return { items: await presentRecoveries(db, authOf(request), rows) };
  });

  app.get('/api/v1/tickets/:id/recoveries', { schema: { tags, summary: "A ticket's recoveries", params: IdParamsSchema, response: { 200: z.object({ items: z.array(RecoverySchema) }), ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    const rows = await db.selectFrom('recoveries').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('created_at', 'desc').execute();
    return { items: await presentRecoveries(db, authOf(request), rows) };
  });

  app.get('/api/v1/recoveries/:id', { schema: { tags, summary: 'One recovery with its playbook steps and suggested remedy', params: IdParamsSchema, response: { 200: RecoverySchema, ...problemResponses } } }, async (request) =>
    presentRecoveryFor(db, authOf(request), await requireRecovery(db, authOf(request).workspaceId, request.params.id)),
  );

  app.post('/api/v1/recoveries/:id/accept', { schema: { tags, summary: 'Open a proposed recovery', params: IdParamsSchema, response: { 200: RecoverySchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    return presentRecoveryFor(db, authOf(request), await inUnitOfWork(db, context.bus, (uow) => decideProposal(uow, context.bus, { workspaceId, actor: actorOf(request), recoveryId: request.params.id, accept: true })));
  });

  app.post('/api/v1/recoveries/:id/dismiss', { schema: { tags, summary: 'Dismiss a proposed recovery', params: IdParamsSchema, response: { 200: RecoverySchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    return presentRecoveryFor(db, authOf(request), await inUnitOfWork(db, context.bus, (uow) => decideProposal(uow, context.bus, { workspaceId, actor: actorOf(request), recoveryId: request.params.id, accept: false })));
  });

  app.patch(
    '/api/v1/recoveries/:id/steps/:key',
    { schema: { tags, summary: 'Tick (or untick) a playbook step; ticking "tell" schedules the follow-up', params: StepParamsSchema, body: z.object({ done: z.boolean(), note: z.string().max(2000).optional() }).strict(), response: { 200: RecoverySchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const recovery = await inUnitOfWork(db, context.bus, (uow) => tickStep(uow, services, { workspaceId, actor: actorOf(request), recoveryId: request.params.id, key: request.params.key, ...request.body }));
      context.pokeWorker();
      return presentRecoveryFor(db, authOf(request), recovery);
    },
  );

  app.post(
    '/api/v1/recoveries/:id/root-cause',
    { schema: { tags, summary: 'Record the root cause (category, what failed) and a preventive action; it rolls up into a problem', params: IdParamsSchema, body: RootCauseBodySchema, response: { 201: z.object({ problemId: z.string(), rootCauseId: z.string(), preventiveActionId: z.string().nullable() }), ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const result = await inUnitOfWork(db, context.bus, (uow) => recordRecoveryRootCause(uow, services, { workspaceId, actor: actorOf(request), recoveryId: request.params.id, ...request.body }));
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/v1/recoveries/:id/close',
    { schema: { tags, summary: 'Close a recovery with its outcome', params: IdParamsSchema, body: z.object({ outcome: z.enum(['recovered', 'not_recovered']), reason: z.string().trim().max(500).default('') }).strict(), response: { 200: RecoverySchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const recovery = await inUnitOfWork(db, context.bus, (uow) => closeRecovery(uow, context.bus, { workspaceId, actor: actorOf(request), recoveryId: request.params.id, ...request.body }));
      context.pokeWorker();
      return presentRecoveryFor(db, authOf(request), recovery);
    },
  );

  app.get('/api/v1/recovery/settings', { schema: { tags, summary: 'Recovery settings: automatic or proposed, follow-up, remedy in proportion to lifetime value, playbook', response: { 200: RecoverySettingsSchema, ...problemResponses } } }, async (request) =>
    loadRecoverySettings(db, authOf(request).workspaceId),
  );

  app.put(
    '/api/v1/recovery/settings',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Change the recovery settings and playbook (applies to recoveries opened from now on)', body: RecoverySettingsSchema, response: { 200: RecoverySettingsSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const settings = request.body;
      await inUnitOfWork(db, context.bus, async (uow) => {
        const now = nowIso();
        await uow.trx.insertInto('recovery_settings').values({ workspace_id: workspaceId, settings: JSON.stringify(settings), updated_at: now }).onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now })).execute();
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'recovery.settings_changed', subjectType: 'workspace', subjectId: workspaceId, payload: { mode: settings.mode, followUpDays: settings.followUpDays, followUpAction: settings.followUpAction } });
      });
      return settings;
    },
  );
}
