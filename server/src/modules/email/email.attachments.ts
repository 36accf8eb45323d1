import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { DomainError } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { safeFilename, sniffContentType, storeContent, storedPathOf } from './email.storage.js';

/**
 * Files an agent attaches to a reply. An upload is an `email_attachments` row that belongs to no
 * message yet (no message, no inbound email); sending a reply claims it for that message, once.
 * The content is stored like inbound attachments: by its hash, under a name the sender never chose.
 */
export type AttachmentRow = Row<'email_attachments'>;

export async function storeUpload(trx: Tx, dataDir: string, workspaceId: string, input: { filename: string; content: Buffer }): Promise<AttachmentRow> {
  const sha256 = await storeContent(dataDir, input.content);
  const contentType = sniffContentType(input.content);
  const row: AttachmentRow = {
    id: newId(),
    workspace_id: workspaceId,
    message_id: null,
    inbound_email_id: null,
    filename: safeFilename(input.filename),
    content_type: contentType,
    declared_type: null,
    size: input.content.length,
    sha256,
    content_id: null,
    is_inline: 0,
    created_at: nowIso(),
  };
  await trx.insertInto('email_attachments').values(row).execute();
  return row;
}

const notAnUpload = () =>
  new DomainError('validation_failed', 'An attachment is not an unsent upload of this workspace.', [{ path: 'body.attachmentIds', message: 'must be ids returned by POST /api/v1/email/attachments, each used once' }]);

/** Another workspace's upload, one already sent with another message, or an unknown id are refused alike. */
export async function requireUnsentUploads(trx: Tx, workspaceId: string, ids: string[]): Promise<AttachmentRow[]> {
  const unique = [...new Set(ids)];
  const rows = await trx.selectFrom('email_attachments').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', unique).where('message_id', 'is', null).where('inbound_email_id', 'is', null).execute();
  if (rows.length !== unique.length) throw notAnUpload();
  return unique.map((id) => rows.find((row) => row.id === id)!);
}

/** Gives the uploads to the message, in its transaction; a concurrent reply that claimed one first wins. */
export async function claimUploads(trx: Tx, workspaceId: string, messageId: string, uploads: AttachmentRow[]): Promise<void> {
  const claimed = await trx
    .updateTable('email_attachments')
    .set({ message_id: messageId })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', uploads.map((upload) => upload.id))
    .where('message_id', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== uploads.length) throw notAnUpload();
}

/**
 * What nodemailer attaches to an outgoing mail: the stored files of the message it carries. The
 * type comes from the file name (nodemailer's table), as the customer's mail client expects; the
 * sniffed type only decides how Raving itself serves the file to a browser.
 */
export async function attachmentsForDelivery(trx: Tx, dataDir: string, workspaceId: string | null, messageId: string | null) {
  if (!workspaceId || !messageId) return [];
  const rows = await trx.selectFrom('email_attachments').selectAll().where('workspace_id', '=', workspaceId).where('message_id', '=', messageId).where('inbound_email_id', 'is', null).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ filename: row.filename, path: storedPathOf(dataDir, row.sha256) }));
}

export function presentAttachment(row: AttachmentRow) {
  return { id: row.id, filename: row.filename, contentType: row.content_type, size: Number(row.size) };
}
