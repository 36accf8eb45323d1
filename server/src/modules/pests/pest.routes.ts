import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { ListPestsQuerySchema, PestListSchema } from './pest.schema.js';
import { listPests } from './pest.service.js';

export function registerPestRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get(
    '/api/v1/pests',
    {
      config: { minimumRole: 'manager' },
      schema: { tags: ['Pests'], summary: 'Customers whose cost to serve or behaviour outweighs their value, with the reasons, for review; nothing is done to them automatically', querystring: ListPestsQuerySchema, response: { 200: PestListSchema, ...problemResponses } },
    },
    async (request) => listPests(db, authOf(request).workspaceId, request.query),
  );
}
