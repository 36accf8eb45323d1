import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { roleRank, type App, type AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { parseJson } from '../../lib/json.js';
import { countTickets } from '../tickets/index.js';
import { listVisibleViews, presentSavedView, requireVisibleView, type Viewer } from './saved-view.repo.js';
import { CreateSavedViewBodySchema, SavedViewCountsSchema, SavedViewSchema, UpdateSavedViewBodySchema } from './saved-view.schema.js';
import { createSavedView, deleteSavedView, updateSavedView } from './saved-view.service.js';

const tags = ['Saved views'];

function viewerOf(request: FastifyRequest): Viewer {
  const auth = authOf(request);
  return { workspaceId: auth.workspaceId, staffId: auth.staffId, isManager: roleRank[auth.role] >= roleRank.manager };
}

/** Inbox views saved per staff member (a manager may share one with the workspace), with their counts. */
export function registerSavedViewRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/views', { schema: { tags, summary: "The caller's saved inbox views and the workspace's shared ones", response: { 200: z.object({ items: z.array(SavedViewSchema) }), ...problemResponses } } }, async (request) => {
    const viewer = viewerOf(request);
    return { items: (await listVisibleViews(db, viewer)).map((row) => presentSavedView(row, viewer)) };
  });

  app.get(
    '/api/v1/views/counts',
    { schema: { tags, summary: 'The number of tickets in each saved view the caller sees (one COUNT per view, with the same filters as the list)', response: { 200: SavedViewCountsSchema, ...problemResponses } } },
    async (request) => {
      const viewer = viewerOf(request);
      const items = [];
      for (const row of await listVisibleViews(db, viewer)) items.push({ id: row.id, count: await countTickets(db, viewer.workspaceId, viewer.staffId, parseJson(row.filters, {})) });
      return { items };
    },
  );

  app.get('/api/v1/views/:id', { schema: { tags, summary: 'A saved view', params: IdParamsSchema, response: { 200: SavedViewSchema, ...problemResponses } } }, async (request) => {
    const viewer = viewerOf(request);
    return presentSavedView(await requireVisibleView(db, viewer, request.params.id), viewer);
  });

  app.post(
    '/api/v1/views',
    { schema: { tags, summary: 'Save an inbox view (shared: true needs the manager role)', body: CreateSavedViewBodySchema, response: { 201: SavedViewSchema, ...problemResponses } } },
    async (request, reply) => {
      const view = await inUnitOfWork(db, context.bus, (uow) => createSavedView(uow, context.bus, viewerOf(request), actorOf(request), request.body));
      return reply.code(201).send(view);
    },
  );

  app.patch(
    '/api/v1/views/:id',
    { schema: { tags, summary: 'Change a saved view: your own, or a shared one as a manager', params: IdParamsSchema, body: UpdateSavedViewBodySchema, response: { 200: SavedViewSchema, ...problemResponses } } },
    async (request) => inUnitOfWork(db, context.bus, (uow) => updateSavedView(uow, context.bus, viewerOf(request), actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/views/:id',
    { schema: { tags, summary: 'Delete a saved view: your own, or a shared one as a manager', params: IdParamsSchema, response: { 200: SavedViewSchema, ...problemResponses } } },
    async (request) => inUnitOfWork(db, context.bus, (uow) => deleteSavedView(uow, context.bus, viewerOf(request), actorOf(request), request.params.id)),
  );
}
