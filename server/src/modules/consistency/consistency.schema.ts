import { z } from 'zod';

const Instant = z.string().datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const ConsistencyQuerySchema = z
  .object({
    from: Instant.describe('Start (inclusive) of the period, by ticket creation time'),
    to: Instant.describe('End (exclusive) of the period'),
    groupBy: z.enum(['agent', 'team', 'channel', 'week']).default('week'),
  })
  .strict()
  .refine((query) => query.from < query.to, { message: 'from must be before to', path: ['to'] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 400 * 86_400_000, { message: 'the period may be at most 400 days', path: ['to'] });

const Distribution = z.object({
  count: z.number(),
  inBusinessTime: z.number().describe("How many of the values are business minutes: a first response under an SLA first-response target is measured on that policy's calendar, as its clock counts it (pending pauses excluded); other values are wall-clock minutes"),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  spread: z.number().nullable().describe('p90 ÷ p50: how much slower the slow tickets are than the typical one'),
  ticketIds: z.array(z.string()),
  slowestTicketIds: z.array(z.string()).describe('Tickets at or above p90'),
});

const Attainment = z.object({
  due: z.number(),
  met: z.number(),
  breached: z.number(),
  rate: z.number().nullable().describe('met ÷ due'),
  metTicketIds: z.array(z.string()),
  breachedTicketIds: z.array(z.string()),
});

const Summary = {
  tickets: z.number(),
  ticketIds: z.array(z.string()),
  attainment: z.record(z.string(), Attainment),
  firstResponseMinutes: Distribution,
  resolutionMinutes: Distribution,
};

export const ConsistencyReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['agent', 'team', 'channel', 'week']),
  overall: z.object(Summary),
  groups: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      ...Summary,
      weeks: z.array(z.object({ week: z.string().describe('Monday of the ISO week (UTC)'), ...Summary })).describe('The same figures week by week (empty when grouping by week)'),
    }),
  ),
  playbooks: z
    .array(z.object({ playbookId: z.string(), name: z.string(), attached: z.number(), completionRate: z.number().describe('completed ÷ attached'), completedTicketIds: z.array(z.string()), incompleteTicketIds: z.array(z.string()) }))
    .describe("Checklists given to the period's tickets, per playbook, and how many were finished"),
  outsideStandard: z.array(z.object({ ticketId: z.string(), number: z.number(), reasons: z.array(z.string()) })),
});
