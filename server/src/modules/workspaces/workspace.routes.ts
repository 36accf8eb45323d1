import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { problemResponses } from '../../http/schemas.js';
import { createSession, findUserById, listMemberships, MembershipSchema, setSessionCookie } from '../auth/index.js';
import { findWorkspace, listStatuses, findStatus, countWorkspaces } from './workspace.repo.js';
import { createWorkspaceWithOwner, runFirstSetup } from './workspace.service.js';
import {
  CreateStatusBodySchema,
  CreateWorkspaceBodySchema,
  SetupBodySchema,
  SetupStatusSchema,
  StatusParamsSchema,
  TicketStatusSchema,
  UpdateStatusBodySchema,
  UpdateWorkspaceBodySchema,
  WorkspaceSchema,
} from './workspace.schema.js';

const tags = ['Workspaces'];

function presentWorkspace(row: { id: string; name: string; slug: string; time_zone: string; created_at: string }) {
  return { id: row.id, name: row.name, slug: row.slug, timeZone: row.time_zone, createdAt: row.created_at };
}

export interface SetupDemo {
  /** Fills the new workspace with the demo desk, signing its owner in with the password just chosen. */
  fill(owner: { workspaceId: string; ownerStaffId: string; ownerEmail: string; ownerPassword: string }): Promise<void>;
  /** The share of the demo desk made so far (0 to 1) while setup fills it, otherwise null. */
  progress(): number | null;
}

export function registerWorkspaceRoutes(app: App, context: AppContext, demo: SetupDemo): void {
  const { db, dialect } = context.database;

  app.get('/api/v1/setup', { config: { access: 'public' }, schema: { tags, summary: 'Whether first-run setup is still needed, and how far the demo data is while setup makes it', response: { 200: SetupStatusSchema } } }, async () => {
    const demoProgress = demo.progress();
    return { setupNeeded: (await countWorkspaces(db)) === 0, ...(demoProgress === null ? {} : { demoProgress }) };
  });

  app.post(
    '/api/v1/setup',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Create the first workspace and its owner, and sign the owner in (with demo data: once the demo desk is lived, which takes a while)', body: SetupBodySchema, response: { 201: z.object({ workspaceId: z.string(), userId: z.string(), csrfToken: z.string() }), ...problemResponses } },
    },
    async (request, reply) => {
      const result = await inUnitOfWork(db, context.bus, async (uow) => {
        const setup = await runFirstSetup(uow, context.bus, dialect, request.body);
        const session = await createSession(uow.trx, setup.userId, setup.workspaceId);
        return { ...setup, session };
      });
      // The owner is signed in only once the demo desk is made: nobody works in a half-lived workspace.
      if (request.body.demo) await demo.fill({ workspaceId: result.workspaceId, ownerStaffId: result.staffId, ownerEmail: request.body.email, ownerPassword: request.body.password });
      setSessionCookie(context, request, reply, result.session.token, result.session.expiresAt);
      return reply.code(201).send({ workspaceId: result.workspaceId, userId: result.userId, csrfToken: result.session.csrfToken });
    },
  );

  app.get('/api/v1/workspaces', { config: { access: 'user' }, schema: { tags, summary: 'Workspaces the signed-in user belongs to', response: { 200: z.object({ items: z.array(MembershipSchema) }), ...problemResponses } } }, async (request) => {
    const userId = request.auth?.userId ?? request.userOnly!.userId;
    return { items: await listMemberships(db, userId) };
  });

  app.post(
    '/api/v1/workspaces',
    { config: { access: 'user' }, schema: { tags, summary: 'Create another workspace (instance owner only)', body: CreateWorkspaceBodySchema, response: { 201: WorkspaceSchema, ...problemResponses } } },
    async (request, reply) => {
      const userId = request.auth?.userId ?? request.userOnly!.userId;
      const user = await findUserById(db, userId);
      if (!user?.is_instance_owner) throw new DomainError('forbidden', "Only the instance's owner can create workspaces.");
      const created = await inUnitOfWork(db, context.bus, (uow) =>
        createWorkspaceWithOwner(uow, context.bus, { name: request.body.name, timeZone: request.body.timeZone, ownerUserId: userId, actor: { type: 'system', id: null } }),
      );
      return reply.code(201).send(presentWorkspace((await findWorkspace(db, created.workspaceId))!));
    },
  );

  app.get('/api/v1/workspace', { schema: { tags, summary: 'The current workspace', response: { 200: WorkspaceSchema, ...problemResponses } } }, async (request) => {
    const workspace = await findWorkspace(db, authOf(request).workspaceId);
    if (!workspace) throw notFound('Workspace');
    return presentWorkspace(workspace);
  });

  app.patch(
    '/api/v1/workspace',
    { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags, summary: 'Rename the workspace or change its time zone', body: UpdateWorkspaceBodySchema, response: { 200: WorkspaceSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      await inUnitOfWork(db, context.bus, async (uow) => {
        const changes = { ...(request.body.name ? { name: request.body.name } : {}), ...(request.body.timeZone ? { time_zone: request.body.timeZone } : {}) };
        if (Object.keys(changes).length === 0) return;
        await uow.trx.updateTable('workspaces').set(changes).where('id', '=', workspaceId).execute();
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'workspace.updated', subjectType: 'workspace', subjectId: workspaceId, payload: request.body });
      });
      return presentWorkspace((await findWorkspace(db, workspaceId))!);
    },
  );

  app.get('/api/v1/ticket-statuses', { schema: { tags, summary: 'Ticket statuses of this workspace, each mapped to a fixed category', response: { 200: z.object({ items: z.array(TicketStatusSchema) }), ...problemResponses } } }, async (request) => ({
    items: await listStatuses(db, authOf(request).workspaceId),
  }));

  app.post(
    '/api/v1/ticket-statuses',
    { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags, summary: 'Add a status mapped onto a category', body: CreateStatusBodySchema, response: { 201: TicketStatusSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const status = await inUnitOfWork(db, context.bus, async (uow) => {
        if (await findStatus(uow.trx, workspaceId, request.body.key)) throw new DomainError('conflict', `A status with key "${request.body.key}" exists already.`);
        const statuses = await listStatuses(uow.trx, workspaceId);
        const row = { workspace_id: workspaceId, key: request.body.key, label: request.body.label, category: request.body.category, position: statuses.length };
        await uow.trx.insertInto('ticket_statuses').values(row).execute();
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'ticket_status.created', subjectType: 'ticket_status', subjectId: row.key, payload: request.body });
        return row;
      });
      return reply.code(201).send(status);
    },
  );

  app.patch(
    '/api/v1/ticket-statuses/:key',
    { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags, summary: 'Rename or reorder a status', params: StatusParamsSchema, body: UpdateStatusBodySchema, response: { 200: TicketStatusSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      return inUnitOfWork(db, context.bus, async (uow) => {
        const existing = await findStatus(uow.trx, workspaceId, request.params.key);
        if (!existing) throw notFound('Status');
        const updated = { ...existing, ...request.body };
        await uow.trx.updateTable('ticket_statuses').set({ label: updated.label, position: updated.position }).where('workspace_id', '=', workspaceId).where('key', '=', existing.key).execute();
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'ticket_status.updated', subjectType: 'ticket_status', subjectId: existing.key, payload: request.body });
        return updated;
      });
    },
  );
}
