import { z } from 'zod';
import { lineText } from '../../http/schemas.js';
import { MessageSchema, TicketSchema } from '../tickets/index.js';

export const remedyTypes = ['refund', 'replacement', 'credit', 'discount', 'goodwill', 'custom'] as const;
export const RemedyTypeSchema = z.enum(remedyTypes);

export const ApprovalSchema = z.object({
  id: z.string(),
  remedyId: z.string(),
  ticketId: z.string(),
  requestedBy: z.string(),
  requestReason: z.string(),
  status: z.enum(['pending', 'approved', 'denied']),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  heldReply: z
    .object({ text: z.string(), status: z.string().nullable(), state: z.enum(['held', 'sent', 'returned']), messageId: z.string().nullable() })
    .nullable()
    .describe('The reply written with the request: held until a decision, sent on approval, returned to the agent on denial'),
});

export const RemedySchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  customerId: z.string(),
  staffId: z.string(),
  type: RemedyTypeSchema,
  label: z.string().nullable(),
  value: z.number(),
  note: z.string(),
  status: z.enum(['granted', 'pending', 'denied']),
  grantedAt: z.string().nullable(),
  createdAt: z.string(),
  approval: ApprovalSchema.nullable(),
});

export const LimitCheckSchema = z.object({
  perRemedy: z.number().nullable().describe('Largest single remedy this agent may grant alone for this customer; null = no limit'),
  perMonth: z.number().nullable().describe("Agent's monthly allowance; null = no limit"),
  usedThisMonth: z.number().describe('Value the agent granted alone this calendar month (workspace time zone)'),
  workspaceBudget: z.number().nullable(),
  workspaceUsedThisMonth: z.number(),
  isBestCustomer: z.boolean(),
  factor: z.number().describe('Multiplier applied because the customer is a best customer (1 otherwise)'),
});

export const GrantRemedyBodySchema = z
  .object({
    type: RemedyTypeSchema,
    label: lineText(100).optional().describe('Name of a custom remedy'),
    value: z.number().finite().min(0).max(1e9),
    note: z.string().max(2000).default(''),
    reason: z.string().max(2000).optional().describe('Why, for the manager, should the remedy need approval'),
    reply: z.object({ text: z.string().trim().min(1).max(100_000), status: z.string().max(40).optional() }).strict().optional().describe('Reply to the customer in the same action: sent with a granted remedy; held with an exception request and sent when a manager approves it'),
  })
  .strict()
  .refine((body) => body.type !== 'custom' || Boolean(body.label), { message: 'a custom remedy needs a label', path: ['label'] });

export const GrantRemedyResponseSchema = z.object({
  outcome: z.enum(['granted', 'approval_requested']),
  reasons: z.array(z.enum(['over_per_remedy_limit', 'over_monthly_limit', 'over_workspace_budget'])).describe('Why approval is needed'),
  remedy: RemedySchema,
  limits: LimitCheckSchema,
  message: MessageSchema.nullable().describe('The reply, when one was sent'),
  ticket: TicketSchema.nullable(),
});

export const ListApprovalsQuerySchema = z.object({ status: z.enum(['pending', 'approved', 'denied', 'all']).default('pending'), limit: z.coerce.number().int().min(1).max(200).default(100) }).strict();

export const ApprovalWithRemedySchema = ApprovalSchema.extend({
  remedy: RemedySchema.omit({ approval: true }),
  ticket: z.object({ id: z.string(), number: z.number(), subject: z.string() }),
  customer: z.object({ id: z.string(), name: z.string(), tier: z.string(), lifetimeValue: z.number() }),
});

export const DecisionBodySchema = z.object({ decision: z.enum(['approve', 'deny']), reason: z.string().trim().min(1).max(2000) }).strict();

export const LimitsQuerySchema = z.object({ ticketId: z.string().max(64).optional() }).strict();
