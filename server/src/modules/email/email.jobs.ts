import { z } from 'zod';
import type { JobDefinition } from '../../jobs/queue.js';

/**
 * The shapes of the email jobs, known statically so anything may enqueue them inside its own
 * transaction; the handlers are attached when the module registers (registerEmailModule).
 */
async function notRegistered(): Promise<never> {
  throw new Error('email module not registered');
}

const ProcessInboundPayload = z.object({ inboundEmailId: z.string() });
const DeliverPayload = z.object({ outboundEmailId: z.string() });

export const processInboundJob: JobDefinition<typeof ProcessInboundPayload> = {
  type: 'email.process-inbound',
  version: 1,
  payload: ProcessInboundPayload,
  maxAttempts: 12,
  handle: notRegistered,
};

export const deliverOutboundJob: JobDefinition<typeof DeliverPayload> = {
  type: 'email.deliver',
  version: 1,
  payload: DeliverPayload,
  maxAttempts: 10,
  handle: notRegistered,
};

const ExpireUploadsPayload = z.object({});

/** Hourly: deletes reply uploads nobody used (RAVING_UPLOAD_EXPIRY_HOURS); each run schedules the next. */
export const expireUploadsJob: JobDefinition<typeof ExpireUploadsPayload> = {
  type: 'email.expire-uploads',
  version: 1,
  payload: ExpireUploadsPayload,
  maxAttempts: 5,
  handle: notRegistered,
};
