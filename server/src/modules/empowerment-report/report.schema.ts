import { z } from 'zod';

export const EmpowermentReportQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe('Start (inclusive); default 30 days before `to`'),
    to: z.iso.datetime({ offset: true }).optional().describe('End (exclusive); default now'),
    groupBy: z.enum(['agent', 'team', 'week']).default('agent'),
  })
  .strict();

const DrillSchema = z.object({ count: z.number(), ticketIds: z.array(z.string()).describe('The tickets behind the figure (at most 1000)') });

export const EmpowermentFiguresSchema = z.object({
  resolved: DrillSchema.describe('Tickets solved or closed in the period'),
  empowered: DrillSchema.describe('Resolved tickets with no escalation and no approval request'),
  empowermentRate: z.number().nullable().describe('empowered ÷ resolved; null without resolved tickets'),
  meetsTarget: z.boolean().nullable(),
  escalations: DrillSchema.describe('Escalations on the resolved tickets (count of escalations)'),
  handoffs: DrillSchema.extend({ perTicket: z.number().nullable() }).describe('Assignee changes after the first, on the resolved tickets'),
  remedies: z.object({
    count: z.number(),
    value: z.number(),
    ticketIds: z.array(z.string()),
    byType: z.array(z.object({ type: z.string(), count: z.number(), value: z.number(), ticketIds: z.array(z.string()) })),
  }).describe('Remedies granted in the period'),
  approvals: z.object({
    requested: DrillSchema,
    approved: DrillSchema,
    denied: DrillSchema,
    pending: DrillSchema,
    medianSecondsToDecide: z.number().nullable(),
  }).describe('Exception requests made in the period'),
  promises: z.object({ kept: DrillSchema, keptEarly: DrillSchema, broken: DrillSchema }).describe('Commitments settled in the period (kept includes kept early)'),
});

export const EmpowermentReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['agent', 'team', 'week']),
  target: z.number(),
  total: EmpowermentFiguresSchema,
  groups: z.array(EmpowermentFiguresSchema.extend({ key: z.string().nullable(), label: z.string() })),
});

export const CustomerValueReportQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

export const CustomerValueReportSchema = z.object({
  customers: z.number().describe('Customers (not merged)'),
  bestCustomers: z.object({ count: z.number(), lifetimeValue: z.number(), shareOfLifetimeValue: z.number().nullable() }),
  lifetimeValue: z.number(),
  costToServe: z.number(),
  items: z
    .array(
      z.object({
        customer: z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), tier: z.string() }),
        lifetimeValue: z.number(),
        costToServe: z.number(),
        costShare: z.number().nullable().describe('cost to serve ÷ lifetime value'),
      }),
    )
    .describe('Customers by lifetime value, highest first'),
});
