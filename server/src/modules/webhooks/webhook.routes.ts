import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, pageOf, PageQuerySchema, toPage } from '../../http/pagination.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { registerWebhookDelivery } from './webhook.delivery.js';
import { deliveriesWithNextAttempt, presentDelivery, presentWebhook, requireWebhook } from './webhook.repo.js';
import { CreateWebhookBodySchema, DeliveriesQuerySchema, DeliverySchema, UpdateWebhookBodySchema, WebhookSchema, WebhookWithSecretSchema } from './webhook.schema.js';
import { createWebhook, requireAllowedDestination, rotateWebhookSecret, sendTestDelivery, updateWebhook, type WebhookServices } from './webhook.service.js';

const tags = ['Webhooks'];
const admin = { minimumRole: 'manager', scope: 'admin' } as const;

export function registerWebhookRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const services: WebhookServices = { bus: context.bus, instanceSecret: context.secret, allowPrivate: context.config.RAVING_WEBHOOK_ALLOW_PRIVATE, job: registerWebhookDelivery(context) };

  app.get('/api/v1/webhooks', { config: admin, schema: { tags, summary: 'Webhook subscriptions of this workspace', querystring: PageQuerySchema.strict(), response: { 200: pageOf(WebhookSchema), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    const cursor = decodeCursor(request.query.cursor);
    let query = db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId);
    if (cursor) query = query.where('id', '>', cursor.id);
    const rows = await query.orderBy('id').limit(request.query.limit + 1).execute();
    const page = toPage(rows, request.query.limit, (row) => encodeCursor(row.id, row.id));
    return { items: page.items.map(presentWebhook), nextCursor: page.nextCursor };
  });

  app.post(
    '/api/v1/webhooks',
    { config: admin, schema: { tags, summary: 'Subscribe a URL to event types; the signing secret is shown only in this answer', body: CreateWebhookBodySchema, response: { 201: WebhookWithSecretSchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const url = await requireAllowedDestination(request.body.url, services.allowPrivate);
      const created = await inUnitOfWork(db, context.bus, (uow) => createWebhook(uow, services, workspaceId, actorOf(request), { url, eventTypes: request.body.eventTypes }));
      return reply.code(201).send({ ...presentWebhook(created.row), secret: created.secret });
    },
  );

  app.get('/api/v1/webhooks/:id', { config: admin, schema: { tags, summary: 'A webhook subscription', params: IdParamsSchema, response: { 200: WebhookSchema, ...problemResponses } } }, async (request) =>
    presentWebhook(await requireWebhook(db, authOf(request).workspaceId, request.params.id)),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    { config: admin, schema: { tags, summary: 'Change the URL or event types, or deactivate / reactivate', params: IdParamsSchema, body: UpdateWebhookBodySchema, response: { 200: WebhookSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const url = request.body.url === undefined ? undefined : await requireAllowedDestination(request.body.url, services.allowPrivate);
      const row = await inUnitOfWork(db, context.bus, (uow) => updateWebhook(uow, services, workspaceId, actorOf(request), request.params.id, { ...request.body, url }));
      return presentWebhook(row);
    },
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { config: admin, schema: { tags, summary: 'Deactivate a webhook (its delivery log is kept)', params: IdParamsSchema, response: { 200: WebhookSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      return presentWebhook(await inUnitOfWork(db, context.bus, (uow) => updateWebhook(uow, services, workspaceId, actorOf(request), request.params.id, { active: false })));
    },
  );

  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    { config: admin, schema: { tags, summary: 'Replace the signing secret; the new one is shown only in this answer', params: IdParamsSchema, response: { 200: WebhookWithSecretSchema, ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      const rotated = await inUnitOfWork(db, context.bus, (uow) => rotateWebhookSecret(uow, services, workspaceId, actorOf(request), request.params.id));
      return { ...presentWebhook(rotated.row), secret: rotated.secret };
    },
  );

  app.post(
    '/api/v1/webhooks/:id/test',
    { config: admin, schema: { tags, summary: 'Send a webhook.ping delivery now', params: IdParamsSchema, response: { 202: DeliverySchema, ...problemResponses } } },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const deliveryId = await inUnitOfWork(db, context.bus, (uow) => sendTestDelivery(uow, services, workspaceId, request.params.id));
      context.pokeWorker();
      const row = await deliveriesWithNextAttempt(db, workspaceId).where('webhook_deliveries.id', '=', deliveryId).executeTakeFirstOrThrow();
      return reply.code(202).send(presentDelivery(row));
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    { config: admin, schema: { tags, summary: 'Delivery log, newest first: status, attempts, last response', params: IdParamsSchema, querystring: DeliveriesQuerySchema, response: { 200: pageOf(DeliverySchema), ...problemResponses } } },
    async (request) => {
      const { workspaceId } = authOf(request);
      await requireWebhook(db, workspaceId, request.params.id);
      const cursor = decodeCursor(request.query.cursor);
      let query = deliveriesWithNextAttempt(db, workspaceId).where('webhook_deliveries.webhook_id', '=', request.params.id);
      if (request.query.status) query = query.where('webhook_deliveries.status', '=', request.query.status);
      if (cursor) {
        if (typeof cursor.sortValue !== 'string') throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
        const after = String(cursor.sortValue);
        query = query.where((eb) => eb.or([eb('webhook_deliveries.created_at', '<', after), eb.and([eb('webhook_deliveries.created_at', '=', after), eb('webhook_deliveries.id', '<', cursor.id)])]));
      }
      const rows = await query.orderBy('webhook_deliveries.created_at', 'desc').orderBy('webhook_deliveries.id', 'desc').limit(request.query.limit + 1).execute();
      const page = toPage(rows, request.query.limit, (row) => encodeCursor(row.created_at, row.id));
      return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor };
    },
  );
}
