import { z } from 'zod';
import { EmailSchema, lineText, PasswordSchema } from '../../http/schemas.js';
import { statusCategories } from './workspace.repo.js';
import { isValidTimeZone } from './workspace.service.js';

export const TimeZoneSchema = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris');

export const SetupBodySchema = z
  .object({
    workspaceName: lineText(120),
    timeZone: TimeZoneSchema.default('UTC'),
    ownerName: lineText(120),
    email: EmailSchema,
    password: PasswordSchema,
    demo: z.boolean().default(false).describe('Fill the workspace with realistic demo data'),
  })
  .strict();

export const SetupStatusSchema = z.object({ setupNeeded: z.boolean(), demoProgress: z.number().min(0).max(1).optional().describe('Only while setup fills the workspace with demo data: the share made so far') });

export const WorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  timeZone: z.string(),
  createdAt: z.string(),
});


export const CreateWorkspaceBodySchema = z.object({ name: lineText(120), timeZone: TimeZoneSchema.default('UTC') }).strict();
export const UpdateWorkspaceBodySchema = z.object({ name: lineText(120).optional(), timeZone: TimeZoneSchema.optional() }).strict();

export const StatusCategorySchema = z.enum(statusCategories);
export const TicketStatusSchema = z.object({ key: z.string(), label: z.string(), category: StatusCategorySchema, position: z.number() });
export const CreateStatusBodySchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits and underscores'),
    label: lineText(60),
    category: StatusCategorySchema,
  })
  .strict();
export const UpdateStatusBodySchema = z.object({ label: lineText(60).optional(), position: z.number().int().min(0).max(1000).optional() }).strict();
export const StatusParamsSchema = z.object({ key: z.string().max(40) }).strict();
