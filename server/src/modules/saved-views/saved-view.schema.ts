import { z } from 'zod';
import { lineText } from '../../http/schemas.js';
import { TicketFiltersSchema } from '../tickets/index.js';

export const SavedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  filters: TicketFiltersSchema.describe('The ticket list filters the view applies (assigneeId "me" is whoever looks at it)'),
  shared: z.boolean().describe('Shown to every staff member of the workspace (only managers share views)'),
  ownerStaffId: z.string(),
  canEdit: z.boolean().describe('Whether the caller may change or delete it: their own view, or a shared one for a manager'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const CreateSavedViewBodySchema = z
  .object({
    name: lineText(80),
    filters: TicketFiltersSchema.default({}),
    shared: z.boolean().default(false),
  })
  .strict();

export const UpdateSavedViewBodySchema = z
  .object({
    name: lineText(80).optional(),
    filters: TicketFiltersSchema.optional(),
    shared: z.boolean().optional(),
  })
  .strict();

export const SavedViewCountsSchema = z.object({
  items: z.array(z.object({ id: z.string(), count: z.number() })).describe('The number of tickets in each view the caller sees, as the list would show them'),
});

export type SavedView = z.infer<typeof SavedViewSchema>;
export type SavedViewFilters = z.output<typeof TicketFiltersSchema>;
