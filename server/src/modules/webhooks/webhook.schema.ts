import { z } from 'zod';
import { PageQuerySchema } from '../../http/pagination.js';

/** `ticket.created`, `ticket.*` (every ticket event) or `*` (everything). */
export const EventTypePatternSchema = z
  .string()
  .max(100)
  .regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/, 'must be an event type like ticket.created, a prefix like ticket.*, or *');

const UrlSchema = z.string().trim().min(1).max(2000).describe('http:// or https:// URL that receives POSTed events');

export const CreateWebhookBodySchema = z
  .object({
    url: UrlSchema,
    eventTypes: z.array(EventTypePatternSchema).min(1).max(100).describe('Event types to deliver; "*" for all'),
  })
  .strict();

export const UpdateWebhookBodySchema = z
  .object({
    url: UrlSchema.optional(),
    eventTypes: z.array(EventTypePatternSchema).min(1).max(100).optional(),
    active: z.boolean().optional().describe('false stops deliveries (pending ones fail); true resumes for new events'),
  })
  .strict();

export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().describe('whsec_… signing secret; shown only now'),
});

export const DeliverySchema = z.object({
  id: z.string().describe('Also sent as the webhook-id header; the same on every retry'),
  webhookId: z.string(),
  eventId: z.number().nullable(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  responseStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe('When a pending delivery will be tried again'),
  deliveredAt: z.string().nullable(),
});

export const DeliveriesQuerySchema = PageQuerySchema.extend({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
}).strict();
