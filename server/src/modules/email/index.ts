import type { App, AppContext } from '../../context.js';
import { processInboundBatch, processInboundEmail, recoverUnprocessedEmails } from './email.handle.js';
import { runUploadExpiry, scheduleUploadExpiry } from './email.attachments.js';
import { deliverOutboundJob, expireUploadsJob, processInboundJob } from './email.jobs.js';
import { closeTransports, deliverOutboundEmail, queueReplyEmail } from './email.outbound.js';
import { startImapPollers } from './email.imap.js';
import { startSmtpReceiver } from './email.receiver.js';
import { registerEmailReplyRoutes } from './email.replies.routes.js';
import { registerEmailRoutes } from './email.routes.js';
import { registerPasswordResetRoutes } from './password-reset.routes.js';

export { queueAccountEmail, queueCustomerEmail } from './email.outbound.js';
export { createMailbox, type NewMailbox } from './email.mailboxes.js';
export { parseEmail, type ParsedEmail } from './email.parse.js';
export { publicLink } from './password-reset.routes.js';

/** Routes, the two durable jobs, and the listener that turns outbound messages into mail. */
export function registerEmailModule(app: App, context: AppContext): void {
  context.jobs.define({ ...processInboundJob, handle: (job, payload) => processInboundEmail(context, job, payload.inboundEmailId), handleBatch: (batch) => processInboundBatch(context, batch) });
  context.jobs.define({ ...deliverOutboundJob, handle: (job, payload) => deliverOutboundEmail(context, job, payload.outboundEmailId) });
  context.jobs.define({ ...expireUploadsJob, handle: (job) => runUploadExpiry(context, job) });
  context.bus.onAppend(async (uow, event) => {
    if (event.type === 'message.created' && event.payload.kind === 'outbound') await queueReplyEmail(context, uow, event);
  });
  registerEmailRoutes(app, context);
  registerEmailReplyRoutes(app, context);
  registerPasswordResetRoutes(app, context);
}

/** The SMTP receiver (when enabled), the IMAP pollers and the hourly upload expiry; started by channels.ts. */
export async function startEmailChannels(context: AppContext): Promise<{ smtpPort: number | null; pollImapNow(): Promise<void>; stop(): Promise<void> }> {
  await recoverUnprocessedEmails(context);
  await scheduleUploadExpiry(context.database.db);
  const receiver = context.config.RAVING_SMTP_ENABLED ? await startSmtpReceiver(context) : null;
  const pollers = startImapPollers(context);
  return {
    smtpPort: receiver?.port ?? null,
    pollImapNow: () => pollers.pollNow(),
    stop: async () => {
      await receiver?.stop();
      await pollers.stop();
      closeTransports();
    },
  };
}
