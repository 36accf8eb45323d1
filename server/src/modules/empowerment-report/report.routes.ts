import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { problemResponses } from '../../http/schemas.js';
import { buildCustomerValueReport } from './customer-value.report.js';
import { CustomerValueReportQuerySchema, CustomerValueReportSchema, EmpowermentReportQuerySchema, EmpowermentReportSchema } from './report.schema.js';
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

  app.get(
    '/api/v1/reports/customer-value',
    {
      config: { minimumRole: 'manager' },
      schema: { tags: ['Reports'], summary: 'Cost to serve against lifetime value, for the most valuable customers, and the best tier’s share of value', querystring: CustomerValueReportQuerySchema, response: { 200: CustomerValueReportSchema, ...problemResponses } },
    },
    async (request) => buildCustomerValueReport(db, authOf(request).workspaceId, request.query.limit),
  );
}
