import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { IdParamsSchema, OkSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { PolicyBodySchema, PolicyPatchSchema, PolicySchema, TicketSlaSchema } from './sla.schema.js';
import { computeTicketSla, type PolicyRow, type SlaServices } from './sla.service.js';
import type { Tx } from '../../db/database.js';
import { enqueueJob } from '../../jobs/queue.js';

const tags = ['SLA'];
const manage = { minimumRole: 'manager' as const, scope: 'admin' as const };

function presentPolicy(row: PolicyRow) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    conditions: parseJson(row.conditions, {}),
    targets: { firstResponse: row.first_response_minutes, nextResponse: row.next_response_minutes, resolution: row.resolution_minutes },
    warningPercent: row.warning_percent,
    calendarId: row.calendar_id,
    isActive: row.is_active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function requirePolicy(trx: Tx, workspaceId: string, id: string): Promise<PolicyRow> {
  const row = await trx.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('SLA policy');
  return row;
}

async function checkCalendar(trx: Tx, workspaceId: string, calendarId: string | null | undefined): Promise<void> {
  if (!calendarId) return;
  const row = await trx.selectFrom('business_calendars').select('id').where('workspace_id', '=', workspaceId).where('id', '=', calendarId).executeTakeFirst();
  if (!row) throw new DomainError('validation_failed', 'The business-hours calendar does not exist in this workspace.', [{ path: 'body.calendarId', message: 'is not a calendar of this workspace' }]);
}

/** Open tickets are re-evaluated when policies change, so their clocks follow the new rules. */
async function reevaluateOpenTickets(trx: Tx, services: SlaServices, workspaceId: string): Promise<void> {
  const open = await trx.selectFrom('tickets').select('id').where('workspace_id', '=', workspaceId).where('status_category', 'not in', ['solved', 'closed']).limit(10_000).execute();
  const stamp = Date.now();
  for (const ticket of open) await enqueueJob(trx, services.evaluateJob, { workspaceId, ticketId: ticket.id }, { workspaceId, id: `sla-policy:${ticket.id}:${stamp}` });
}

export function registerSlaRoutes(app: App, context: AppContext, services: SlaServices): void {
  const { db } = context.database;

  app.get('/api/v1/sla-policies', { schema: { tags, summary: 'SLA policies in the order they are tried', response: { 200: z.object({ items: z.array(PolicySchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('position').orderBy('created_at').execute();
    return { items: rows.map(presentPolicy) };
  });

  app.post('/api/v1/sla-policies', { config: manage, schema: { tags, summary: 'Create an SLA policy: conditions, targets in business minutes, warning threshold', body: PolicyBodySchema, response: { 201: PolicySchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      await checkCalendar(uow.trx, workspaceId, body.calendarId);
      const last = await uow.trx.selectFrom('sla_policies').select(({ fn }) => fn.max('position').as('max')).where('workspace_id', '=', workspaceId).executeTakeFirst();
      const now = nowIso();
      const values: PolicyRow = {
        id: newId(),
        workspace_id: workspaceId,
        name: body.name,
        position: body.position ?? (last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1),
        conditions: JSON.stringify(body.conditions),
        first_response_minutes: body.targets.firstResponse ?? null,
        next_response_minutes: body.targets.nextResponse ?? null,
        resolution_minutes: body.targets.resolution ?? null,
        warning_percent: body.warningPercent,
        calendar_id: body.calendarId,
        is_active: body.isActive ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await uow.trx.insertInto('sla_policies').values(values).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'sla_policy.created', subjectType: 'sla_policy', subjectId: values.id, payload: { name: values.name } });
      await reevaluateOpenTickets(uow.trx, services, workspaceId);
      return values;
    });
    context.pokeWorker();
    return reply.code(201).send(presentPolicy(row));
  });

  app.patch('/api/v1/sla-policies/:id', { config: manage, schema: { tags, summary: 'Change an SLA policy', params: IdParamsSchema, body: PolicyPatchSchema, response: { 200: PolicySchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requirePolicy(uow.trx, workspaceId, request.params.id);
      await checkCalendar(uow.trx, workspaceId, body.calendarId);
      const changes: Partial<PolicyRow> = { updated_at: nowIso() };
      if (body.name !== undefined) changes.name = body.name;
      if (body.position !== undefined) changes.position = body.position;
      if (body.conditions !== undefined) changes.conditions = JSON.stringify(body.conditions);
      if (body.targets?.firstResponse !== undefined) changes.first_response_minutes = body.targets.firstResponse;
      if (body.targets?.nextResponse !== undefined) changes.next_response_minutes = body.targets.nextResponse;
      if (body.targets?.resolution !== undefined) changes.resolution_minutes = body.targets.resolution;
      if (body.warningPercent !== undefined) changes.warning_percent = body.warningPercent;
      if (body.calendarId !== undefined) changes.calendar_id = body.calendarId;
      if (body.isActive !== undefined) changes.is_active = body.isActive ? 1 : 0;
      await uow.trx.updateTable('sla_policies').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'sla_policy.changed', subjectType: 'sla_policy', subjectId: current.id, payload: { fields: Object.keys(body) } });
      await reevaluateOpenTickets(uow.trx, services, workspaceId);
      return requirePolicy(uow.trx, workspaceId, current.id);
    });
    context.pokeWorker();
    return presentPolicy(row);
  });

  app.delete('/api/v1/sla-policies/:id', { config: manage, schema: { tags, summary: 'Delete an SLA policy', params: IdParamsSchema, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requirePolicy(uow.trx, workspaceId, request.params.id);
      await uow.trx.deleteFrom('sla_policies').where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'sla_policy.deleted', subjectType: 'sla_policy', subjectId: current.id, payload: { name: current.name } });
      await reevaluateOpenTickets(uow.trx, services, workspaceId);
    });
    context.pokeWorker();
    return { ok: true as const };
  });

  app.get('/api/v1/tickets/:id/sla', { schema: { tags, summary: "The ticket's SLA targets, due times and remaining business minutes, as of now", params: IdParamsSchema, response: { 200: TicketSlaSchema, ...problemResponses } } }, async (request) => {
    const now = Date.now();
    const view = await computeTicketSla(db, context.database.dialect, authOf(request).workspaceId, request.params.id, now);
    return { ...view, evaluatedAt: new Date(now).toISOString() };
  });
}
