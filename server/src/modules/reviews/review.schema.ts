import { z } from 'zod';
import { IdSchema, lineText } from '../../http/schemas.js';

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/ }))
  .describe('http(s) only');

export const ReviewInputSchema = z
  .object({
    source: lineText(60).transform((value) => value.toLowerCase()).describe('Where it was posted: google, trustpilot, twitter…'),
    sourceId: lineText(300).describe("The source's own id: importing the same one again changes nothing"),
    kind: z.enum(['review', 'mention']).default('review'),
    author: lineText(200).optional(),
    authorEmail: z.string().trim().max(254).pipe(z.email()).transform((email) => email.toLowerCase()).optional(),
    rating: z.number().min(0).max(5).optional().describe('Stars, 0–5'),
    text: z.string().trim().min(1).max(20_000),
    url: httpUrl.optional(),
    postedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type ReviewInput = z.output<typeof ReviewInputSchema>;

export const ReviewSchema = z.object({
  id: IdSchema,
  kind: z.enum(['review', 'mention']),
  source: z.string(),
  sourceId: z.string(),
  author: z.string().nullable(),
  authorEmail: z.string().nullable(),
  rating: z.number().nullable(),
  text: z.string(),
  url: z.string().nullable(),
  postedAt: z.string(),
  customerId: z.string().nullable(),
  ticketId: z.string().nullable(),
  sentiment: z.number(),
  isNegative: z.boolean(),
  reply: z.object({ text: z.string().nullable(), status: z.enum(['none', 'drafted', 'posted']), updatedAt: z.string().nullable() }),
  createdAt: z.string(),
});

export const ImportReviewsBodySchema = z
  .object({
    csv: z.string().min(1).max(5_000_000).describe('Header row with: source, source_id, author, author_email, rating, text, url, date (kind optional)'),
    source: lineText(60).optional().describe('Used for rows without a source column'),
  })
  .strict();

export const ImportReviewsResultSchema = z.object({
  created: z.number(),
  unchanged: z.number(),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
});

export const ListReviewsQuerySchema = z.object({
  source: z.string().max(60).optional(),
  kind: z.enum(['review', 'mention']).optional(),
  maxRating: z.coerce.number().min(0).max(5).optional(),
  replyStatus: z.enum(['none', 'drafted', 'posted']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ReplyBodySchema = z.object({ text: z.string().trim().min(1).max(10_000), status: z.enum(['drafted', 'posted']).default('drafted') }).strict();

export const RatingsBySourceSchema = z.object({ items: z.array(z.object({ source: z.string(), month: z.string(), reviews: z.number(), averageRating: z.number().nullable() })) });
