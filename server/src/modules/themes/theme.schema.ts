import { z } from 'zod';
import { IdSchema } from '../../http/schemas.js';

export const ThemeStatusSchema = z.enum(['watching', 'alerted', 'actioned', 'dismissed']);

export const ThemeSchema = z.object({
  id: IdSchema,
  label: z.string(),
  status: ThemeStatusSchema.describe('alerted = reached the Three Times Rule and needs an action or a reason'),
  mentionCount: z.number(),
  distinctSourcesInWindow: z.number().describe('Distinct customers (or sources for anonymous items) inside the window'),
  windowDays: z.number(),
  recentWeeks: z.array(z.object({ week: z.string(), mentions: z.number() })).describe('Mentions in each of the last 12 ISO weeks (Monday, UTC), oldest first, zeros included'),
  sources: z.record(z.string(), z.number()).describe('Mentions per feedback source'),
  examples: z.array(z.object({ feedbackItemId: z.string(), source: z.string(), quote: z.string(), ticketId: z.string().nullable(), createdAt: z.string() })),
  ticketIds: z.array(z.string()),
  alertedAt: z.string().nullable(),
  action: z.object({ description: z.string(), ownerId: z.string().nullable(), dueAt: z.string().nullable() }).nullable(),
  dismissReason: z.string().nullable(),
  respondedBy: z.string().nullable(),
  respondedAt: z.string().nullable(),
  lastMentionedAt: z.string(),
  createdAt: z.string(),
});

export const ThemeDetailSchema = ThemeSchema.extend({
  trend: z.array(z.object({ week: z.string(), mentions: z.number() })).describe('Mentions per ISO week start (UTC), oldest first'),
});

export const ListThemesQuerySchema = z.object({
  status: ThemeStatusSchema.optional(),
  minMentions: z.coerce.number().int().min(1).max(1000).default(1),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const text = (max: number) => z.string().trim().min(1).max(max);

export const RespondToThemeBodySchema = z.union([
  z.object({ action: z.object({ description: text(2000), ownerId: IdSchema, dueAt: z.iso.datetime({ offset: true }).optional() }).strict() }).strict(),
  z.object({ dismissReason: text(2000) }).strict(),
]);
