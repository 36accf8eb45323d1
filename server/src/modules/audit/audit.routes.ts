import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { eventFromRow } from '../../events/events.js';
import { authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, pageOf, PageQuerySchema, toPage } from '../../http/pagination.js';
import { problemResponses } from '../../http/schemas.js';
import { EventSchema } from '../tickets/index.js';

const AuditQuerySchema = PageQuerySchema.extend({
  type: z.string().max(80).optional().describe('Event type, e.g. ticket.assigned'),
  subjectId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
}).strict();

/** The audit log is the event table read newest first; nothing else is written to build it. */
export function registerAuditRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get(
    '/api/v1/events',
    { config: { minimumRole: 'manager' }, schema: { tags: ['Audit'], summary: 'Audit log: every recorded change, newest first', querystring: AuditQuerySchema, response: { 200: pageOf(EventSchema), ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const cursor = decodeCursor(request.query.cursor);
      let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
      if (request.query.type) query = query.where('type', '=', request.query.type);
      if (request.query.subjectId) query = query.where('subject_id', '=', request.query.subjectId);
      if (request.query.actorId) query = query.where('actor_id', '=', request.query.actorId);
      if (cursor) {
        // Event ids are integers; anything else in a cursor was not handed out by this route.
        if (!Number.isSafeInteger(cursor.sortValue)) throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
        query = query.where('id', '<', Number(cursor.sortValue));
      }
      const rows = await query.orderBy('id', 'desc').limit(request.query.limit + 1).execute();
      const page = toPage(rows, request.query.limit, (row) => encodeCursor(Number(row.id), String(row.id)));
      return { items: page.items.map(eventFromRow), nextCursor: page.nextCursor };
    },
  );
}
