import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { consistencyReport } from './consistency.report.js';
import { ConsistencyQuerySchema, ConsistencyReportSchema } from './consistency.schema.js';

export function registerConsistencyRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  app.get(
    '/api/v1/reports/consistency',
    {
      config: { minimumRole: 'manager' },
      schema: {
        tags: ['Reports'],
        summary: 'SLA attainment, p50/p90/p99 and spread of response and resolution times, and every ticket outside the standard',
        querystring: ConsistencyQuerySchema,
        response: { 200: ConsistencyReportSchema, ...problemResponses },
      },
    },
    async (request) => consistencyReport(db, dialect, authOf(request).workspaceId, request.query),
  );
}
