import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, IdSchema, OkSchema, lineText, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { requireTicket } from '../tickets/index.js';
import { attachPlaybook, presentAttachment, requirePlaybook, tickStep, type PlaybookRow, type Step } from './playbooks.service.js';

const tags = ['Playbooks'];
const manage = { minimumRole: 'manager' as const, scope: 'admin' as const };

const StepInput = z.object({ id: z.string().regex(/^[a-z0-9_-]{1,40}$/).optional(), title: lineText(200), required: z.boolean().default(false) }).strict();
const PlaybookBody = z.object({ name: lineText(120), steps: z.array(StepInput).min(1).max(100) }).strict();
const PlaybookPatch = z.object({ name: lineText(120).optional(), steps: z.array(StepInput).min(1).max(100).optional() }).strict();
const StepSchema = z.object({ id: z.string(), title: z.string(), required: z.boolean() });
const PlaybookSchema = z.object({ id: z.string(), name: z.string(), steps: z.array(StepSchema), createdAt: z.string(), updatedAt: z.string() });
const AttachmentSchema = z.object({
  id: z.string(),
  playbookId: z.string(),
  name: z.string(),
  steps: z.array(StepSchema.extend({ done: z.boolean(), doneAt: z.string().nullable() })),
  attachedAt: z.string(),
  completedAt: z.string().nullable(),
});

function normalizeSteps(steps: z.output<typeof StepInput>[]): Step[] {
  const used = new Set<string>();
  return steps.map((step, index) => {
    let id = step.id ?? `step-${index + 1}`;
    while (used.has(id)) id = `${id}-${index + 1}`;
    used.add(id);
    return { id, title: step.title, required: step.required };
  });
}

const presentPlaybook = (row: PlaybookRow) => ({ id: row.id, name: row.name, steps: parseJson<Step[]>(row.steps, []), createdAt: row.created_at, updatedAt: row.updated_at });

export function registerPlaybookRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/playbooks', { schema: { tags, summary: 'Playbooks (named checklists)', response: { 200: z.object({ items: z.array(PlaybookSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('playbooks').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('name').execute();
    return { items: rows.map(presentPlaybook) };
  });

  app.post('/api/v1/playbooks', { config: manage, schema: { tags, summary: 'Create a playbook; required steps block solving', body: PlaybookBody, response: { 201: PlaybookSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      const now = nowIso();
      const values: PlaybookRow = { id: newId(), workspace_id: workspaceId, name: request.body.name, steps: JSON.stringify(normalizeSteps(request.body.steps)), created_at: now, updated_at: now };
      await uow.trx.insertInto('playbooks').values(values).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'playbook.created', subjectType: 'playbook', subjectId: values.id, payload: { name: values.name } });
      return values;
    });
    return reply.code(201).send(presentPlaybook(row));
  });

  app.patch('/api/v1/playbooks/:id', { config: manage, schema: { tags, summary: 'Change a playbook (tickets keep the steps they were given)', params: IdParamsSchema, body: PlaybookPatch, response: { 200: PlaybookSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requirePlaybook(uow.trx, workspaceId, request.params.id);
      await uow.trx
        .updateTable('playbooks')
        .set({ ...(request.body.name ? { name: request.body.name } : {}), ...(request.body.steps ? { steps: JSON.stringify(normalizeSteps(request.body.steps)) } : {}), updated_at: nowIso() })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', current.id)
        .execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'playbook.changed', subjectType: 'playbook', subjectId: current.id, payload: { fields: Object.keys(request.body) } });
      return presentPlaybook(await requirePlaybook(uow.trx, workspaceId, current.id));
    });
  });

  app.delete('/api/v1/playbooks/:id', { config: manage, schema: { tags, summary: 'Delete a playbook (already attached checklists stay)', params: IdParamsSchema, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requirePlaybook(uow.trx, workspaceId, request.params.id);
      await uow.trx.deleteFrom('playbooks').where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      // Ticket types that gave this playbook give none from now on.
      await uow.trx.updateTable('ticket_types').set({ playbook_id: null, updated_at: nowIso() }).where('workspace_id', '=', workspaceId).where('playbook_id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'playbook.deleted', subjectType: 'playbook', subjectId: current.id, payload: { name: current.name } });
    });
    return { ok: true as const };
  });

  app.get('/api/v1/tickets/:id/playbooks', { schema: { tags, summary: "The ticket's checklists", params: IdParamsSchema, response: { 200: z.object({ items: z.array(AttachmentSchema) }), ...problemResponses } } }, async (request) => {
    const ticket = await requireTicket(db, authOf(request).workspaceId, request.params.id);
    const rows = await db.selectFrom('ticket_playbooks').selectAll().where('workspace_id', '=', ticket.workspace_id).where('ticket_id', '=', ticket.id).orderBy('attached_at').execute();
    return { items: rows.map(presentAttachment) };
  });

  app.post('/api/v1/tickets/:id/playbooks', { schema: { tags, summary: 'Attach a playbook to a ticket', params: IdParamsSchema, body: z.object({ playbookId: IdSchema }).strict(), response: { 201: AttachmentSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const row = await inUnitOfWork(db, context.bus, (uow) => attachPlaybook(uow, context.bus, workspaceId, actorOf(request), request.params.id, request.body.playbookId));
    return reply.code(201).send(presentAttachment(row));
  });

  app.post(
    '/api/v1/tickets/:id/playbooks/:attachmentId/steps/:stepId',
    { schema: { tags, summary: 'Tick or untick a step', params: z.object({ id: IdSchema, attachmentId: IdSchema, stepId: IdSchema }).strict(), body: z.object({ done: z.boolean() }).strict(), response: { 200: AttachmentSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const row = await inUnitOfWork(db, context.bus, (uow) => tickStep(uow, context.bus, workspaceId, actorOf(request), request.params.id, request.params.attachmentId, request.params.stepId, request.body.done));
      return presentAttachment(row);
    },
  );
}
