import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { newId, nowIso } from '../../lib/ids.js';
import { baseAddressOf } from './email.address.js';
import { processInboundJob } from './email.jobs.js';

export type MailboxRow = Row<'mailboxes'>;

export async function findMailboxByAddress(trx: Tx, address: string): Promise<MailboxRow | undefined> {
  return trx.selectFrom('mailboxes').selectAll().where('address', '=', baseAddressOf(address)).where('is_active', '=', 1).executeTakeFirst();
}

export async function requireMailboxRow(trx: Tx, workspaceId: string, id: string): Promise<MailboxRow | undefined> {
  return trx.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export interface NewInboundEmail {
  workspaceId: string;
  mailboxId: string;
  source: 'smtp' | 'imap';
  sourceKey?: string | null;
  envelopeFrom: string | null;
  envelopeTo: string[];
  raw: Buffer;
}

/**
 * Stores the raw message and its processing job in one transaction. The SMTP receiver answers
 * 250 only after this commits: from then on the message is ours and survives a crash.
 * Returns null when an IMAP message with the same source key was stored before.
 */
export async function storeInboundEmail(trx: Tx, input: NewInboundEmail): Promise<string | null> {
  const id = newId();
  const inserted = await trx
    .insertInto('inbound_emails')
    .values({
      id,
      workspace_id: input.workspaceId,
      mailbox_id: input.mailboxId,
      source: input.source,
      source_key: input.sourceKey ?? null,
      envelope_from: input.envelopeFrom,
      envelope_to: JSON.stringify(input.envelopeTo),
      raw: input.raw,
      size: input.raw.length,
      status: 'received',
      reason: null,
      email_message_id: null,
      content_hash: null,
      ticket_id: null,
      message_id: null,
      flags: '[]',
      created_at: nowIso(),
      processed_at: null,
    })
    .onConflict((conflict) => conflict.columns(['mailbox_id', 'source_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 1) === 0) return null;
  await enqueueJob(trx, processInboundJob, { inboundEmailId: id }, { id: processingJobId(id), workspaceId: input.workspaceId });
  return id;
}

/** An inbound email has one processing job, whose id is the email's: it can never be enqueued twice. */
const processingJobId = (inboundEmailId: string) => `email-in-${inboundEmailId}`;

/**
 * Puts an inbound email's one processing job back in the queue, due now, rather than adding
 * another: after it finished (a manager's reprocess, which also gives it fresh attempts), or when
 * it is held by a process that died (claimed before `claimedBefore`, this process's start). A job
 * already queued is left as it is. However often this runs, the email keeps one job.
 */
export async function requeueProcessing(trx: Tx, input: { inboundEmailId: string; workspaceId: string; claimedBefore?: string; freshAttempts?: boolean }): Promise<void> {
  const id = processingJobId(input.inboundEmailId);
  await enqueueJob(trx, processInboundJob, { inboundEmailId: input.inboundEmailId }, { id, workspaceId: input.workspaceId });
  const now = nowIso();
  const { claimedBefore } = input;
  await trx
    .updateTable('jobs')
    .set({ status: 'queued', run_at: now, locked_until: null, claimed_by: null, updated_at: now, ...(input.freshAttempts ? { attempts: 0, last_error: null } : {}) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', 'in', ['done', 'failed']), ...(claimedBefore ? [eb.and([eb('status', '=', 'running'), eb('updated_at', '<', claimedBefore)])] : [])]))
    .execute();
}

export async function markInbound(trx: Tx, id: string, changes: Partial<Pick<Row<'inbound_emails'>, 'status' | 'reason' | 'ticket_id' | 'message_id' | 'email_message_id' | 'content_hash' | 'flags'>>): Promise<void> {
  await trx.updateTable('inbound_emails').set({ ...changes, processed_at: nowIso() }).where('id', '=', id).execute();
}

export async function isSuppressed(trx: Tx, workspaceId: string, address: string): Promise<boolean> {
  const row = await trx.selectFrom('suppressed_addresses').select('address').where('workspace_id', '=', workspaceId).where('address', '=', address.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}
