import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { EmpowermentReportQuerySchema, EmpowermentReportSchema } from './report.schema.js';
import { buildEmpowermentReport } from './report.service.js';

export function registerEmpowermentReportRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get(
    '/api/v1/reports/empowerment',
    {
      config: { minimumRole: 'manager' },
      schema: {
        tags: ['Reports'],
        summary: 'Empowerment rate (target 95%), escalations, handoffs, remedies, approvals and promises per agent, team or week; every figure lists its tickets',
        querystring: EmpowermentReportQuerySchema,
        response: { 200: EmpowermentReportSchema, ...problemResponses },
      },
    },
    async (request) => buildEmpowermentReport(db, authOf(request).workspaceId, request.query),
  );
}
