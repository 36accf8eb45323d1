import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { problemResponses } from '../../http/schemas.js';
import { momentsReport } from './moments.report.js';

const QuerySchema = z.object({ from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(), to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional() }).strict();
const ReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  weeks: z.array(z.object({ weekStart: z.string(), truth: z.number().int(), misery: z.number().int(), magic: z.number().int(), miseryTicketIds: z.array(z.string()), magicTicketIds: z.array(z.string()) })),
  recovery: z.object({ closed: z.number().int(), recovered: z.number().int(), rate: z.number().nullable(), recoveredTicketIds: z.array(z.string()), notRecoveredTicketIds: z.array(z.string()) }),
  timeToRecoverHours: z.object({ median: z.number().nullable(), p90: z.number().nullable(), slowestTicketIds: z.array(z.string()) }),
  topRootCauses: z.array(z.object({ problemId: z.string(), category: z.string(), title: z.string(), count: z.number().int(), ticketIds: z.array(z.string()) })),
  lifetimeValueAtRisk: z.object({ total: z.number(), customerIds: z.array(z.string()), ticketIds: z.array(z.string()) }),
});

export function registerRecoveryReportRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  app.get(
    '/api/v1/reports/moments',
    { config: { minimumRole: 'manager' }, schema: { tags: ['Reports'], summary: 'Moments of truth, magic and misery per week, recovery rate, time to recover, top root causes, lifetime value at risk; with ticket ids', querystring: QuerySchema, response: { 200: ReportSchema, ...problemResponses } } },
    async (request) => {
      const to = request.query.to ? new Date(request.query.to).toISOString() : new Date(Date.now() + 1000).toISOString();
      const from = request.query.from ? new Date(request.query.from).toISOString() : new Date(Date.parse(to) - 12 * 7 * 86_400_000).toISOString();
      if (from >= to) throw new DomainError('validation_failed', '`from` must be before `to`.', [{ path: 'querystring.from', message: 'is not before to' }]);
      return momentsReport(db, authOf(request).workspaceId, { from, to });
    },
  );
}
