import { z } from 'zod';
import { IdSchema, lineText } from '../../http/schemas.js';
import { CriterionSchema } from './mystery-shop.criteria.js';

export const FormSchema = z.object({ id: z.string(), name: z.string(), criteria: z.array(z.object({ key: z.string(), label: z.string(), weight: z.number() })), createdAt: z.string() });
export const CreateFormBodySchema = z.object({ name: lineText(120), criteria: z.array(CriterionSchema).min(1).max(30) }).strict();

export const CreateEvaluationBodySchema = z
  .object({ formId: IdSchema.optional(), shopperName: lineText(120), channel: lineText(40).optional(), validDays: z.number().int().min(1).max(90).default(14) })
  .strict();

export const EvaluationSchema = z.object({
  id: z.string(),
  formId: z.string(),
  formName: z.string(),
  shopperName: z.string(),
  channel: z.string().nullable(),
  link: z.string().nullable().describe('Signed link for the shopper; null once submitted'),
  scores: z.record(z.string(), z.number()).nullable(),
  score: z.number().nullable().describe('0–100'),
  note: z.string().nullable(),
  submittedBy: z.enum(['shopper', 'manager']).nullable(),
  expiresAt: z.string(),
  submittedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const SubmitEvaluationBodySchema = z.object({ scores: z.record(z.string().max(40), z.number()), note: z.string().max(10_000).optional() }).strict();

export const ScoresQuerySchema = z.object({ interval: z.enum(['week', 'month']).default('month'), formId: IdSchema.optional() });
export const ScoresSchema = z.object({
  items: z.array(z.object({ period: z.string(), evaluations: z.number(), averageScore: z.number().nullable(), criteria: z.record(z.string(), z.number()) })),
});
