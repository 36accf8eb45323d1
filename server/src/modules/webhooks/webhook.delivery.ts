import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { eventFromRow, type StoredEvent, type UnitOfWork } from '../../events/events.js';
import { enqueueJob, PermanentJobError, type JobContext, type JobDefinition } from '../../jobs/queue.js';
import { newId, nowIso } from '../../lib/ids.js';
import { DestinationRefused, postWebhook } from './webhook.destination.js';
import { activeSubscriptions, matchesEventType } from './webhook.repo.js';
import { openSecret, signWebhook } from './webhook.signing.js';

const DeliveryJobPayload = z.object({ deliveryId: z.string() });

/**
 * After attempt n fails, wait retryDelays[n - 1]: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (the
 * schedule Standard Webhooks suggests), so a receiver that is down for most of a day loses nothing.
 */
const retryDelays = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const deliveryAttempts = retryDelays.length + 1;
export type DeliveryJob = JobDefinition<typeof DeliveryJobPayload>;

/** A delivery that no retry can send (until someone changes something). */
class Unsendable extends Error {}

/** Event id stored on ping deliveries, which answer no event. */
export const pingEventId = 0;

/** Creates the delivery row and its job in the caller's transaction: both exist iff the cause committed. */
export async function enqueueDelivery(uow: UnitOfWork, job: DeliveryJob, input: { workspaceId: string; webhookId: string; eventId: number; eventType: string }): Promise<string> {
  const id = newId();
  await uow.trx
    .insertInto('webhook_deliveries')
    .values({ id, workspace_id: input.workspaceId, webhook_id: input.webhookId, event_id: input.eventId, event_type: input.eventType, status: 'pending', attempts: 0, response_status: null, last_error: null, created_at: nowIso(), delivered_at: null, last_attempt_at: null })
    .execute();
  // The job shares the delivery's id, so the delivery log and GET /api/v1/jobs name the same thing.
  await enqueueJob(uow.trx, job, { deliveryId: id }, { workspaceId: input.workspaceId, id });
  return id;
}

/**
 * Registers the delivery job and the in-transaction listener that turns each appended event into
 * deliveries for the workspace's matching active webhooks. Subscriptions are read from the database
 * once per transaction (one indexed query) and never cached across transactions, so every node sees
 * a change at once.
 */
export function registerWebhookDelivery(context: AppContext): DeliveryJob {
  const job = context.jobs.define({
    type: 'webhook.deliver',
    version: 1,
    payload: DeliveryJobPayload,
    maxAttempts: deliveryAttempts,
    // Jitter spreads the retries of a burst that failed together.
    retryDelayMilliseconds: (attempt) => Math.round(retryDelays[Math.min(attempt, retryDelays.length) - 1]! * (0.9 + Math.random() * 0.2)),
    handle: (jobContext, payload) => deliver(context, jobContext, payload.deliveryId),
  });

  const eventsWithDeliveries = new WeakSet<StoredEvent>();
  context.bus.onAppend(async (uow, event) => {
    for (const webhook of await activeSubscriptions(uow, event.workspaceId)) {
      if (!matchesEventType(webhook.eventTypes, event.type)) continue;
      await enqueueDelivery(uow, job, { workspaceId: event.workspaceId, webhookId: webhook.id, eventId: event.id, eventType: event.type });
      eventsWithDeliveries.add(event);
    }
  });
  context.bus.onCommitted((event) => {
    if (eventsWithDeliveries.has(event)) context.pokeWorker();
  });
  return job;
}

async function deliver(context: AppContext, job: JobContext, deliveryId: string): Promise<void> {
  const { db } = job;
  const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!delivery || delivery.status === 'delivered') return;
  const webhook = await db.selectFrom('webhooks').selectAll().where('workspace_id', '=', delivery.workspace_id).where('id', '=', delivery.webhook_id).executeTakeFirst();
  if (!webhook || webhook.is_active !== 1) {
    await job.complete(async (trx) => {
      await trx.updateTable('webhook_deliveries').set({ status: 'failed', last_error: 'The webhook was deactivated before this delivery was sent.' }).where('id', '=', deliveryId).execute();
    });
    return;
  }

  let message: { type: string; timestamp: string; data: Record<string, unknown> };
  if (Number(delivery.event_id) === pingEventId) {
    message = { type: 'webhook.ping', timestamp: delivery.created_at, data: { webhookId: webhook.id, message: 'Test delivery from Raving.' } };
  } else {
    const row = await db.selectFrom('events').selectAll().where('workspace_id', '=', delivery.workspace_id).where('id', '=', delivery.event_id).executeTakeFirst();
    if (!row) throw new PermanentJobError(`event ${delivery.event_id} no longer exists`);
    const event = eventFromRow(row);
    message = { type: event.type, timestamp: event.createdAt, data: { event } };
  }
  // The body is rebuilt from the immutable event on each attempt, so every retry sends the same bytes.
  const body = JSON.stringify(message);
  const timestamp = Math.floor(Date.now() / 1000);
  const attemptedAt = nowIso();
  let failure: string;
  let responseStatus: number | null = null;
  let hopeless = false;
  try {
    let secret: string;
    try {
      secret = openSecret(context.secret, webhook.secret);
    } catch {
      throw new Unsendable('the signing secret cannot be read (was RAVING_SECRET changed?); rotate the webhook secret, then retry');
    }
    const headers = { 'webhook-id': delivery.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, delivery.id, timestamp, body) };
    const result = await postWebhook(webhook.url, body, headers, { allowPrivate: context.config.RAVING_WEBHOOK_ALLOW_PRIVATE });
    responseStatus = result.status;
    if (result.status >= 200 && result.status < 300) {
      await job.complete(async (trx) => {
        await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({ status: 'delivered', attempts: eb('attempts', '+', 1), response_status: result.status, last_error: null, last_attempt_at: attemptedAt, delivered_at: nowIso() }))
          .where('id', '=', deliveryId)
          .execute();
      });
      return;
    }
    failure = result.status >= 300 && result.status < 400 ? `answered ${result.status} (redirects are not followed)` : `answered ${result.status}${result.body ? `: ${result.body.slice(0, 300)}` : ''}`;
  } catch (error) {
    hopeless = error instanceof DestinationRefused || error instanceof Unsendable;
    failure = error instanceof DestinationRefused ? `refused: ${error.message}` : `could not deliver: ${error instanceof Error ? error.message : String(error)}`;
  }
  const final = hopeless || job.attempt >= job.maxAttempts;
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: final ? 'failed' : 'pending', attempts: eb('attempts', '+', 1), response_status: responseStatus, last_error: failure.slice(0, 1000), last_attempt_at: attemptedAt }))
    .where('id', '=', deliveryId)
    .execute();
  // Throwing hands the retry (with backoff) to the job queue; what retrying cannot fix fails at once.
  if (hopeless) throw new PermanentJobError(failure);
  throw new Error(failure);
}
