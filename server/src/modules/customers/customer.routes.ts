
import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { decodeCursor, encodeCursor, pageOf, PageQuerySchema, toPage } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { newId, nowIso } from '../../lib/ids.js';
import { countCustomers, listCustomers } from './customer.list.js';
import { presentCustomer, presentOrganization, requireCustomer, requireOrganization } from './customer.repo.js';
import {
  CreateCustomerBodySchema,
  CountCustomersQuerySchema,
  CreateOrganizationBodySchema,
  CustomerSchema,
  ListCustomersQuerySchema,
  MergeCustomersBodySchema,
  OrganizationSchema,
  UpdateCustomerBodySchema,
  UpdateOrganizationBodySchema,
} from './customer.schema.js';
import { createCustomer, mergeCustomers, updateCustomer } from './customer.service.js';

const tags = ['Customers'];

export function registerCustomerRoutes(app: App, context: AppContext): void {
  const { db, dialect } = context.database;
  const services = { bus: context.bus, dialect };

  app.get(
    '/api/v1/customers',
    { schema: { tags, summary: 'List customers: searched, filtered, sorted, cursor-paginated', querystring: ListCustomersQuerySchema, response: { 200: pageOf(CustomerSchema), ...problemResponses } } },
    async (request) => listCustomers(db, authOf(request).workspaceId, request.query),
  );

  app.get(
    '/api/v1/customers/count',
    { schema: { tags, summary: 'The exact number of customers matching the filters (the same filters as the list)', querystring: CountCustomersQuerySchema, response: { 200: z.object({ count: z.number() }), ...problemResponses } } },
    async (request) => ({ count: await countCustomers(db, authOf(request).workspaceId, request.query) }),
  );

  app.post('/api/v1/customers', { schema: { tags, summary: 'Create a customer', body: CreateCustomerBodySchema, response: { 201: CustomerSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const row = await inUnitOfWork(db, context.bus, (uow) => createCustomer(uow, services, workspaceId, actorOf(request), request.body));
    return reply.code(201).send(presentCustomer(row));
  });

  app.get('/api/v1/customers/:id', { schema: { tags, summary: 'A customer', params: IdParamsSchema, response: { 200: CustomerSchema, ...problemResponses } } }, async (request) =>
    presentCustomer(await requireCustomer(db, authOf(request).workspaceId, request.params.id)),
  );

  app.patch('/api/v1/customers/:id', { schema: { tags, summary: 'Update a customer', params: IdParamsSchema, body: UpdateCustomerBodySchema, response: { 200: CustomerSchema, ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const row = await inUnitOfWork(db, context.bus, (uow) => updateCustomer(uow, services, workspaceId, actorOf(request), request.params.id, request.body));
    return presentCustomer(row);
  });

  app.post(
    '/api/v1/customers/:id/merge',
    { schema: { tags, summary: 'Merge a duplicate customer into this one', params: IdParamsSchema, body: MergeCustomersBodySchema, response: { 200: CustomerSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      return inUnitOfWork(db, context.bus, (uow) => mergeCustomers(uow, services, workspaceId, actorOf(request), request.params.id, request.body.sourceCustomerId));
    },
  );

  const orgTags = ['Organizations'];
  app.get('/api/v1/organizations', { schema: { tags: orgTags, summary: 'List organizations', querystring: PageQuerySchema.strict(), response: { 200: pageOf(OrganizationSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const cursor = decodeCursor(request.query.cursor);
    let query = db.selectFrom('organizations').selectAll().where('workspace_id', '=', workspaceId);
    if (cursor) query = query.where((eb) => eb.or([eb('name', '>', String(cursor.sortValue)), eb.and([eb('name', '=', String(cursor.sortValue)), eb('id', '>', cursor.id)])]));
    const rows = await query.orderBy('name').orderBy('id').limit(request.query.limit + 1).execute();
    const page = toPage(rows, request.query.limit, (row) => encodeCursor(row.name, row.id));
    return { items: page.items.map(presentOrganization), nextCursor: page.nextCursor };
  });

  app.post('/api/v1/organizations', { schema: { tags: orgTags, summary: 'Create an organization', body: CreateOrganizationBodySchema, response: { 201: OrganizationSchema, ...problemResponses } } }, async (request, reply) => {
    const { workspaceId } = authOf(request);
    const row = { id: newId(), workspace_id: workspaceId, name: request.body.name, domain: request.body.domain?.toLowerCase() ?? null, created_at: nowIso() };
    await inUnitOfWork(db, context.bus, async (uow) => {
      await uow.trx.insertInto('organizations').values(row).execute();
      await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'organization.created', subjectType: 'organization', subjectId: row.id, payload: { name: row.name } });
    });
    return reply.code(201).send(presentOrganization(row));
  });

  app.get('/api/v1/organizations/:id', { schema: { tags: orgTags, summary: 'An organization', params: IdParamsSchema, response: { 200: OrganizationSchema, ...problemResponses } } }, async (request) =>
    presentOrganization(await requireOrganization(db, authOf(request).workspaceId, request.params.id)),
  );

  app.patch(
    '/api/v1/organizations/:id',
    { schema: { tags: orgTags, summary: 'Update an organization', params: IdParamsSchema, body: UpdateOrganizationBodySchema, response: { 200: OrganizationSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      return inUnitOfWork(db, context.bus, async (uow) => {
        const current = await requireOrganization(uow.trx, workspaceId, request.params.id);
        const next = { ...current, name: request.body.name ?? current.name, domain: request.body.domain === undefined ? current.domain : (request.body.domain?.toLowerCase() ?? null) };
        await uow.trx.updateTable('organizations').set({ name: next.name, domain: next.domain }).where('id', '=', current.id).execute();
        await context.bus.append(uow, { workspaceId, actor: actorOf(request), type: 'organization.updated', subjectType: 'organization', subjectId: current.id, payload: request.body });
        return presentOrganization(next);
      });
    },
  );
}

