import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { decodeCursor, encodeCursor, pageOf, toPage } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { nowIso } from '../../lib/ids.js';
import { readListeningSettings } from '../listening/index.js';
import { z } from 'zod';
import { enqueueJob } from '../../jobs/queue.js';
import { presentThemes, themeTrend } from './theme.repo.js';
import { regroupThemes } from './theme.regroup.js';
import { ListThemesQuerySchema, RespondToThemeBodySchema, ThemeDetailSchema, ThemeSchema } from './theme.schema.js';
import { registerThemeAlerts } from './theme.alerts.js';

const tags = ['Themes'];

export function registerThemeRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  registerThemeAlerts(context);
  const regroup = context.jobs.define({
    type: 'themes.regroup',
    version: 1,
    payload: z.object({ workspaceId: z.string() }),
    handle: async (_job, payload) => void (await regroupThemes(db, context.bus, payload.workspaceId)),
  });

  app.post('/api/v1/themes/regroup', { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Rebuild all themes from all feedback (after changing the similarity setting); runs as a job', response: { 202: z.object({ jobId: z.string() }), ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const jobId = await inUnitOfWork(db, context.bus, (uow) => enqueueJob(uow.trx, regroup, { workspaceId }, { workspaceId }));
    context.pokeWorker();
    return reply.code(202).send({ jobId });
  });

  app.get('/api/v1/themes', { schema: { tags, summary: 'Themes, most recently mentioned first, with counts, sources and example quotes', querystring: ListThemesQuerySchema, response: { 200: pageOf(ThemeSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const { status, minMentions, cursor, limit } = request.query;
    const after = decodeCursor(cursor);
    let query = db.selectFrom('themes').selectAll().where('workspace_id', '=', workspaceId).where('mention_count', '>=', minMentions);
    if (status) query = query.where('status', '=', status);
    if (after) query = query.where((eb) => eb.or([eb('last_mentioned_at', '<', String(after.sortValue)), eb.and([eb('last_mentioned_at', '=', String(after.sortValue)), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('last_mentioned_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const page = toPage(rows, limit, (row) => encodeCursor(row.last_mentioned_at, row.id));
    const settings = await readListeningSettings(db, workspaceId);
    return { items: await presentThemes(db, page.items, settings.themes.windowDays), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/themes/:id', { schema: { tags, summary: 'A theme with its weekly trend', params: IdParamsSchema, response: { 200: ThemeDetailSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const row = await db.selectFrom('themes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Theme');
    const settings = await readListeningSettings(db, workspaceId);
    const [theme] = await presentThemes(db, [row], settings.themes.windowDays);
    return { ...theme!, trend: await themeTrend(db, row.id) };
  });

  app.post(
    '/api/v1/themes/:id/respond',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Answer a theme with an action (owner, due date) or a reason to dismiss it', params: IdParamsSchema, body: RespondToThemeBodySchema, response: { 200: ThemeSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId, staffId } = authOf(request);
      const body = request.body;
      await inUnitOfWork(db, context.bus, async (uow) => {
        const theme = await uow.trx.selectFrom('themes').select(['id', 'status']).where('workspace_id', '=', workspaceId).where('id', '=', request.params.id).executeTakeFirst();
        if (!theme) throw notFound('Theme');
        const now = nowIso();
        if ('action' in body) {
          const owner = await uow.trx.selectFrom('staff').select('id').where('workspace_id', '=', workspaceId).where('id', '=', body.action.ownerId).where('is_active', '=', 1).executeTakeFirst();
          if (!owner) throw new DomainError('validation_failed', 'The owner is not an active staff member of this workspace.', [{ path: 'body.action.ownerId', message: 'is not an active staff member' }]);
          await uow.trx
            .updateTable('themes')
            .set({ status: 'actioned', action_description: body.action.description, action_owner_id: owner.id, action_due_at: body.action.dueAt ? new Date(body.action.dueAt).toISOString() : null, dismiss_reason: null, responded_by: staffId, responded_at: now })
            .where('id', '=', theme.id)
            .execute();
        } else {
          await uow.trx.updateTable('themes').set({ status: 'dismissed', dismiss_reason: body.dismissReason, action_description: null, action_owner_id: null, action_due_at: null, responded_by: staffId, responded_at: now }).where('id', '=', theme.id).execute();
        }
        await context.bus.append(uow, {
          workspaceId,
          actor: actorOf(request),
          type: 'theme.responded',
          subjectType: 'theme',
          subjectId: theme.id,
          payload: 'action' in body ? { from: theme.status, to: 'actioned', ownerId: body.action.ownerId, dueAt: body.action.dueAt ?? null } : { from: theme.status, to: 'dismissed' },
        });
      });
      const row = await db.selectFrom('themes').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow();
      const settings = await readListeningSettings(db, workspaceId);
      return (await presentThemes(db, [row], settings.themes.windowDays))[0]!;
    },
  );
}
