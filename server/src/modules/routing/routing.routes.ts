import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, forbidden } from '../../http/errors.js';
import { IdSchema, lineText, problemResponses } from '../../http/schemas.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { roleRank } from '../../context.js';
import { updateTicket } from '../tickets/index.js';
import { skillKinds } from './routing.service.js';

const tags = ['Routing'];

const AvailabilityBodySchema = z
  .object({
    available: z.boolean(),
    capacity: z.number().int().min(0).max(1000).optional(),
    skills: z
      .array(
        lineText(64)
          .transform((skill) => skill.toLowerCase().replace(/\s*:\s*/, ':'))
          .refine((skill) => skillKinds.some((kind) => skill.startsWith(`${kind}:`) && skill.length > kind.length + 1), `must be ${skillKinds.map((kind) => `${kind}:…`).join(', ')} (e.g. language:fr)`),
      )
      .max(50)
      .optional()
      .describe("`language:<code>` matches the customer's `language` custom field, `product:<name>` the ticket's `product` custom field, `tier:<name>` the customer's tier"),
    reassignOpenTickets: z.boolean().default(false).describe('When going away: unassign my new and open tickets so routing gives them to someone available'),
  })
  .strict();

const AvailabilitySchema = z.object({ staffId: z.string(), available: z.boolean(), capacity: z.number(), skills: z.array(z.string()), updatedAt: z.string() });
const SettingsSchema = z.object({ method: z.enum(['off', 'round_robin', 'load', 'skills']) });

export function registerRoutingRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;

  app.get('/api/v1/routing/settings', { schema: { tags, summary: 'How new tickets are assigned', response: { 200: SettingsSchema, ...problemResponses } } }, async (request) => {
    const row = await db.selectFrom('routing_settings').select('method').where('workspace_id', '=', authOf(request).workspaceId).executeTakeFirst();
    return { method: row?.method ?? 'off' };
  });

  app.put('/api/v1/routing/settings', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags, summary: 'Choose round robin, by load, by skills, or off', body: SettingsSchema.strict(), response: { 200: SettingsSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const now = nowIso();
      await uow.trx.insertInto('routing_settings').values({ workspace_id: workspaceId, method: request.body.method, last_assigned_staff_id: null, updated_at: now }).onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ method: request.body.method, updated_at: now })).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'routing.settings_changed', subjectType: 'workspace', subjectId: workspaceId, payload: { method: request.body.method } });
    });
    return { method: request.body.method };
  });

  app.get('/api/v1/routing/availability', { schema: { tags, summary: "Every agent's availability, capacity and skills", response: { 200: z.object({ items: z.array(AvailabilitySchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('agent_availability').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('staff_id').execute();
    return { items: rows.map((row) => ({ staffId: row.staff_id, available: row.is_available === 1, capacity: row.capacity, skills: parseJson<string[]>(row.skills, []), updatedAt: row.updated_at })) };
  });

  app.put(
    '/api/v1/routing/availability/:staffId',
    { schema: { tags, summary: "Set an agent's availability ('me' for yourself; managers may set anyone's)", params: z.object({ staffId: z.union([z.literal('me'), IdSchema]) }).strict(), body: AvailabilityBodySchema, response: { 200: AvailabilitySchema, ...problemResponses } } },
    async (request) => {
      const auth = authOf(request);
      const staffId = request.params.staffId === 'me' ? auth.staffId : request.params.staffId;
      if (staffId !== auth.staffId && roleRank[auth.role] < roleRank.manager) throw forbidden("Only managers may change someone else's availability.");
      const body = request.body;
      return inUnitOfWork(db, context.bus, async (uow) => {
        const staff = await uow.trx.selectFrom('staff').select('id').where('workspace_id', '=', auth.workspaceId).where('id', '=', staffId).where('is_active', '=', 1).executeTakeFirst();
        if (!staff) throw new DomainError('not_found', 'Staff member was not found in this workspace.');
        const current = await uow.trx.selectFrom('agent_availability').selectAll().where('workspace_id', '=', auth.workspaceId).where('staff_id', '=', staffId).executeTakeFirst();
        const values = { is_available: body.available ? 1 : 0, capacity: body.capacity ?? current?.capacity ?? 20, skills: JSON.stringify(body.skills ?? parseJson<string[]>(current?.skills ?? '[]', [])), updated_at: nowIso() };
        if (current) await uow.trx.updateTable('agent_availability').set(values).where('workspace_id', '=', auth.workspaceId).where('staff_id', '=', staffId).execute();
        else await uow.trx.insertInto('agent_availability').values({ workspace_id: auth.workspaceId, staff_id: staffId, ...values }).execute();
        await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'routing.availability_changed', subjectType: 'staff', subjectId: staffId, payload: { available: body.available, capacity: values.capacity } });
        if (!body.available && body.reassignOpenTickets) {
          const open = await uow.trx.selectFrom('tickets').select('id').where('workspace_id', '=', auth.workspaceId).where('assignee_id', '=', staffId).where('status_category', 'in', ['new', 'open']).execute();
          for (const ticket of open) await updateTicket(uow, { bus: context.bus, dialect }, auth.workspaceId, actorOf(request), ticket.id, { assigneeId: null, assignmentReason: 'the assignee went away: back to routing' });
        }
        return { staffId, available: body.available, capacity: values.capacity, skills: parseJson<string[]>(values.skills, []), updatedAt: values.updated_at };
      });
    },
  );
}
