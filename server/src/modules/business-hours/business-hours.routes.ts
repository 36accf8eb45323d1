import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { IdParamsSchema, OkSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { listCalendars, presentCalendar, requireCalendar } from './business-hours.repo.js';
import { CalendarBodySchema, CalendarPatchSchema, CalendarSchema } from './business-hours.schema.js';

const tags = ['Business hours'];
const manage = { minimumRole: 'manager' as const, scope: 'admin' as const };

export function registerBusinessHoursRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/business-hours', { schema: { tags, summary: 'Business-hours calendars (the workspace default first)', response: { 200: z.object({ items: z.array(CalendarSchema) }), ...problemResponses } } }, async (request) => {
    return { items: (await listCalendars(db, authOf(request).workspaceId)).map(presentCalendar) };
  });

  app.post('/api/v1/business-hours', { config: manage, schema: { tags, summary: 'Create a calendar: time zone, weekly hours, holidays; optionally for one team', body: CalendarBodySchema, response: { 201: CalendarSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      if (body.teamId) {
        const team = await uow.trx.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', body.teamId).executeTakeFirst();
        if (!team) throw new DomainError('validation_failed', 'The team does not exist in this workspace.', [{ path: 'body.teamId', message: 'is not a team of this workspace' }]);
      }
      const now = nowIso();
      const values = { id: newId(), workspace_id: workspaceId, team_id: body.teamId, name: body.name, time_zone: body.timeZone, intervals: JSON.stringify(body.intervals), holidays: JSON.stringify([...new Set(body.holidays)].sort()), created_at: now, updated_at: now };
      await uow.trx.insertInto('business_calendars').values(values).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'business_hours.created', subjectType: 'business_calendar', subjectId: values.id, payload: { name: values.name, teamId: values.team_id } });
      return values;
    });
    return reply.code(201).send(presentCalendar(row));
  });

  app.patch('/api/v1/business-hours/:id', { config: manage, schema: { tags, summary: 'Change a calendar', params: IdParamsSchema, body: CalendarPatchSchema, response: { 200: CalendarSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    return inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireCalendar(uow.trx, workspaceId, request.params.id);
      const changes = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
        ...(body.intervals !== undefined ? { intervals: JSON.stringify(body.intervals) } : {}),
        ...(body.holidays !== undefined ? { holidays: JSON.stringify([...new Set(body.holidays)].sort()) } : {}),
        updated_at: nowIso(),
      };
      await uow.trx.updateTable('business_calendars').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'business_hours.changed', subjectType: 'business_calendar', subjectId: current.id, payload: { fields: Object.keys(body) } });
      return presentCalendar(await requireCalendar(uow.trx, workspaceId, current.id));
    });
  });

  app.delete('/api/v1/business-hours/:id', { config: manage, schema: { tags, summary: 'Delete a calendar (policies using it fall back to the team or workspace calendar)', params: IdParamsSchema, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireCalendar(uow.trx, workspaceId, request.params.id);
      await uow.trx.deleteFrom('business_calendars').where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'business_hours.deleted', subjectType: 'business_calendar', subjectId: current.id, payload: { name: current.name } });
    });
    return { ok: true as const };
  });
}
