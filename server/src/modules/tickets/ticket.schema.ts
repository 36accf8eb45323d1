import { z } from 'zod';
import { EmailSchema, lineText } from '../../http/schemas.js';
import { PageQuerySchema } from '../../http/pagination.js';
import { CustomFieldsSchema } from '../customers/index.js';
import { statusCategories } from '../workspaces/index.js';

export const PrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export const ChannelSchema = z.enum(['email', 'web', 'chat', 'portal', 'phone', 'api', 'internal', 'social']);
export const TicketTypeKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lowercase letters, digits, - or _');
export const MessageKindSchema = z.enum(['inbound', 'outbound', 'note']);
export const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}_\-.:/ ]+$/u, 'letters, digits, spaces and _ - . : / only')
  .transform((tag) => tag.toLowerCase());

export const CustomerSummarySchema = z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), tier: z.string(), lifetimeValue: z.number() });

export const TicketSchema = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  statusCategory: z.string(),
  priority: PrioritySchema,
  channel: z.string(),
  customerId: z.string(),
  customer: CustomerSummarySchema.nullable(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  type: z.string().nullable().describe("A key of the workspace's ticket types"),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  mergedIntoId: z.string().nullable(),
  linkedTicketIds: z.array(z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  waitingSince: z.string().nullable().describe("The customer's earliest message not yet answered by an agent; null when nobody is waiting (answered, solved or closed)"),
});

export const MessageSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  kind: MessageKindSchema,
  authorType: z.enum(['customer', 'staff', 'system']),
  authorId: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

const MessageBodyFields = {
  text: z.string().max(200_000).optional(),
  html: z.string().max(1_000_000).optional(),
};

const CustomerReferenceSchema = z.union([
  z.object({ id: z.string().max(64) }).strict(),
  z.object({ email: EmailSchema, name: lineText(200).optional() }).strict(),
]);

export const CreateTicketBodySchema = z
  .object({
    subject: lineText(500),
    customer: CustomerReferenceSchema,
    message: z.object({ ...MessageBodyFields, kind: z.enum(['inbound', 'outbound']).default('inbound') }).strict().optional(),
    priority: PrioritySchema.default('normal'),
    channel: ChannelSchema.default('api'),
    status: z.string().max(40).optional(),
    assigneeId: z.string().max(64).nullable().optional(),
    teamId: z.string().max(64).nullable().optional(),
    type: TicketTypeKeySchema.nullable().optional(),
    tags: z.array(TagSchema).max(30).optional(),
    customFields: CustomFieldsSchema.optional(),
  })
  .strict();

export const UpdateTicketBodySchema = z
  .object({
    subject: lineText(500).optional(),
    status: z.string().max(40).optional(),
    priority: PrioritySchema.optional(),
    assigneeId: z.string().max(64).nullable().optional(),
    teamId: z.string().max(64).nullable().optional(),
    type: TicketTypeKeySchema.nullable().optional().describe('A ticket type key, or null for none; a type with a playbook attaches it'),
    tags: z.array(TagSchema).max(30).optional().describe('Replaces all tags'),
    customFields: CustomFieldsSchema.optional(),
  })
  .strict();

export const ChangeTagsBodySchema = z.object({ add: z.array(TagSchema).max(30).default([]), remove: z.array(TagSchema).max(30).default([]) }).strict();

export const CreateMessageBodySchema = z
  .object({
    kind: z.enum(['reply', 'note', 'inbound']).describe('reply: to the customer; note: internal; inbound: from the customer (integrations, chat)'),
    ...MessageBodyFields,
    status: z.string().max(40).optional().describe('Send and set status'),
  })
  .strict()
  .refine((body) => (body.text?.trim() ?? '') !== '' || (body.html?.trim() ?? '') !== '', { message: 'text or html is required', path: ['text'] });

export const TicketSortSchema = z
  .enum(['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-number', 'number', '-agitation', 'agitation', 'urgency', 'waitingSince'])
  .describe(
    '-agitation: the most agitated customers first (latest agitation of the customer on the ticket; never scored counts as calm). ' +
      'waitingSince: the customers waiting longest first, tickets where nobody waits last. ' +
      'urgency (the inbox default): SLA overdue, then inside the warning window, then running, then no running SLA; within each, agitated customers first, then the nearest due time, then the newest ticket',
  );

/** The filters a view is made of, shared by the list and the count. */
const TicketFilterFields = {
  statusCategory: z
    .string()
    .max(100)
    .refine((value) => value.split(',').every((category) => (statusCategories as readonly string[]).includes(category.trim())), { message: `each category must be one of ${statusCategories.join(', ')}` })
    .optional()
    .describe('Comma-separated categories, e.g. new,open'),
  status: z.string().max(40).optional(),
  assigneeId: z.string().max(64).optional().describe('A staff id, "me" or "none"'),
  teamId: z.string().max(64).optional(),
  customerId: z.string().max(64).optional(),
  tag: z.string().max(50).optional(),
  priority: PrioritySchema.optional(),
  channel: z.string().max(20).optional(),
  type: z.string().max(40).optional().describe('A ticket type key, or "none"'),
};

export const ListTicketsQuerySchema = PageQuerySchema.extend({ ...TicketFilterFields, sort: TicketSortSchema.default('-updatedAt') }).strict();
export const CountTicketsQuerySchema = z.object(TicketFilterFields).strict();
export type TicketFilters = z.output<typeof CountTicketsQuerySchema>;

export const MergeTicketBodySchema = z.object({ targetTicketId: z.string().max(64) }).strict();
export const LinkTicketBodySchema = z.object({ ticketId: z.string().max(64) }).strict();
export const LinkParamsSchema = z.object({ id: z.string().max(64), linkedId: z.string().max(64) }).strict();

export const BulkUpdateBodySchema = z
  .object({
    ticketIds: z.array(z.string().max(64)).min(1).max(500),
    changes: z.object({ status: z.string().max(40).optional(), assigneeId: z.string().max(64).nullable().optional(), priority: PrioritySchema.optional(), addTags: z.array(TagSchema).max(30).optional() }).strict(),
  })
  .strict();

export const EventSchema = z.object({
  id: z.number(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  subjectType: z.string(),
  subjectId: z.string(),
  ticketId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
