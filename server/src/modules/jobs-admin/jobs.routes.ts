import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { DomainError, invalidState, notFound } from '../../http/errors.js';
import { decodeCursor, encodeCursor, pageOf, toPage } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { jobFromRow } from '../../jobs/queue.js';
import { nowIso } from '../../lib/ids.js';
import { JobSchema, ListJobsQuerySchema } from './jobs.schema.js';

const tags = ['Jobs'];
const admin = { minimumRole: 'manager', scope: 'admin' } as const;

function present(row: Parameters<typeof jobFromRow>[0]) {
  const { workspaceId: _workspace, ...job } = jobFromRow(row);
  return job;
}

/**
 * The durable job queue as a workspace sees it: its own jobs (webhook deliveries, emails, SLA
 * timers), so a failure is visible and can be retried. Instance-level jobs (no workspace) are not
 * listed to anyone here.
 */
export function registerJobRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/jobs', { config: admin, schema: { tags, summary: "This workspace's background jobs, newest first", querystring: ListJobsQuerySchema, response: { 200: pageOf(JobSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const cursor = decodeCursor(request.query.cursor);
    let query = db.selectFrom('jobs').selectAll().where('workspace_id', '=', workspaceId);
    if (request.query.status) query = query.where('status', '=', request.query.status);
    if (cursor) {
      if (typeof cursor.sortValue !== 'string') throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
      const after = cursor.sortValue;
      query = query.where((eb) => eb.or([eb('created_at', '<', after), eb.and([eb('created_at', '=', after), eb('id', '<', cursor.id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.query.limit + 1).execute();
    const page = toPage(rows, request.query.limit, (row) => encodeCursor(row.created_at, row.id));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  });

  app.post(
    '/api/v1/jobs/:id/retry',
    { config: admin, schema: { tags, summary: 'Queue a failed job again, with a fresh set of attempts', params: IdParamsSchema, response: { 200: JobSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const now = nowIso();
      // One conditional UPDATE: two managers pressing retry at once queue the job once.
      const updated = await db
        .updateTable('jobs')
        .set({ status: 'queued', attempts: 0, run_at: now, locked_until: null, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', request.params.id)
        .where('status', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      if (!updated) {
        const existing = await db.selectFrom('jobs').select('status').where('workspace_id', '=', workspaceId).where('id', '=', request.params.id).executeTakeFirst();
        if (!existing) throw notFound('Job');
        throw invalidState(`Only failed jobs can be retried; this one is ${existing.status}.`);
      }
      context.pokeWorker();
      return present(updated);
    },
  );
}
