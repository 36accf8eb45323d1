import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { forgetInTransaction, readOncePerTransaction, type UnitOfWork } from '../../events/events.js';
import { notFound } from '../../http/errors.js';
import { parseJson } from '../../lib/json.js';

export type WebhookRow = Row<'webhooks'>;
export type DeliveryRow = Row<'webhook_deliveries'>;

export function presentWebhook(row: WebhookRow) {
  return { id: row.id, url: row.url, eventTypes: parseJson<string[]>(row.event_types, []), active: row.is_active === 1, createdAt: row.created_at };
}

export function presentDelivery(row: DeliveryRow & { next_attempt_at?: string | null }) {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    // Pings are not events: they carry event id 0 in the table.
    eventId: Number(row.event_id) === 0 ? null : Number(row.event_id),
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.response_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at ?? null) : null,
    deliveredAt: row.delivered_at,
  };
}

/** Deliveries with their job's due time: a delivery and its job share an id. */
export function deliveriesWithNextAttempt(db: Tx, workspaceId: string) {
  return db
    .selectFrom('webhook_deliveries')
    .leftJoin('jobs', (join) => join.onRef('jobs.id', '=', 'webhook_deliveries.id').on('jobs.status', '=', 'queued'))
    .selectAll('webhook_deliveries')
    .select('jobs.run_at as next_attempt_at')
    .where('webhook_deliveries.workspace_id', '=', workspaceId);
}

export async function requireWebhook(db: Tx, workspaceId: string, id: string): Promise<WebhookRow> {
  const row = await db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Webhook');
  return row;
}

export function matchesEventType(patterns: string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}

const subscriptionsKey = (workspaceId: string) => `webhooks.subscriptions:${workspaceId}`;

/** The workspace's active webhooks and the event types each wants, read once per transaction (see readOncePerTransaction). */
export function activeSubscriptions(uow: UnitOfWork, workspaceId: string): Promise<Array<{ id: string; eventTypes: string[] }>> {
  return readOncePerTransaction(uow, subscriptionsKey(workspaceId), async () => {
    const rows = await uow.trx.selectFrom('webhooks').select(['id', 'event_types']).where('workspace_id', '=', workspaceId).where('is_active', '=', 1).execute();
    return rows.map((row) => ({ id: row.id, eventTypes: parseJson<string[]>(row.event_types, []) }));
  });
}

/** Called by every write to a workspace's webhooks, so events later in the same transaction see the change. */
export function forgetSubscriptions(uow: UnitOfWork, workspaceId: string): void {
  forgetInTransaction(uow, subscriptionsKey(workspaceId));
}
