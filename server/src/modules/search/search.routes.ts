import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { searchDocuments } from './search.index.js';

const SearchQuerySchema = z
  .object({
    q: z.string().min(1).max(200),
    kind: z.enum(['ticket', 'message', 'customer']).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const SearchHitSchema = z.object({ kind: z.enum(['ticket', 'message', 'customer']), refId: z.string(), ticketId: z.string().nullable(), snippet: z.string() });

export function registerSearchRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  app.get(
    '/api/v1/search',
    { schema: { tags: ['Search'], summary: 'Full-text search over ticket subjects, messages and customers (prefix matching, all words)', querystring: SearchQuerySchema, response: { 200: z.object({ items: z.array(SearchHitSchema) }), ...problemResponses } } },
    async (request) => ({
      items: await searchDocuments(db, dialect, { workspaceId: authOf(request).workspaceId, query: request.query.q, kinds: request.query.kind ? [request.query.kind] : undefined, limit: request.query.limit }),
    }),
  );
}
