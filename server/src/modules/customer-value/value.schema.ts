import { z } from 'zod';

const money = z.number().finite().min(0).max(1e12);

export const CustomerValueBodySchema = z
  .object({
    revenueToDate: money.describe('Revenue from the customer so far'),
    orders: z.number().int().min(0).max(1e9).default(0),
    expectedFutureValue: money.default(0).describe('Expected future revenue'),
  })
  .strict();

export const CustomerValueSchema = z.object({
  customerId: z.string(),
  revenueToDate: z.number(),
  orders: z.number(),
  expectedFutureValue: z.number(),
  lifetimeValue: z.number().describe('Revenue to date plus expected future revenue'),
  tier: z.string().describe('"best" for the top share by lifetime value, else "standard"'),
  handleSeconds: z.number(),
  handleCost: z.number(),
  remediesGranted: z.number(),
  costToServe: z.number().describe('Handle time × hourly cost + remedies granted'),
  source: z.enum(['api', 'import']).nullable(),
  updatedAt: z.string().nullable(),
});
export type CustomerValue = z.infer<typeof CustomerValueSchema>;

export const ImportBodySchema = z.union([z.string().max(16_000_000), z.object({ csv: z.string().max(16_000_000) }).strict()]);

export const ImportReportSchema = z.object({
  rows: z.number().describe('Data rows read'),
  created: z.number().describe('New customers'),
  updated: z.number().describe('Customers whose value changed'),
  unchanged: z.number().describe('Rows that changed nothing (importing the same file twice changes nothing)'),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});

export const HandleTimeBodySchema = z.union([
  z.object({ seconds: z.number().int().min(1).max(86_400) }).strict(),
  z.object({ action: z.enum(['start', 'stop']) }).strict(),
]);

export const HandleTimeSchema = z.object({
  ticketId: z.string(),
  staffId: z.string(),
  isRunning: z.boolean().describe('A timer is running for this agent on this ticket'),
  recordedSeconds: z.number().describe("This agent's finished handle time on the ticket"),
});
