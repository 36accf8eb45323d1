import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { DomainError } from '../../http/errors.js';
import { enqueueJob, type JobContext } from '../../jobs/queue.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { expireUploadsJob } from './email.jobs.js';
import { removeUnreferencedContent, safeFilename, sniffContentType, storeContent, storedPathOf } from './email.storage.js';

/**
 * Files an agent attaches to a reply. An upload is an `email_attachments` row that belongs to no
 * message yet (no message, no inbound email); sending a reply claims it for that message, once.
 * The content is stored like inbound attachments: by its hash, under a name the sender never chose.
 */
export type AttachmentRow = Row<'email_attachments'>;

export async function storeUpload(db: Db, dataDir: string, workspaceId: string, input: { filename: string; content: Buffer }): Promise<AttachmentRow> {
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
  await db.insertInto('email_attachments').values(row).execute();
  // The expiry of an old upload of the same bytes may have removed the file before our row committed.
  await storeContent(dataDir, input.content);
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

const expiryBatch = 500;

/**
 * Deletes the uploads no reply claimed, created before `olderThan`, and then each file no other row
 * names (an upload of bytes that also arrived by mail keeps its file). A sweep over every workspace:
 * the rows deleted are those no workspace can reach any more. A crash between the deletion and the
 * files leaves those files behind, never a row without its file. Returns the uploads deleted.
 */
export async function expireUnclaimedUploads(db: Db, dataDir: string, olderThan: string): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await db.selectFrom('email_attachments').select('id').where('message_id', 'is', null).where('inbound_email_id', 'is', null).where('created_at', '<', olderThan).limit(expiryBatch).execute();
    if (expired.length === 0) return total;
    // Still unclaimed at the deletion: a reply claiming one meanwhile keeps it.
    const deleted = await db
      .deleteFrom('email_attachments')
      .where('id', 'in', expired.map((row) => row.id))
      .where('message_id', 'is', null)
      .where('inbound_email_id', 'is', null)
      .returning('sha256')
      .execute();
    total += deleted.length;
    for (const sha256 of new Set(deleted.map((row) => row.sha256))) {
      await removeUnreferencedContent(dataDir, sha256, async () => (await db.selectFrom('email_attachments').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst()) !== undefined);
    }
    if (expired.length < expiryBatch) return total;
  }
}

const hourMilliseconds = 3_600_000;

/**
 * Enqueues the next expiry run, at the next whole hour. The job id is that hour: a restart, or
 * several nodes starting, schedule the same run once instead of one each.
 */
export async function scheduleUploadExpiry(trx: Tx, now = nowIso()): Promise<void> {
  const runAt = new Date((Math.floor(Date.parse(now) / hourMilliseconds) + 1) * hourMilliseconds).toISOString();
  await enqueueJob(trx, expireUploadsJob, {}, { id: `email.expire-uploads:${runAt}`, runAt });
}

export async function runUploadExpiry(context: { database: { db: Db }; config: { RAVING_DATA_DIR: string; RAVING_UPLOAD_EXPIRY_HOURS: number } }, job: JobContext): Promise<void> {
  const now = nowIso();
  await expireUnclaimedUploads(context.database.db, context.config.RAVING_DATA_DIR, addMilliseconds(now, -context.config.RAVING_UPLOAD_EXPIRY_HOURS * hourMilliseconds));
  await job.complete((trx) => scheduleUploadExpiry(trx, now));
}
