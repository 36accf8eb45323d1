import { z } from 'zod';
import { IdSchema } from '../../http/schemas.js';
import { feedbackSources } from './feedback.service.js';

export const FeedbackItemSchema = z.object({
  id: IdSchema,
  source: z.enum(feedbackSources),
  sourceId: z.string(),
  customerId: z.string().nullable(),
  ticketId: z.string().nullable(),
  ticket: z.object({ number: z.number().int(), subject: z.string() }).nullable().describe('The linked ticket, named for the reader; null when there is none'),
  text: z.string(),
  sentiment: z.number().describe('-1 (negative) … 1 (positive)'),
  sentimentLabel: z.enum(['negative', 'neutral', 'positive']),
  themes: z.array(z.object({ id: z.string(), label: z.string() })),
  createdAt: z.string(),
});

export const ListFeedbackQuerySchema = z.object({
  source: z.enum(feedbackSources).optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  themeId: IdSchema.optional(),
  customerId: IdSchema.optional(),
  ticketId: IdSchema.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
