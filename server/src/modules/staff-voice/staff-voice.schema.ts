import { z } from 'zod';
import { IdSchema } from '../../http/schemas.js';

export const staffVoiceStatuses = ['new', 'acknowledged', 'in_progress', 'resolved', 'declined'] as const;

export const SubmitNoteBodySchema = z.object({ body: z.string().trim().min(1).max(10_000), anonymous: z.boolean().default(false) }).strict();

export const SubmittedNoteSchema = z.object({
  id: z.string(),
  followUpToken: z.string().describe('Shown once: the only way to follow an anonymous note'),
  isAnonymous: z.boolean(),
});

export const StaffVoiceNoteSchema = z.object({
  id: z.string(),
  isAnonymous: z.boolean(),
  author: z.object({ staffId: z.string(), name: z.string() }).nullable(),
  body: z.string(),
  status: z.enum(staffVoiceStatuses),
  response: z.string().nullable(),
  respondedAt: z.string().nullable(),
  createdOn: z.string().describe('Day only (YYYY-MM-DD)'),
});

export const FollowUpBodySchema = z.object({ token: z.string().min(20).max(200) }).strict();
export const FollowUpSchema = StaffVoiceNoteSchema.omit({ author: true, id: true });

export const UpdateNoteBodySchema = z
  .object({ status: z.enum(staffVoiceStatuses).optional(), response: z.string().trim().min(1).max(10_000).optional() })
  .strict()
  .refine((body) => body.status !== undefined || body.response !== undefined, 'send a status, a response or both');

export const ListNotesQuerySchema = z.object({ status: z.enum(staffVoiceStatuses).optional(), limit: z.coerce.number().int().min(1).max(200).default(100) });
export { IdSchema };
