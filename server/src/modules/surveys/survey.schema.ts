import { z } from 'zod';
import { IdSchema } from '../../http/schemas.js';
import { surveyKinds, surveyStages } from '../listening/index.js';
import { breakdownKeys } from './survey.summary.js';

export const SendSurveyBodySchema = z.object({ customerId: IdSchema, ticketId: IdSchema.optional(), kind: z.enum(surveyKinds) }).strict();

export const SurveyInvitationSchema = z.object({
  id: z.string(),
  kind: z.enum(surveyKinds),
  stage: z.enum(surveyStages),
  customerId: z.string(),
  ticketId: z.string().nullable(),
  agentId: z.string().nullable(),
  recipientEmail: z.string().nullable(),
  delivery: z.string().describe('email = queued for the customer (see /api/v1/email/outbox); suppressed = the address bounced or had too much automatic mail; no_email = the customer has no address'),
  link: z.string().describe('The survey page; no sign-in needed'),
  ratingLinks: z.array(z.object({ score: z.number(), url: z.string() })).describe('One link per rating, for the email; each only preselects'),
  expiresAt: z.string(),
  answeredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const SendSurveyResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), invitation: SurveyInvitationSchema }),
  z.object({ status: z.literal('throttled'), lastAskedAt: z.string() }),
]);

export const ListInvitationsQuerySchema = z.object({
  status: z.enum(['pending', 'answered']).optional(),
  customerId: IdSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const SurveyResponseSchema = z.object({
  id: z.string(),
  invitationId: z.string(),
  kind: z.enum(surveyKinds),
  score: z.number().nullable(),
  answers: z.array(z.object({ questionId: z.string(), type: z.string(), score: z.number() })),
  feelings: z.array(z.string()),
  comment: z.string().nullable(),
  ticketId: z.string().nullable(),
  customerId: z.string(),
  agentId: z.string().nullable(),
  createdAt: z.string(),
});

export const ListResponsesQuerySchema = z.object({
  kind: z.enum(surveyKinds).optional(),
  ticketId: IdSchema.optional(),
  agentId: IdSchema.optional(),
  customerId: IdSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const SurveySummaryQuerySchema = z.object({ since: z.iso.datetime({ offset: true }).optional(), agentId: IdSchema.optional() });
export const SurveySummarySchema = z.object({
  invitations: z.number(),
  responses: z.number(),
  responseRate: z.number().nullable(),
  csat: z.object({ responses: z.number(), average: z.number().nullable(), satisfiedShare: z.number().nullable().describe('share of 4 and 5') }),
  nps: z.object({ responses: z.number(), score: z.number().nullable().describe('% promoters (9–10) − % detractors (0–6)') }),
  ces: z.object({ responses: z.number(), average: z.number().nullable() }),
  gratefulShare: z.number().nullable().describe('Responses with a positive comment or the "grateful" feeling ÷ responses'),
});

export const SurveyBreakdownQuerySchema = z.object({ by: z.enum(breakdownKeys).default('week'), since: z.iso.datetime({ offset: true }).optional() });
export const SurveyBreakdownSchema = z.object({
  by: z.enum(breakdownKeys),
  items: z.array(SurveySummarySchema.extend({ key: z.string().nullable().describe('week (Monday, UTC), staff id, team id or channel; null = none'), label: z.string() })),
});
