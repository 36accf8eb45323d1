import { z } from 'zod';
import { PageQuerySchema } from '../../http/pagination.js';

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed']);

export const ListJobsQuerySchema = PageQuerySchema.extend({
  status: JobStatusSchema.optional().describe('Only jobs in this state; failed jobs are the ones to look at'),
}).strict();

export const JobSchema = z.object({
  id: z.string(),
  type: z.string().describe('e.g. webhook.deliver'),
  version: z.number(),
  status: JobStatusSchema,
  runAt: z.string().describe('When the job is (or was) due; after a failure, when the next attempt runs'),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
