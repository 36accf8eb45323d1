import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { parseJson } from '../../lib/json.js';

export type WebhookRow = Row<'webhooks'>;
export type DeliveryRow = Row<'webhook_deliveries'>;

export function presentWebhook(row: WebhookRow) {
  return { id: row.id, url: row.url, eventTypes: parseJson<string[]>(row.event_types, []), active: row.is_active === 1, createdAt: row.created_at };
}

export function presentDelivery(row: DeliveryRow) {
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
    deliveredAt: row.delivered_at,
  };
}

export async function requireWebhook(db: Tx, workspaceId: string, id: string): Promise<WebhookRow> {
  const row = await db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Webhook');
  return row;
}

export function matchesEventType(patterns: string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}
