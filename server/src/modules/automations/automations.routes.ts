import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { notFound } from '../../http/errors.js';
import { IdParamsSchema, OkSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { checkActionReferences } from './automations.references.js';
import { RuleBodySchema, RulePatchSchema, RuleSchema, type Conditions } from './automations.schema.js';
import { forgetActiveRules, testRule, type RuleRow } from './automations.service.js';

const tags = ['Automations'];
const manage = { minimumRole: 'manager' as const, scope: 'admin' as const };

function presentRule(row: RuleRow) {
  return { id: row.id, name: row.name, position: row.position, trigger: row.trigger, conditions: parseJson(row.conditions, {}), actions: parseJson(row.actions, []), isActive: row.is_active === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

async function requireRule(trx: Tx, workspaceId: string, id: string): Promise<RuleRow> {
  const row = await trx.selectFrom('automation_rules').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Automation rule');
  return row;
}

const TestResultSchema = z.object({ since: z.string(), matches: z.array(z.object({ ticketId: z.string(), eventId: z.number().nullable(), at: z.string() })) });

export function registerAutomationRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/automations', { schema: { tags, summary: 'Automation rules in the order they run', response: { 200: z.object({ items: z.array(RuleSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('automation_rules').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('position').orderBy('created_at').execute();
    return { items: rows.map(presentRule) };
  });

  app.post('/api/v1/automations', { config: manage, schema: { tags, summary: 'Create a rule: when EVENT and CONDITIONS then ACTIONS', body: RuleBodySchema, response: { 201: RuleSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      await checkActionReferences(uow.trx, workspaceId, body.actions);
      const last = await uow.trx.selectFrom('automation_rules').select(({ fn }) => fn.max('position').as('max')).where('workspace_id', '=', workspaceId).executeTakeFirst();
      const now = nowIso();
      const values: RuleRow = {
        id: newId(),
        workspace_id: workspaceId,
        name: body.name,
        position: body.position ?? (last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1),
        trigger: body.trigger,
        conditions: JSON.stringify(body.conditions),
        actions: JSON.stringify(body.actions),
        is_active: body.isActive ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await uow.trx.insertInto('automation_rules').values(values).execute();
      forgetActiveRules(uow, workspaceId);
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'automation.created', subjectType: 'automation_rule', subjectId: values.id, payload: { name: values.name, trigger: values.trigger } });
      return values;
    });
    return reply.code(201).send(presentRule(row));
  });

  app.patch('/api/v1/automations/:id', { config: manage, schema: { tags, summary: 'Change a rule', params: IdParamsSchema, body: RulePatchSchema, response: { 200: RuleSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const body = request.body;
    const row = await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireRule(uow.trx, workspaceId, request.params.id);
      if (body.actions !== undefined) await checkActionReferences(uow.trx, workspaceId, body.actions);
      const changes: Partial<RuleRow> = { updated_at: nowIso() };
      if (body.name !== undefined) changes.name = body.name;
      if (body.position !== undefined) changes.position = body.position;
      if (body.conditions !== undefined) changes.conditions = JSON.stringify(body.conditions);
      if (body.actions !== undefined) changes.actions = JSON.stringify(body.actions);
      if (body.isActive !== undefined) changes.is_active = body.isActive ? 1 : 0;
      await uow.trx.updateTable('automation_rules').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      forgetActiveRules(uow, workspaceId);
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'automation.changed', subjectType: 'automation_rule', subjectId: current.id, payload: { fields: Object.keys(body) } });
      return requireRule(uow.trx, workspaceId, current.id);
    });
    return presentRule(row);
  });

  app.delete('/api/v1/automations/:id', { config: manage, schema: { tags, summary: 'Delete a rule', params: IdParamsSchema, response: { 200: OkSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireRule(uow.trx, workspaceId, request.params.id);
      await uow.trx.deleteFrom('automation_rules').where('workspace_id', '=', workspaceId).where('id', '=', current.id).execute();
      forgetActiveRules(uow, workspaceId);
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'automation.deleted', subjectType: 'automation_rule', subjectId: current.id, payload: { name: current.name } });
    });
    return { ok: true as const };
  });

  app.post('/api/v1/automations/test', { config: manage, schema: { tags, summary: 'Which tickets would this (unsaved) rule have matched in the last 7 days?', body: RuleBodySchema, response: { 200: TestResultSchema, ...problemResponses } } }, async (request) => {
    return testRule(db, authOf(request).workspaceId, { trigger: request.body.trigger, conditions: request.body.conditions }, Date.now());
  });

  app.post('/api/v1/automations/:id/test', { config: manage, schema: { tags, summary: 'Which tickets would this rule have matched in the last 7 days?', params: IdParamsSchema, response: { 200: TestResultSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const rule = await db.transaction().execute((trx) => requireRule(trx, workspaceId, request.params.id));
    return testRule(db, workspaceId, { trigger: rule.trigger, conditions: parseJson<Conditions>(rule.conditions, {}) }, Date.now());
  });
}
