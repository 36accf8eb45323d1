import { z } from 'zod';

export const EscalateBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    managerId: z.string().max(64).optional().describe('Hand the ticket to this manager as well (counts as a handoff)'),
  })
  .strict();

export const EscalationSchema = z.object({ id: z.string(), ticketId: z.string(), staffId: z.string(), reason: z.string(), createdAt: z.string() });

export const TicketEscalationsSchema = z.object({
  items: z.array(EscalationSchema),
  handoffs: z.number().describe('Assignee changes after the first assignment'),
});
