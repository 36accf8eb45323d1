import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { IdSchema, OkSchema, lineText, problemResponses } from '../../http/schemas.js';
import { nowIso } from '../../lib/ids.js';
import { TicketTypeKeySchema } from '../tickets/index.js';
import { checkPlaybook, presentTicketType, requireTicketType, type TicketTypeRow } from './ticket-types.service.js';

const tags = ['Ticket types'];
const manage = { minimumRole: 'manager' as const, scope: 'admin' as const };

const TypeBody = z
  .object({
    key: TicketTypeKeySchema.describe('Stable key stored on tickets, e.g. refund'),
    label: lineText(80),
    playbookId: IdSchema.nullable().default(null).describe('Given to every ticket that gets this type'),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
const TypePatch = z.object({ label: lineText(80).optional(), playbookId: IdSchema.nullable().optional(), position: z.number().int().min(0).max(10_000).optional() }).strict();
const TypeSchema = z.object({ key: z.string(), label: z.string(), playbookId: z.string().nullable(), position: z.number(), createdAt: z.string(), updatedAt: z.string() });
const KeyParams = z.object({ key: TicketTypeKeySchema }).strict();

export function registerTicketTypeRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/ticket-types', { schema: { tags, summary: "The workspace's ticket types, in order", response: { 200: z.object({ items: z.array(TypeSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('ticket_types').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('position').orderBy('label').execute();
    return { items: rows.map(presentTicketType) };
  });

  app.post('/api/v1/ticket-types', { config: manage, schema: { tags, summary: 'Add a ticket type, optionally with the playbook its tickets get', body: TypeBody, response: { 201: TypeSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      const existing = await uow.trx.selectFrom('ticket_types').select('key').where('workspace_id', '=', workspaceId).where('key', '=', body.key).executeTakeFirst();
      if (existing) throw new DomainError('conflict', `A ticket type with the key "${body.key}" already exists.`, [{ path: 'body.key', message: 'is already used' }]);
      await checkPlaybook(uow.trx, workspaceId, body.playbookId);
      const last = await uow.trx.selectFrom('ticket_types').select(({ fn }) => fn.max('position').as('max')).where('workspace_id', '=', workspaceId).executeTakeFirst();
      const now = nowIso();
      const values: TicketTypeRow = { workspace_id: workspaceId, key: body.key, label: body.label, playbook_id: body.playbookId, position: body.position ?? (last?.max == null ? 0 : Number(last.max) + 1), created_at: now, updated_at: now };
      await uow.trx.insertInto('ticket_types').values(values).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'ticket_type.created', subjectType: 'ticket_type', subjectId: values.key, payload: { label: values.label, playbookId: values.playbook_id } });
      return values;
    });
    return reply.code(201).send(presentTicketType(row));
  });

  app.patch('/api/v1/ticket-types/:key', { config: manage, schema: { tags, summary: 'Rename, reorder or change the playbook (tickets already given one keep it)', params: KeyParams, body: TypePatch, response: { 200: TypeSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    return inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireTicketType(uow.trx, workspaceId, request.params.key);
      await checkPlaybook(uow.trx, workspaceId, body.playbookId);
      const changes: Partial<TicketTypeRow> = { updated_at: nowIso() };
      if (body.label !== undefined) changes.label = body.label;
      if (body.playbookId !== undefined) changes.playbook_id = body.playbookId;
      if (body.position !== undefined) changes.position = body.position;
      await uow.trx.updateTable('ticket_types').set(changes).where('workspace_id', '=', workspaceId).where('key', '=', current.key).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'ticket_type.changed', subjectType: 'ticket_type', subjectId: current.key, payload: { fields: Object.keys(body) } });
      return presentTicketType(await requireTicketType(uow.trx, workspaceId, current.key));
    });
  });

  app.delete('/api/v1/ticket-types/:key', { config: manage, schema: { tags, summary: 'Remove a ticket type no ticket has', params: KeyParams, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireTicketType(uow.trx, workspaceId, request.params.key);
      const used = await uow.trx.selectFrom('tickets').select(({ fn }) => fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId).where('type_key', '=', current.key).executeTakeFirst();
      const count = Number(used?.count ?? 0);
      if (count > 0) throw new DomainError('invalid_state', `${count} ticket${count === 1 ? ' has' : 's have'} the type "${current.label}": give them another type first.`);
      await uow.trx.deleteFrom('ticket_types').where('workspace_id', '=', workspaceId).where('key', '=', current.key).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'ticket_type.deleted', subjectType: 'ticket_type', subjectId: current.key, payload: { label: current.label } });
    });
    return { ok: true as const };
  });
}
