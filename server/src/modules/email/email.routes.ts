import fs from 'node:fs';
import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { reprocessInboundEmail } from './email.handle.js';
import { createMailbox, requireTeamOf } from './email.mailboxes.js';
import { presentInbound, presentMailbox, presentOutbound } from './email.present.js';
import { mailboxReadsOf, requireMailboxRow } from './email.repo.js';
import { CreateMailboxBodySchema, InboundEmailSchema, InboundQuerySchema, MailboxSchema, OutboundEmailSchema, OutboxQuerySchema, UpdateMailboxBodySchema } from './email.schema.js';
import { inlineImageTypes, storedPathOf } from './email.storage.js';

const tags = ['Email'];
const manager = { minimumRole: 'manager' as const, scope: 'admin' as const };

export function registerEmailRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.get('/api/v1/email/mailboxes', { config: manager, schema: { tags, summary: 'Mailboxes (support addresses) of this workspace', response: { 200: z.object({ items: z.array(MailboxSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('mailboxes').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('created_at').execute();
    return { items: rows.map(presentMailbox) };
  });

  app.post('/api/v1/email/mailboxes', { config: manager, schema: { tags, summary: 'Add a mailbox: mail to this address becomes tickets here', body: CreateMailboxBodySchema, response: { 201: MailboxSchema, ...problemResponses } } }, async (request, reply) => {
    const row = await inUnitOfWork(db, context.bus, (uow) => createMailbox(uow, context.bus, authOf(request).workspaceId, actorOf(request), request.body));
    return reply.code(201).send(presentMailbox(row));
  });

  app.patch('/api/v1/email/mailboxes/:id', { config: manager, schema: { tags, summary: 'Change a mailbox', params: IdParamsSchema, body: UpdateMailboxBodySchema, response: { 200: MailboxSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    const body = request.body;
    await requireTeamOf(db, auth.workspaceId, body.teamId);
    const updated = await inUnitOfWork(db, context.bus, async (uow) => {
      const current = await requireMailboxRow(uow.trx, auth.workspaceId, request.params.id);
      if (!current) throw notFound('Mailbox');
      const changes = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.teamId !== undefined ? { team_id: body.teamId } : {}),
        ...(body.relayUrl !== undefined ? { relay_url: body.relayUrl } : {}),
        ...(body.imapUrl !== undefined ? { imap_url: body.imapUrl, imap_uid_validity: null, imap_last_uid: 0 } : {}),
        ...(body.imapFolder !== undefined ? { imap_folder: body.imapFolder } : {}),
        ...(body.isActive !== undefined ? { is_active: body.isActive ? 1 : 0 } : {}),
      };
      if (Object.keys(changes).length > 0) await uow.trx.updateTable('mailboxes').set(changes).where('id', '=', current.id).execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'mailbox.updated', subjectType: 'mailbox', subjectId: current.id, payload: { changed: Object.keys(changes) } });
      return presentMailbox((await requireMailboxRow(uow.trx, auth.workspaceId, current.id))!);
    });
    // After the commit: a read between a forget inside the transaction and the commit would keep the old row.
    mailboxReadsOf(db).forget();
    return updated;
  });

  app.get('/api/v1/email/outbox', { config: manager, schema: { tags, summary: 'Outgoing mail: sent, waiting, failed, or kept here when no relay is configured', querystring: OutboxQuerySchema, response: { 200: z.object({ items: z.array(OutboundEmailSchema) }), ...problemResponses } } }, async (request) => {
    let query = db.selectFrom('outbound_emails').selectAll().where('workspace_id', '=', authOf(request).workspaceId);
    if (request.query.status) query = query.where('status', '=', request.query.status);
    if (request.query.ticketId) query = query.where('ticket_id', '=', request.query.ticketId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.query.limit).execute();
    return { items: rows.map(presentOutbound) };
  });

  app.get('/api/v1/email/messages/:id/delivery', { schema: { tags, summary: 'How the email for a reply is doing (sent, retrying, failed, bounced); empty for a message that sent no email', params: IdParamsSchema, response: { 200: z.object({ items: z.array(OutboundEmailSchema) }), ...problemResponses } } }, async (request) => {
    const { workspaceId } = authOf(request);
    // An id that is not a message of this workspace is a 404, never an empty list: a caller must
    // not be able to tell another workspace's message from a typo.
    const message = await db.selectFrom('messages').select('id').where('workspace_id', '=', workspaceId).where('id', '=', request.params.id).executeTakeFirst();
    if (!message) throw notFound('Message');
    const rows = await db.selectFrom('outbound_emails').selectAll().where('workspace_id', '=', workspaceId).where('message_id', '=', message.id).orderBy('created_at').execute();
    return { items: rows.map(presentOutbound) };
  });

  const inboundColumns = ['id', 'workspace_id', 'mailbox_id', 'source', 'source_key', 'envelope_from', 'envelope_to', 'size', 'status', 'reason', 'email_message_id', 'content_hash', 'ticket_id', 'message_id', 'flags', 'created_at', 'processed_at'] as const;

  app.get('/api/v1/email/inbound', { config: manager, schema: { tags, summary: 'Received mail and what became of it; status=quarantined is the quarantine', querystring: InboundQuerySchema, response: { 200: z.object({ items: z.array(InboundEmailSchema) }), ...problemResponses } } }, async (request) => {
    let query = db.selectFrom('inbound_emails').select(inboundColumns).where('workspace_id', '=', authOf(request).workspaceId);
    if (request.query.status) query = query.where('status', '=', request.query.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.query.limit).execute();
    return { items: rows.map(presentInbound) };
  });

  app.get('/api/v1/email/quarantine', { config: manager, schema: { tags, summary: 'Mail that could not be parsed or routed, with the reason', response: { 200: z.object({ items: z.array(InboundEmailSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('inbound_emails').select(inboundColumns).where('workspace_id', '=', authOf(request).workspaceId).where('status', '=', 'quarantined').orderBy('created_at', 'desc').limit(500).execute();
    return { items: rows.map(presentInbound) };
  });

  app.get('/api/v1/email/inbound/:id/raw', { config: manager, schema: { tags, summary: 'The raw message as received (download)', params: IdParamsSchema } }, async (request, reply) => {
    const row = await db.selectFrom('inbound_emails').select('raw').where('workspace_id', '=', authOf(request).workspaceId).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Inbound email');
    return reply.header('content-type', 'application/octet-stream').header('content-disposition', `attachment; filename="${request.params.id}.eml"`).header('x-content-type-options', 'nosniff').send(Buffer.from(row.raw));
  });

  app.post('/api/v1/email/quarantine/:id/reprocess', { config: manager, schema: { tags, summary: 'Run a quarantined message through the pipeline again', params: IdParamsSchema, response: { 202: z.object({ id: z.string(), status: z.literal('received') }), ...problemResponses } } }, async (request, reply) => {
    if (!(await reprocessInboundEmail(context, authOf(request).workspaceId, request.params.id))) throw notFound('Quarantined email');
    return reply.code(202).send({ id: request.params.id, status: 'received' as const });
  });

  app.get('/api/v1/email/attachments/:id', { schema: { tags, summary: 'Download an attachment (served as a download unless it is an allow-listed image)', params: IdParamsSchema } }, async (request, reply) => {
    const row = await db.selectFrom('email_attachments').selectAll().where('workspace_id', '=', authOf(request).workspaceId).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound('Attachment');
    const isImage = inlineImageTypes.has(row.content_type);
    const asciiName = row.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    reply
      .header('content-type', isImage ? row.content_type : 'application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', `${isImage ? 'inline' : 'attachment'}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`);
    return reply.send(fs.createReadStream(storedPathOf(context.config.RAVING_DATA_DIR, row.sha256)));
  });
}
