import { z } from 'zod';
import { lineText } from '../../http/schemas.js';
import { TicketFiltersSchema, TicketSortSchema } from '../tickets/index.js';

const ViewSortSchema = TicketSortSchema.nullable().describe("The order the view lists its tickets in (the ticket list's sort); null: the inbox default, most urgent first");

export const SavedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  filters: TicketFiltersSchema.describe('The ticket list filters the view applies (assigneeId "me" is whoever looks at it)'),
  sort: ViewSortSchema,
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
    sort: ViewSortSchema.default(null),
    shared: z.boolean().default(false),
  })
  .strict();

export const UpdateSavedViewBodySchema = z
  .object({
    name: lineText(80).optional(),
    filters: TicketFiltersSchema.optional(),
    sort: ViewSortSchema.optional(),
    shared: z.boolean().optional(),
  })
  .strict();

export const SavedViewCountsSchema = z.object({
  items: z.array(z.object({ id: z.string(), count: z.number() })).describe('The number of tickets in each view the caller sees, as the list would show them'),
});

export type SavedView = z.infer<typeof SavedViewSchema>;
export type SavedViewFilters = z.output<typeof TicketFiltersSchema>;
export type SavedViewSort = z.output<typeof ViewSortSchema>;
