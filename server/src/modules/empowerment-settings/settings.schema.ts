import { z } from 'zod';

const money = z.number().finite().min(0).max(1e12);
/** A limit of null means "no limit" (the owner's default). */
const LimitSchema = z.object({ perRemedy: money.nullable(), perMonth: money.nullable() }).strict();
const PartialLimitSchema = LimitSchema.partial();

export const EmpowermentSettingsSchema = z
  .object({
    hourlyCost: money.describe('Cost of one agent hour, for cost to serve'),
    bestCustomerShare: z.number().min(0).max(1).describe('Share of customers, by lifetime value, in the best tier (0.1 = top 10%)'),
    bestCustomerLimitFactor: z.number().min(1).max(100).describe('Empowerment limits are multiplied by this for best customers'),
    limits: z
      .object({
        roles: z.object({ agent: LimitSchema, manager: LimitSchema, owner: LimitSchema }).strict(),
        agents: z
          .record(z.string().min(1).max(64), PartialLimitSchema)
          .refine((agents) => Object.keys(agents).length <= 2000, 'at most 2000 agent overrides')
          .describe('Per-agent overrides by staff id'),
      })
      .strict(),
    monthlyBudget: money.nullable().describe('Remedy value the whole workspace may grant per calendar month; null = no budget'),
    commitmentReminderMinutes: z.number().int().min(1).max(10080).describe('Minutes before a commitment is due that its agent is reminded'),
    overpromiseLtvShare: z.number().min(0).max(10).describe("A promised remedy above this share of the customer's lifetime value is an overpromise"),
    pestThreshold: z.number().min(0).max(100).describe('Pest score at or above which a customer is listed for review'),
  })
  .strict();

export type EmpowermentSettings = z.infer<typeof EmpowermentSettingsSchema>;

export const UpdateEmpowermentSettingsSchema = EmpowermentSettingsSchema.omit({ limits: true })
  .partial()
  .extend({
    limits: z
      .object({
        roles: z.object({ agent: PartialLimitSchema, manager: PartialLimitSchema, owner: PartialLimitSchema }).partial().strict().optional(),
        agents: z
          .record(z.string().min(1).max(64), PartialLimitSchema.nullable())
          .refine((agents) => Object.keys(agents).length <= 2000, 'at most 2000 agent overrides')
          .optional()
          .describe('null removes an override'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type EmpowermentSettingsUpdate = z.infer<typeof UpdateEmpowermentSettingsSchema>;

export const defaultEmpowermentSettings: EmpowermentSettings = {
  hourlyCost: 30,
  bestCustomerShare: 0.1,
  bestCustomerLimitFactor: 2,
  limits: {
    roles: { agent: { perRemedy: 100, perMonth: 1000 }, manager: { perRemedy: 1000, perMonth: 20000 }, owner: { perRemedy: null, perMonth: null } },
    agents: {},
  },
  monthlyBudget: null,
  commitmentReminderMinutes: 60,
  overpromiseLtvShare: 0.25,
  pestThreshold: 50,
};
