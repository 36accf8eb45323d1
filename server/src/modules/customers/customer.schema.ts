import { z } from 'zod';
import { EmailSchema, lineText } from '../../http/schemas.js';
import { PageQuerySchema } from '../../http/pagination.js';

export const CustomFieldsSchema = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 custom fields');

export const CustomerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organizationId: z.string().nullable(),
  lifetimeValue: z.number(),
  tier: z.string(),
  customFields: z.record(z.string(), z.unknown()),
  mergedIntoId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const CreateCustomerBodySchema = z
  .object({
    name: lineText(200),
    email: EmailSchema.optional(),
    phone: lineText(40).optional(),
    organizationId: z.string().max(64).optional(),
    lifetimeValue: z.number().finite().min(0).max(1e12).optional(),
    customFields: CustomFieldsSchema.optional(),
  })
  .strict();

export const UpdateCustomerBodySchema = z
  .object({
    name: lineText(200).optional(),
    email: EmailSchema.nullable().optional(),
    phone: lineText(40).nullable().optional(),
    organizationId: z.string().max(64).nullable().optional(),
    lifetimeValue: z.number().finite().min(0).max(1e12).optional(),
    customFields: CustomFieldsSchema.optional(),
  })
  .strict();

/** A customer's tier, stored on the customer; modules/customer-value decides who is best. */
export const bestTier = 'best';
export const standardTier = 'standard';
export const CustomerTierSchema = z.enum([bestTier, standardTier]);
export const CustomerSortSchema = z.enum(['-createdAt', 'name', '-lifetimeValue']).describe('-createdAt: newest first; name: A to Z; -lifetimeValue: most valuable first');

const CustomerFilterFields = {
  email: z.string().max(254).optional(),
  organizationId: z.string().max(64).optional(),
  q: lineText(100).optional().describe('Part of the name or email, any case; matched literally (% and _ are plain characters)'),
  tier: CustomerTierSchema.optional(),
};

export const ListCustomersQuerySchema = PageQuerySchema.extend({ ...CustomerFilterFields, sort: CustomerSortSchema.default('-createdAt') }).strict();
export const CountCustomersQuerySchema = z.object(CustomerFilterFields).strict();
export type CustomerFilters = z.output<typeof CountCustomersQuerySchema>;

export const MergeCustomersBodySchema = z.object({ sourceCustomerId: z.string().max(64).describe('The duplicate, merged into the customer in the path') }).strict();

export const OrganizationSchema = z.object({ id: z.string(), name: z.string(), domain: z.string().nullable(), createdAt: z.string() });
export const CreateOrganizationBodySchema = z.object({ name: lineText(200), domain: lineText(253).optional() }).strict();
export const UpdateOrganizationBodySchema = z.object({ name: lineText(200).optional(), domain: lineText(253).nullable().optional() }).strict();
