import { z } from 'zod';
import { IdSchema, lineText } from '../../http/schemas.js';
import { TicketTypeKeySchema } from '../tickets/index.js';

export const triggerTypes = ['ticket.created', 'message.created', 'ticket.status_changed', 'ticket.priority_changed', 'ticket.tags_changed', 'ticket.assigned', 'ticket.team_changed', 'ticket.type_changed', 'sla.warning', 'sla.breached', 'time'] as const;

const tag = lineText(64).transform((value) => value.toLowerCase());

export const ConditionsSchema = z
  .object({
    priorities: z.array(z.enum(['low', 'normal', 'high', 'urgent'])).max(4).optional(),
    statusCategories: z.array(z.enum(['new', 'open', 'pending', 'on_hold', 'solved', 'closed'])).max(6).optional(),
    channels: z.array(lineText(64)).max(50).optional(),
    tiers: z.array(lineText(64)).max(50).optional(),
    types: z.array(TicketTypeKeySchema).max(50).optional().describe('The ticket has one of these ticket types'),
    tagsAny: z.array(tag).max(50).optional().describe('The ticket has at least one of these tags'),
    tagsNone: z.array(tag).max(50).optional().describe('The ticket has none of these tags'),
    subjectContains: lineText(200).optional().describe('Case-insensitive'),
    assigned: z.boolean().optional(),
    messageKind: z.enum(['inbound', 'outbound', 'note']).optional().describe('For message.created: which kind of message'),
    hoursSinceUpdate: z.number().min(0.01).max(24 * 365).optional().describe('Time-based rules: hours without any change to the ticket'),
  })
  .strict();

export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), staffId: IdSchema.nullable() }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.enum(['low', 'normal', 'high', 'urgent']) }).strict(),
  z.object({ type: z.literal('set_status'), status: lineText(64) }).strict(),
  z.object({ type: z.literal('set_team'), teamId: IdSchema.nullable() }).strict(),
  z.object({ type: z.literal('add_tag'), tag }).strict(),
  z.object({ type: z.literal('set_type'), typeKey: TicketTypeKeySchema.nullable().describe('A ticket type key (its playbook comes with it), or null for none') }).strict(),
  z.object({ type: z.literal('add_note'), text: z.string().trim().min(1).max(10_000) }).strict(),
  z.object({ type: z.literal('attach_playbook'), playbookId: IdSchema }).strict(),
  z.object({ type: z.literal('notify_staff'), staffIds: z.array(IdSchema).max(50).default([]), message: lineText(500) }).strict(),
  z.object({ type: z.literal('apply_macro'), macroId: IdSchema }).strict().describe("Adds the macro's text (reply or note) with its variables filled in, and sets its status"),
  z
    .object({ type: z.literal('send_email'), text: z.string().trim().min(1).max(10_000).describe('May use macro variables such as {{customer.first_name}}') })
    .strict()
    .describe("Writes to the customer on the ticket's email thread, marked as automatic mail"),
]);

export const RuleBodySchema = z
  .object({
    name: lineText(120),
    position: z.number().int().min(0).max(10_000).optional(),
    trigger: z.enum(triggerTypes),
    conditions: ConditionsSchema.default({}),
    actions: z.array(ActionSchema).min(1).max(20),
    isActive: z.boolean().default(true),
  })
  .strict()
  .refine((rule) => (rule.trigger === 'time') === (rule.conditions.hoursSinceUpdate !== undefined), { message: 'time-based rules need conditions.hoursSinceUpdate, and only they may have it', path: ['conditions', 'hoursSinceUpdate'] });

export const RulePatchSchema = z
  .object({
    name: lineText(120).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    conditions: ConditionsSchema.optional(),
    actions: z.array(ActionSchema).min(1).max(20).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();

export const RuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  trigger: z.string(),
  conditions: z.record(z.string(), z.unknown()),
  actions: z.array(z.record(z.string(), z.unknown())),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Conditions = z.output<typeof ConditionsSchema>;
export type Action = z.output<typeof ActionSchema>;
