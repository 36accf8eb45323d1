import { z } from 'zod';

export const ListPestsQuerySchema = z
  .object({
    days: z.coerce.number().int().min(1).max(730).default(90).describe('Window for contact, remedy and language signals'),
    minScore: z.coerce.number().min(0).max(100).optional().describe('Defaults to the workspace pest threshold'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const PestReasonSchema = z.object({
  code: z.enum(['cost_exceeds_value', 'frequent_contact', 'frequent_remedies', 'abusive_language']),
  points: z.number(),
  message: z.string(),
});

export const PestSchema = z.object({
  customer: z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), tier: z.string(), lifetimeValue: z.number() }),
  score: z.number().describe('0–100'),
  reasons: z.array(PestReasonSchema),
  costToServe: z.number(),
  tickets: z.number(),
  remedies: z.number(),
  abusiveMessages: z.number(),
  ticketIds: z.array(z.string()).describe('Tickets in the window, for review'),
});

export const PestListSchema = z.object({ items: z.array(PestSchema), threshold: z.number(), from: z.string(), to: z.string() });
