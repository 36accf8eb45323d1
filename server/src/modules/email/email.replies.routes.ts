import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { addMessage, MessageSchema, presentMessage, requireTicket } from '../tickets/index.js';
import { claimUploads, presentAttachment, requireUnsentUploads, storeUpload } from './email.attachments.js';
import { AttachmentSchema, EmailReplyBodySchema, uploadBodySchema } from './email.schema.js';

const tags = ['Email'];

/** Replies that carry files: upload each file, then send the reply naming the uploads. */
export function registerEmailReplyRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const maxBytes = context.config.RAVING_ATTACHMENT_MAX_BYTES;

  app.post(
    '/api/v1/email/attachments',
    {
      // Base64 is 4 bytes for 3, plus the JSON around it.
      bodyLimit: Math.ceil(maxBytes / 3) * 4 + 64 * 1024,
      schema: { tags, summary: 'Upload a file to attach to a reply (stored by content; served as a download)', body: uploadBodySchema(maxBytes), response: { 201: AttachmentSchema, ...problemResponses } },
    },
    async (request, reply) => {
      const content = Buffer.from(request.body.contentBase64, 'base64');
      const row = await storeUpload(db, context.config.RAVING_DATA_DIR, authOf(request).workspaceId, { filename: request.body.filename, content });
      return reply.code(201).send(presentAttachment(row));
    },
  );

  app.post(
    '/api/v1/email/tickets/:id/replies',
    { schema: { tags, summary: 'Reply to the customer with attachments (sent as MIME attachments when the ticket is an email conversation)', params: IdParamsSchema, body: EmailReplyBodySchema, response: { 201: z.object({ message: MessageSchema, attachments: z.array(AttachmentSchema) }), ...problemResponses } } },
    async (request, reply) => {
      const auth = authOf(request);
      const { attachmentIds, ...body } = request.body;
      const result = await inUnitOfWork(db, context.bus, async (uow) => {
        const ticket = await requireTicket(uow.trx, auth.workspaceId, request.params.id);
        const uploads = await requireUnsentUploads(uow.trx, auth.workspaceId, attachmentIds);
        const services = { bus: context.bus, dialect: context.database.dialect };
        const metadata = { email: { attachments: uploads.map(presentAttachment) } };
        const { message } = await addMessage(uow, services, auth.workspaceId, actorOf(request), ticket.id, { ...body, kind: 'outbound', authorType: 'staff', authorId: auth.staffId, metadata });
        // Claimed in the message's own transaction: the delivery job, which runs after the commit,
        // always finds them, and a refused upload rolls the reply back with it.
        await claimUploads(uow.trx, auth.workspaceId, message.id, uploads);
        return { message, attachments: uploads };
      });
      return reply.code(201).send({ message: presentMessage(result.message), attachments: result.attachments.map(presentAttachment) });
    },
  );
}
