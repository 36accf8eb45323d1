import { z } from 'zod';
import { IdSchema, lineText } from '../../http/schemas.js';

const minutes = z.number().int().min(1).max(525_600).nullable();
const list = (max: number) => z.array(lineText(max)).max(50).optional();

export const ConditionsSchema = z
  .object({
    priorities: z.array(z.enum(['low', 'normal', 'high', 'urgent'])).max(4).optional(),
    tiers: list(64),
    channels: list(64),
    tags: z.array(lineText(64).transform((tag) => tag.toLowerCase())).max(50).optional().describe('Any one of these tags matches'),
  })
  .strict();

const TargetsSchema = z
  .object({
    firstResponse: minutes.optional().describe('Business minutes from creation to the first public reply'),
    nextResponse: minutes.optional().describe('Business minutes from a customer message to the next reply'),
    resolution: minutes.optional().describe('Business minutes from creation to solved'),
  })
  .strict();

export const PolicyBodySchema = z
  .object({
    name: lineText(120),
    position: z.number().int().min(0).max(10_000).optional().describe('Lower is tried first; defaults to after the last'),
    conditions: ConditionsSchema.default({}),
    targets: TargetsSchema,
    warningPercent: z.number().int().min(1).max(99).default(80).describe('Warn when this share of the target has elapsed'),
    calendarId: IdSchema.nullable().default(null).describe("Business hours to measure in; default: the ticket's team, then the workspace"),
    isActive: z.boolean().default(true),
  })
  .strict();

export const PolicyPatchSchema = z
  .object({
    name: lineText(120).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    conditions: ConditionsSchema.optional(),
    targets: TargetsSchema.optional(),
    warningPercent: z.number().int().min(1).max(99).optional(),
    calendarId: IdSchema.nullable().optional(),
    isActive: z.boolean().optional(),
  })
  .strict();

export const PolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  conditions: z.object({ priorities: z.array(z.string()).optional(), tiers: z.array(z.string()).optional(), channels: z.array(z.string()).optional(), tags: z.array(z.string()).optional() }),
  targets: z.object({ firstResponse: z.number().nullable(), nextResponse: z.number().nullable(), resolution: z.number().nullable() }),
  warningPercent: z.number(),
  calendarId: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const TicketSlaSchema = z.object({
  policy: z.object({ id: z.string(), name: z.string() }).nullable(),
  evaluatedAt: z.string(),
  targets: z.array(
    z.object({
      metric: z.enum(['first_response', 'next_response', 'resolution']),
      targetMinutes: z.number(),
      startedAt: z.string(),
      dueAt: z.string().nullable(),
      warningAt: z.string().nullable(),
      metAt: z.string().nullable(),
      breachedAt: z.string().nullable(),
      elapsedMinutes: z.number().describe('Business minutes the clock has run'),
      remainingMinutes: z.number().describe('Business minutes left; negative once breached'),
      status: z.enum(['running', 'paused', 'met', 'breached']),
    }),
  ),
});
