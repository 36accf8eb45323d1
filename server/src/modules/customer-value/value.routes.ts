import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { enqueueJob } from '../../jobs/queue.js';
import { toCsv } from './csv.js';
import { importCustomerValues } from './value.import.js';
import { CustomerValueBodySchema, CustomerValueSchema, HandleTimeBodySchema, HandleTimeSchema, ImportBodySchema, ImportReportSchema } from './value.schema.js';
import { describeCustomerValue, recordHandleTime, setCustomerValue } from './value.service.js';
import { recomputeTiers } from './tiers.js';

const tags = ['Customer value'];
/**
 * Changes that can move the top-10% boundary (a new customer changes the count). A burst of them,
 * such as an inbound email storm creating customers, is coalesced into one recompute a minute.
 */
const tierMovingEvents = new Set(['customer.created', 'customer.updated', 'customer.merged', 'empowerment.settings_changed']);
const coalesceMilliseconds = 60_000;
const importBodyLimit = 16 * 1024 * 1024;

export function registerCustomerValueRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };

  const recomputeTiersJob = context.jobs.define({
    type: 'customer-value.recompute-tiers',
    version: 1,
    payload: z.object({ workspaceId: z.string() }),
    handle: async (job, payload) => {
      const events: Parameters<typeof context.bus.publish>[0] = [];
      await job.complete((trx) => recomputeTiers({ trx, events }, context.bus, payload.workspaceId, systemActor).then(() => undefined));
      context.bus.publish(events);
    },
  });
  context.bus.onAppend(async (uow, event) => {
    if (!tierMovingEvents.has(event.type)) return;
    if (event.type === 'customer.updated' && (event.payload.changes as { lifetimeValue?: number } | undefined)?.lifetimeValue === undefined) return;
    const bucket = Math.floor(Date.now() / coalesceMilliseconds) + 1;
    await enqueueJob(uow.trx, recomputeTiersJob, { workspaceId: event.workspaceId }, { id: `tiers:${event.workspaceId}:${bucket}`, workspaceId: event.workspaceId, runAt: new Date(bucket * coalesceMilliseconds).toISOString() });
  });

  app.get('/api/v1/customers/:id/value', { schema: { tags, summary: 'Lifetime value, tier and cost to serve', params: IdParamsSchema, response: { 200: CustomerValueSchema, ...problemResponses } } }, async (request) =>
    describeCustomerValue(db, authOf(request).workspaceId, request.params.id),
  );

  app.put(
    '/api/v1/customers/:id/value',
    { schema: { tags, summary: "Set a customer's revenue to date, orders and expected future value; tiers are recomputed", params: IdParamsSchema, body: CustomerValueBodySchema, response: { 200: CustomerValueSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      await inUnitOfWork(db, context.bus, (uow) => setCustomerValue(uow, services, workspaceId, actorOf(request), request.params.id, request.body));
      return describeCustomerValue(db, workspaceId, request.params.id);
    },
  );

  app.register(async (scoped) => {
    // Scoped so the CSV body parser belongs to this route alone.
    scoped.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    (scoped as unknown as App).post(
      '/api/v1/customers/import',
      {
        config: { minimumRole: 'manager' },
        // A spreadsheet of 50,000 customers is a few megabytes: more than other requests may send.
        bodyLimit: importBodyLimit,
        schema: {
          tags,
          summary: 'Import lifetime values from CSV (text/csv body, or JSON {csv}); columns email, name, revenue_to_date, orders, expected_future_value',
          body: ImportBodySchema,
          response: { 200: ImportReportSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { workspaceId } = authOf(request);
        const text = typeof request.body === 'string' ? request.body : request.body.csv;
        return importCustomerValues(db, services, workspaceId, actorOf(request), text);
      },
    );
  });

  app.get(
    '/api/v1/customers/values/export',
    { config: { minimumRole: 'manager' }, schema: { tags, summary: 'Every customer with a value, as CSV (cells that a spreadsheet would run as formulas are neutralised)', response: { 200: z.string(), ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const rows = await db
        .selectFrom('customers')
        .leftJoin('customer_values', (join) => join.onRef('customer_values.customer_id', '=', 'customers.id').onRef('customer_values.workspace_id', '=', 'customers.workspace_id'))
        .select(['customers.email', 'customers.name', 'customers.tier', 'customers.lifetime_value', 'customer_values.revenue_to_date', 'customer_values.orders', 'customer_values.expected_future_value'])
        .where('customers.workspace_id', '=', workspaceId)
        .where('customers.merged_into_id', 'is', null)
        .orderBy('customers.lifetime_value', 'desc')
        .orderBy('customers.id')
        .limit(100_000)
        .execute();
      const csv = toCsv([
        ['email', 'name', 'revenue_to_date', 'orders', 'expected_future_value', 'lifetime_value', 'tier'],
        ...rows.map((row) => [row.email, row.name, Number(row.revenue_to_date ?? 0), Number(row.orders ?? 0), Number(row.expected_future_value ?? 0), Number(row.lifetime_value), row.tier]),
      ]);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="customer-values.csv"').send(csv);
    },
  );

  app.post(
    '/api/v1/tickets/:id/handle-time',
    { schema: { tags, summary: 'Record handle time on a ticket: {seconds}, or {action: start|stop} for a timer', params: IdParamsSchema, body: HandleTimeBodySchema, response: { 200: HandleTimeSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId, staffId } = authOf(request);
      return inUnitOfWork(db, context.bus, (uow) => recordHandleTime(uow, context.bus, workspaceId, actorOf(request), staffId, request.params.id, request.body));
    },
  );
}
