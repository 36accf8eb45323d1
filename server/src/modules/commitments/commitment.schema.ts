import { z } from 'zod';
import { remedyTypes } from '../remedies/index.js';

export const CommitmentSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  customerId: z.string(),
  staffId: z.string(),
  description: z.string(),
  dueAt: z.string(),
  remedy: z.object({ type: z.string(), value: z.number() }).nullable(),
  status: z.enum(['open', 'kept', 'broken']),
  isKeptEarly: z.boolean().describe('Kept ahead of expectations: with at least 20% of the promised time to spare'),
  settledAt: z.string().nullable(),
  createdAt: z.string(),
});

export const OverpromiseWarningSchema = z.object({
  code: z.enum(['over_per_remedy_limit', 'over_monthly_limit', 'over_workspace_budget', 'over_customer_value']),
  message: z.string(),
});

export const CreateCommitmentBodySchema = z
  .object({
    description: z.string().trim().min(1).max(500),
    dueAt: z.iso.datetime({ offset: true }).describe('When the promise falls due (ISO-8601)'),
    remedy: z.object({ type: z.enum(remedyTypes), value: z.number().finite().min(0).max(1e9) }).strict().optional().describe('A remedy promised to the customer, checked for overpromising'),
  })
  .strict();

export const CreateCommitmentResponseSchema = CommitmentSchema.extend({ warnings: z.array(OverpromiseWarningSchema) });

export const SuggestBodySchema = z
  .object({
    text: z.string().max(100_000),
    now: z.iso.datetime({ offset: true }).optional().describe('Read relative times from this instant instead of the server clock'),
  })
  .strict();

export const SuggestionSchema = z.object({ phrase: z.string(), sentence: z.string(), dueAt: z.string() });

export const ListCommitmentsQuerySchema = z
  .object({
    status: z.enum(['open', 'kept', 'broken', 'all']).default('open'),
    staffId: z.string().max(64).optional().describe('"me" for your own promises'),
    dueBefore: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
