import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { requireStaffMember } from '../staff/index.js';
import { requireTicket } from '../tickets/index.js';
import { listMacros, presentMacro, requireMacro, statusExists } from './macro.repo.js';
import { firstNameOf, renderMacro } from './macro.render.js';
import { CreateMacroBodySchema, MacroSchema, RenderedMacroSchema, RenderMacroQuerySchema, UpdateMacroBodySchema } from './macro.schema.js';

const tags = ['Macros'];

function unknownStatus(key: string) {
  return new DomainError('validation_failed', `Unknown status "${key}".`, [{ path: 'body.setStatus', message: 'is not a status of this workspace' }]);
}

/** Saved replies: every agent uses them, managers curate them. */
export function registerMacroRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/macros', { schema: { tags, summary: 'Macros (saved replies) of this workspace, by name', response: { 200: z.object({ items: z.array(MacroSchema) }), ...problemResponses } } }, async (request) => ({
    items: await listMacros(db, authOf(request).workspaceId),
  }));

  app.get('/api/v1/macros/:id', { schema: { tags, summary: 'A macro', params: IdParamsSchema, response: { 200: MacroSchema, ...problemResponses } } }, async (request) =>
    presentMacro(await requireMacro(db, authOf(request).workspaceId, request.params.id)),
  );

  app.get(
    '/api/v1/macros/:id/render',
    { schema: { tags, summary: "A macro's text with its variables filled in for one ticket", params: IdParamsSchema, querystring: RenderMacroQuerySchema, response: { 200: RenderedMacroSchema, ...problemResponses } } },
    async (request) => {
      const auth = authOf(request);
      const macro = await requireMacro(db, auth.workspaceId, request.params.id);
      const ticket = await requireTicket(db, auth.workspaceId, request.query.ticketId);
      const customer = await requireCustomer(db, auth.workspaceId, ticket.customer_id);
      const agent = await requireStaffMember(db, auth.workspaceId, auth.staffId);
      const text = renderMacro(macro.body, {
        customer: { name: customer.name, first_name: firstNameOf(customer.name), email: customer.email ?? '' },
        ticket: { number: String(ticket.number), subject: ticket.subject },
        agent: { name: agent.name, first_name: firstNameOf(agent.name) },
      });
      return { text, kind: macro.kind, setStatus: macro.set_status };
    },
  );

  app.post('/api/v1/macros', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Create a macro', body: CreateMacroBodySchema, response: { 201: MacroSchema, ...problemResponses } } }, async (request, reply) => {
    const auth = authOf(request);
    const body = request.body;
    const macro = await inUnitOfWork(db, context.bus, async (uow) => {
      if (body.setStatus && !(await statusExists(uow.trx, auth.workspaceId, body.setStatus))) throw unknownStatus(body.setStatus);
      const now = nowIso();
      const id = newId();
      await uow.trx
        .insertInto('macros')
        .values({ id, workspace_id: auth.workspaceId, name: body.name, body: body.body, kind: body.kind, set_status: body.setStatus ?? null, created_by: auth.staffId, created_at: now, updated_at: now })
        .execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'macro.created', subjectType: 'macro', subjectId: id, payload: { name: body.name } });
      return presentMacro(await requireMacro(uow.trx, auth.workspaceId, id));
    });
    return reply.code(201).send(macro);
  });

  app.patch('/api/v1/macros/:id', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Change a macro', params: IdParamsSchema, body: UpdateMacroBodySchema, response: { 200: MacroSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    const body = request.body;
    return inUnitOfWork(db, context.bus, async (uow) => {
      const macro = await requireMacro(uow.trx, auth.workspaceId, request.params.id);
      if (body.setStatus && !(await statusExists(uow.trx, auth.workspaceId, body.setStatus))) throw unknownStatus(body.setStatus);
      await uow.trx
        .updateTable('macros')
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.body !== undefined ? { body: body.body } : {}),
          ...(body.kind !== undefined ? { kind: body.kind } : {}),
          ...(body.setStatus !== undefined ? { set_status: body.setStatus } : {}),
          updated_at: nowIso(),
        })
        .where('workspace_id', '=', auth.workspaceId)
        .where('id', '=', macro.id)
        .execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'macro.updated', subjectType: 'macro', subjectId: macro.id, payload: { fields: Object.keys(body) } });
      return presentMacro(await requireMacro(uow.trx, auth.workspaceId, macro.id));
    });
  });

  app.delete('/api/v1/macros/:id', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Delete a macro', params: IdParamsSchema, response: { 200: MacroSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const macro = await requireMacro(uow.trx, auth.workspaceId, request.params.id);
      await uow.trx.deleteFrom('macros').where('workspace_id', '=', auth.workspaceId).where('id', '=', macro.id).execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'macro.deleted', subjectType: 'macro', subjectId: macro.id, payload: { name: macro.name } });
      return presentMacro(macro);
    });
  });
}
