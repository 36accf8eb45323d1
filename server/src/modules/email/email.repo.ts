import type { Db, Tx } from '../../db/database.js';
import type { Insertable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { Database, Row } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { newId, nowIso } from '../../lib/ids.js';
import { baseAddressOf } from './email.address.js';
import { processInboundJob } from './email.jobs.js';

export type MailboxRow = Row<'mailboxes'>;

/**
 * Mailboxes as the mail path reads them: the receiver at every RCPT, the processing job for every
 * message. They change rarely, so a mailbox read is kept for a couple of seconds: a change (one
 * switched off, another team) reaches every node within that, and at once in the node that made
 * it (`forget`). Unknown addresses are not kept, so mail to a mailbox just added is taken at once.
 */
export class MailboxReads {
  private readonly byAddress = new Map<string, { row: MailboxRow; until: number }>();
  private readonly byId = new Map<string, { row: MailboxRow; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly maxAgeMilliseconds = 2000,
  ) {}

  /** The active mailbox that receives mail for this address (a +tag ignored). */
  async activeByAddress(address: string): Promise<MailboxRow | undefined> {
    const base = baseAddressOf(address);
    const kept = this.byAddress.get(base);
    if (kept && kept.until > Date.now()) return kept.row;
    const row = await this.db.selectFrom('mailboxes').selectAll().where('address', '=', base).where('is_active', '=', 1).executeTakeFirst();
    if (row) this.byAddress.set(base, { row, until: Date.now() + this.maxAgeMilliseconds });
    else this.byAddress.delete(base);
    return row;
  }

  /** The mailbox a stored message came in on, active or not (mail accepted is processed all the same); read in `trx` when not kept. */
  async byIdOf(trx: Tx, id: string): Promise<MailboxRow> {
    const kept = this.byId.get(id);
    if (kept && kept.until > Date.now()) return kept.row;
    const row = await trx.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    this.byId.set(id, { row, until: Date.now() + this.maxAgeMilliseconds });
    return row;
  }

  forget(): void {
    this.byAddress.clear();
    this.byId.clear();
  }
}

const mailboxReads = new WeakMap<Db, MailboxReads>();

export function mailboxReadsOf(db: Db): MailboxReads {
  let reads = mailboxReads.get(db);
  if (!reads) {
    reads = new MailboxReads(db);
    mailboxReads.set(db, reads);
  }
  return reads;
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
  const inserted = await insertInbound(trx, {
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
  });
  if (Number(inserted.numAffectedRows ?? 1n) === 0) return null;
  await enqueueJob(trx, processInboundJob, { inboundEmailId: id }, { id: processingJobId(id), workspaceId: input.workspaceId });
  return id;
}

/** Every accepted message runs this insert before its 250: built and compiled once (db/prepared.ts). */
const insertInbound = preparedQuery((db, row: Insertable<Database['inbound_emails']>) =>
  db
    .insertInto('inbound_emails')
    .values(row)
    .onConflict((conflict) => conflict.columns(['mailbox_id', 'source_key']).doNothing()),
);

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

type InboundOutcome = Partial<Pick<Row<'inbound_emails'>, 'status' | 'reason' | 'ticket_id' | 'message_id' | 'email_message_id' | 'content_hash' | 'flags'>>;

/**
 * Records what became of a stored message, only while it is still waiting: this is the claim that
 * makes a second run of the same message (a retried job, the recovery sweep after a crash, another
 * node) change nothing. That run finds the row settled and throws, rolling back everything it did.
 * Every processed message runs it, so it is built and compiled once (db/prepared.ts).
 */
export async function settleInbound(trx: Tx, id: string, outcome: InboundOutcome): Promise<void> {
  const result = await updateWaitingInbound(trx, { ...outcome, processed_at: nowIso(), id });
  if (Number(result.numAffectedRows ?? 0n) === 0) throw new Error(`inbound email ${id} was settled by another run`);
}

const updateWaitingInbound = preparedQuery((db, { id, ...changes }: InboundOutcome & { processed_at: string; id: string }) =>
  db.updateTable('inbound_emails').set(changes).where('id', '=', id).where('status', '=', 'received'),
);

export type EmailIdRow = Row<'email_ids'>;

/** Every message that becomes part of a ticket runs this insert: prepared once (db/prepared.ts). */
export const insertEmailId = preparedQuery((db, row: Insertable<Database['email_ids']>) => db.insertInto('email_ids').values(row));

/** What deduplication knows of these keys (Message-IDs, or generated from content) in one workspace. */
export async function emailIdsOf(trx: Tx, workspaceId: string, keys: string[]): Promise<EmailIdRow[]> {
  return trx.selectFrom('email_ids').selectAll().where('workspace_id', '=', workspaceId).where('email_message_id', 'in', keys).execute();
}

export async function isSuppressed(trx: Tx, workspaceId: string, address: string): Promise<boolean> {
  const row = await trx.selectFrom('suppressed_addresses').select('address').where('workspace_id', '=', workspaceId).where('address', '=', address.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}
