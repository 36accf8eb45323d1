import { z } from 'zod';
import { lineText } from '../../http/schemas.js';

export const MacroSchema = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string().describe('Text with variables such as {{customer.first_name}}, {{ticket.number}}, {{agent.name}}'),
  kind: z.enum(['reply', 'note']).describe('Whether the composer sends it as a reply or an internal note'),
  setStatus: z.string().nullable().describe('Status the ticket gets when the macro is sent, if any'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const CreateMacroBodySchema = z
  .object({
    name: lineText(120),
    body: z.string().trim().min(1).max(20_000),
    kind: z.enum(['reply', 'note']).default('reply'),
    setStatus: z.string().trim().min(1).max(40).nullable().optional(),
  })
  .strict();

export const UpdateMacroBodySchema = z
  .object({
    name: lineText(120).optional(),
    body: z.string().trim().min(1).max(20_000).optional(),
    kind: z.enum(['reply', 'note']).optional(),
    setStatus: z.string().trim().min(1).max(40).nullable().optional(),
  })
  .strict();

export const RenderMacroQuerySchema = z.object({ ticketId: z.string().min(1).max(64) }).strict();
export const RenderedMacroSchema = z.object({ text: z.string(), kind: z.enum(['reply', 'note']), setStatus: z.string().nullable() });

export type Macro = z.infer<typeof MacroSchema>;
