import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError, invalidState } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { checkDestination, DestinationRefused } from './webhook.destination.js';
import { enqueueDelivery, pingEventId, type DeliveryJob } from './webhook.delivery.js';
import { forgetSubscriptions, requireWebhook, type WebhookRow } from './webhook.repo.js';
import { newWebhookSecret, sealSecret } from './webhook.signing.js';

export interface WebhookServices {
  bus: EventBus;
  /** The instance secret that seals signing secrets at rest. */
  instanceSecret: string;
  allowPrivate: boolean;
  job: DeliveryJob;
}

/** Runs before the transaction: resolving a name must not hold the database's write lock. */
export async function requireAllowedDestination(url: string, allowPrivate: boolean): Promise<string> {
  try {
    return (await checkDestination(url, allowPrivate)).toString();
  } catch (error) {
    if (error instanceof DestinationRefused) throw new DomainError('webhook_destination_refused', error.message, [{ path: 'body.url', message: error.message }]);
    throw error;
  }
}

/** Each event fans out to every matching webhook in its transaction; a cap keeps that bounded. */
export const maxActiveWebhooks = 20;

async function ensureRoomForAnother(uow: UnitOfWork, workspaceId: string): Promise<void> {
  const { count } = await uow.trx.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId).where('is_active', '=', 1).executeTakeFirstOrThrow();
  if (Number(count) >= maxActiveWebhooks) throw invalidState(`A workspace can have at most ${maxActiveWebhooks} active webhooks; deactivate one first.`);
}

export async function createWebhook(uow: UnitOfWork, services: WebhookServices, workspaceId: string, actor: Actor, input: { url: string; eventTypes: string[] }): Promise<{ row: WebhookRow; secret: string }> {
  await ensureRoomForAnother(uow, workspaceId);
  const secret = newWebhookSecret();
  const row: WebhookRow = { id: newId(), workspace_id: workspaceId, url: input.url, event_types: JSON.stringify([...new Set(input.eventTypes)]), secret: sealSecret(services.instanceSecret, secret), is_active: 1, created_at: nowIso() };
  await uow.trx.insertInto('webhooks').values(row).execute();
  forgetSubscriptions(uow, workspaceId);
  await services.bus.append(uow, { workspaceId, actor, type: 'webhook.created', subjectType: 'webhook', subjectId: row.id, payload: { url: row.url, eventTypes: JSON.parse(row.event_types) } });
  return { row, secret };
}

export async function updateWebhook(uow: UnitOfWork, services: WebhookServices, workspaceId: string, actor: Actor, id: string, changes: { url?: string; eventTypes?: string[]; active?: boolean }): Promise<WebhookRow> {
  const existing = await requireWebhook(uow.trx, workspaceId, id);
  const set: Partial<WebhookRow> = {};
  const recorded: Record<string, unknown> = {};
  if (changes.url !== undefined && changes.url !== existing.url) {
    set.url = changes.url;
    recorded.url = changes.url;
  }
  if (changes.eventTypes !== undefined) {
    const eventTypes = JSON.stringify([...new Set(changes.eventTypes)]);
    if (eventTypes !== existing.event_types) {
      set.event_types = eventTypes;
      recorded.eventTypes = JSON.parse(eventTypes);
    }
  }
  if (changes.active !== undefined && (changes.active ? 1 : 0) !== existing.is_active) {
    if (changes.active) await ensureRoomForAnother(uow, workspaceId);
    set.is_active = changes.active ? 1 : 0;
  }
  if (Object.keys(set).length === 0) return existing;
  await uow.trx.updateTable('webhooks').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  forgetSubscriptions(uow, workspaceId);
  if (Object.keys(recorded).length > 0) await services.bus.append(uow, { workspaceId, actor, type: 'webhook.updated', subjectType: 'webhook', subjectId: id, payload: recorded });
  if (set.is_active !== undefined) await services.bus.append(uow, { workspaceId, actor, type: set.is_active ? 'webhook.activated' : 'webhook.deactivated', subjectType: 'webhook', subjectId: id });
  return { ...existing, ...set };
}

/** The old secret stops working at once; receivers must switch to the new one. */
export async function rotateWebhookSecret(uow: UnitOfWork, services: WebhookServices, workspaceId: string, actor: Actor, id: string): Promise<{ row: WebhookRow; secret: string }> {
  const existing = await requireWebhook(uow.trx, workspaceId, id);
  const secret = newWebhookSecret();
  const sealed = sealSecret(services.instanceSecret, secret);
  await uow.trx.updateTable('webhooks').set({ secret: sealed }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  await services.bus.append(uow, { workspaceId, actor, type: 'webhook.secret_rotated', subjectType: 'webhook', subjectId: id });
  return { row: { ...existing, secret: sealed }, secret };
}

export async function sendTestDelivery(uow: UnitOfWork, services: WebhookServices, workspaceId: string, id: string): Promise<string> {
  const webhook = await requireWebhook(uow.trx, workspaceId, id);
  if (webhook.is_active !== 1) throw invalidState('The webhook is deactivated; activate it before sending a test.');
  return enqueueDelivery(uow, services.job, { workspaceId, webhookId: id, eventId: pingEventId, eventType: 'webhook.ping' });
}
