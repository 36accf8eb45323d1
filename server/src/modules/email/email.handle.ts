import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Row } from '../../db/schema.js';
import { inUnitOfWork, systemActor, type Actor, type UnitOfWork } from '../../events/events.js';
import type { BatchJobContext, JobContext } from '../../jobs/queue.js';
import { newId, nowIso } from '../../lib/ids.js';
import { findOrCreateCustomerByEmail } from '../customers/index.js';
import { addMessage, createTicket, findTicket, findTicketByNumber, type TicketRow } from '../tickets/index.js';
import { emailIdsOf, insertEmailId, mailboxReadsOf, requeueProcessing, settleInbound, type EmailIdRow } from './email.repo.js';
import { oneLine, parseEmail, type ParsedEmail } from './email.parse.js';
import { routeEmail, type Route, type RoutingLookups } from './email.route.js';
import { safeFilename, sniffContentType, storeContent } from './email.storage.js';
import { whenDurable, type Tx } from '../../db/database.js';

interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  declaredType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  isInline: boolean;
  content: Buffer;
}

const maxAttachmentsPerMessage = 500;
const quarantineAfterAttempts = 3;

function lookupsOver(trx: Tx, workspaceId: string): RoutingLookups {
  return {
    ticketByNumber: (number) => findTicketByNumber(trx, workspaceId, number),
    ticketByEmailIds: async (ids) => {
      for (const id of ids) {
        const row = await trx.selectFrom('email_ids').select('ticket_id').where('workspace_id', '=', workspaceId).where('email_message_id', '=', id).orderBy('created_at').executeTakeFirst();
        if (row) return findTicket(trx, workspaceId, row.ticket_id);
      }
      return undefined;
    },
    outboundByEmailId: async (id) => {
      const row = await trx.selectFrom('outbound_emails').select(['id', 'ticket_id']).where('workspace_id', '=', workspaceId).where('email_message_id', '=', id).executeTakeFirst();
      return row ? { id: row.id, ticketId: row.ticket_id } : undefined;
    },
    isCustomerOf: async (ticket, address) => {
      const customer = await trx.selectFrom('customers').select('email').where('workspace_id', '=', workspaceId).where('id', '=', ticket.customer_id).executeTakeFirst();
      return customer?.email?.toLowerCase() === address.toLowerCase();
    },
  };
}

/** Follows merges to the ticket a conversation lives in now. */
async function currentTicket(trx: Tx, workspaceId: string, ticketId: string): Promise<TicketRow | undefined> {
  let ticket = await findTicket(trx, workspaceId, ticketId);
  for (let hops = 0; ticket?.merged_into_id && hops < 20; hops++) ticket = await findTicket(trx, workspaceId, ticket.merged_into_id);
  return ticket;
}

function messageMetadata(email: ParsedEmail, inboundId: string, attachments: StoredAttachment[], extra: Record<string, unknown>) {
  return {
    email: {
      inboundEmailId: inboundId,
      messageId: email.messageId,
      from: email.from,
      replyTo: email.replyTo,
      to: email.to.slice(0, 50),
      cc: email.cc.slice(0, 50),
      recipientCount: email.to.length + email.cc.length,
      date: email.date,
      subject: email.subject,
      automatic: email.automatic,
      warnings: email.warnings,
      quotedText: email.quotedText.slice(0, 100_000),
      attachments: attachments.map(({ id, filename, contentType, size, isInline, contentId }) => ({ id, filename, contentType, size, isInline, contentId })),
      ...extra,
    },
  };
}

async function storeAttachments(context: AppContext, email: ParsedEmail): Promise<{ stored: StoredAttachment[]; warnings: string[] }> {
  const stored: StoredAttachment[] = [];
  const warnings: string[] = [];
  for (const attachment of email.attachments) {
    if (stored.length >= maxAttachmentsPerMessage) {
      warnings.push(`more than ${maxAttachmentsPerMessage} attachments: the rest are kept only in the raw message`);
      break;
    }
    if (attachment.content.length > context.config.RAVING_ATTACHMENT_MAX_BYTES) {
      warnings.push(`attachment "${safeFilename(attachment.filename)}" is larger than the limit: kept only in the raw message`);
      continue;
    }
    const sha256 = await storeContent(context.config.RAVING_DATA_DIR, attachment.content);
    stored.push({
      id: newId(),
      filename: safeFilename(attachment.filename, attachment.isInline ? 'inline-image' : 'attachment'),
      contentType: sniffContentType(attachment.content),
      declaredType: attachment.declaredType,
      size: attachment.content.length,
      sha256,
      contentId: attachment.contentId,
      isInline: attachment.isInline,
      content: attachment.content,
    });
  }
  return { stored, warnings };
}

/** A stored message read, parsed and its files written: everything about it that needs no transaction. */
type PreparedEmail = { row: Row<'inbound_emails'> } & ({ ok: false; reason: string; warnings: string[] } | { ok: true; email: ParsedEmail; attachments: StoredAttachment[] });

async function prepareInbound(context: AppContext, row: Row<'inbound_emails'>): Promise<PreparedEmail> {
  const parsed = await parseEmail(Buffer.from(row.raw));
  if (!parsed.ok) return { row, ...parsed };
  // Files first: content-addressed writes are idempotent, so a retry after a crash rewrites nothing.
  const attachments = await storeAttachments(context, parsed.email);
  parsed.email.warnings.push(...attachments.warnings);
  return { row, ok: true, email: parsed.email, attachments: attachments.stored };
}

async function applyPrepared(context: AppContext, uow: UnitOfWork, prepared: PreparedEmail, known: KnownEmails): Promise<void> {
  if (prepared.ok) return applyInboundEmail(context, uow, prepared.row, prepared.email, prepared.attachments, known);
  await uow.trx.updateTable('inbound_emails').set({ status: 'quarantined', reason: prepared.reason, flags: JSON.stringify(prepared.warnings), processed_at: nowIso() }).where('id', '=', prepared.row.id).where('status', '=', 'received').execute();
}

async function afterCommit(context: AppContext, prepared: PreparedEmail[], events: UnitOfWork['events']): Promise<void> {
  // The expiry of an unused upload of the same bytes may have removed a file before our rows committed.
  for (const item of prepared) if (item.ok) for (const attachment of item.attachments) await storeContent(context.config.RAVING_DATA_DIR, attachment.content);
  await whenDurable(context.database.db);
  context.bus.publish(events);
}

export async function processInboundEmail(context: AppContext, job: JobContext, inboundEmailId: string): Promise<void> {
  const { db } = context.database;
  const row = await db.selectFrom('inbound_emails').selectAll().where('id', '=', inboundEmailId).executeTakeFirst();
  if (!row || row.status !== 'received') return;
  const prepared = await prepareInbound(context, row);
  const events: UnitOfWork['events'] = [];
  try {
    await job.complete(async (trx) => applyPrepared(context, { trx, events }, prepared, await knownEmailsOf(context, trx, [prepared])));
  } catch (error) {
    // A message that keeps failing is not left to retry for hours: it goes to the quarantine,
    // raw and with the reason, where a manager can put it through again after the fix.
    if (job.attempt < quarantineAfterAttempts) throw error;
    const reason = `processing failed ${job.attempt} times: ${oneLine(error instanceof Error ? error.message : String(error), 300)}`;
    await job.complete(async (trx) => {
      await trx.updateTable('inbound_emails').set({ status: 'quarantined', reason, processed_at: nowIso() }).where('id', '=', row.id).where('status', '=', 'received').execute();
    });
    return;
  }
  await afterCommit(context, [prepared], events);
}

/**
 * Messages whose jobs were claimed together are parsed one after another, then applied in one
 * transaction with the jobs' done marks: one commit, and the reads a transaction makes once
 * (webhook subscriptions, rules, settings) made once for the batch. A message that fails makes
 * the whole batch fail, and then every job runs alone through processInboundEmail, so retries
 * and the quarantine stay per message. On PostgreSQL the deduplication locks are taken in one
 * order (by key), so two batches seldom wait on each other; should they deadlock, PostgreSQL ends
 * one, and its jobs run alone.
 */
export async function processInboundBatch(context: AppContext, batch: BatchJobContext<{ inboundEmailId: string }>): Promise<void> {
  const { db } = context.database;
  const rows = await db.selectFrom('inbound_emails').selectAll().where('id', 'in', batch.payloads.map((payload) => payload.inboundEmailId)).where('status', '=', 'received').execute();
  const prepared: PreparedEmail[] = [];
  for (const row of rows) prepared.push(await prepareInbound(context, row));
  prepared.sort((a, b) => (deduplicationKeyOf(a) < deduplicationKeyOf(b) ? -1 : 1));
  const events: UnitOfWork['events'] = [];
  await batch.complete(async (trx, payloads) => {
    const ours = new Set(payloads.map((payload) => payload.inboundEmailId));
    const applied = prepared.filter((item) => ours.has(item.row.id));
    const known = await knownEmailsOf(context, trx, applied);
    for (const item of applied) await applyPrepared(context, { trx, events }, item, known);
  });
  await afterCommit(context, prepared, events);
}

const deduplicationKeyOf = (item: PreparedEmail) => (item.ok ? `${item.row.workspace_id}:${emailKeyOf(item.email)}` : '');

/** What deduplication knows a message by: its Message-ID, or one made from its content when it has none. */
const emailKeyOf = (email: ParsedEmail) => email.messageId ?? `generated.${email.contentHash.slice(0, 32)}@raving.invalid`;

/** Deduplication records by workspace and key, read once for a batch; each message applied adds its own. */
type KnownEmails = Map<string, EmailIdRow[]>;

/**
 * Reads what deduplication knows of the messages about to be applied, one statement per workspace.
 * On PostgreSQL it first takes each key's lock, in key order, for the rest of the transaction:
 * copies of one message processed side by side (SMTP and IMAP, several relays) queue up there, so
 * the later sees the earlier's record instead of racing it. SQLite has one writer already.
 */
async function knownEmailsOf(context: AppContext, trx: Tx, items: PreparedEmail[]): Promise<KnownEmails> {
  const keys = [...new Set(items.map(deduplicationKeyOf).filter((key) => key !== ''))].sort();
  const known: KnownEmails = new Map(keys.map((key) => [key, []]));
  if (keys.length === 0) return known;
  if (context.database.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(key)) FROM unnest(${keys}::text[]) WITH ORDINALITY AS locked(key, position) ORDER BY position`.execute(trx);
  const byWorkspace = new Map<string, string[]>();
  for (const item of items) if (item.ok) byWorkspace.set(item.row.workspace_id, [...(byWorkspace.get(item.row.workspace_id) ?? []), emailKeyOf(item.email)]);
  for (const [workspaceId, emailKeys] of byWorkspace) for (const row of await emailIdsOf(trx, workspaceId, emailKeys)) known.get(`${workspaceId}:${row.email_message_id}`)!.push(row);
  return known;
}

/**
 * Applies one parsed message in the transaction. Every way out settles the stored row with
 * settleInbound, which is also the claim: a run that finds the row settled already rolls back.
 */
async function applyInboundEmail(context: AppContext, uow: UnitOfWork, row: Row<'inbound_emails'>, email: ParsedEmail, attachments: StoredAttachment[], knownEmails: KnownEmails): Promise<void> {
  const { trx } = uow;
  const workspaceId = row.workspace_id;
  const services = { bus: context.bus, dialect: context.database.dialect };
  const emailKey = emailKeyOf(email);
  const flags = [...email.warnings];
  const known = knownEmails.get(`${workspaceId}:${emailKey}`)!;
  const same = known.find((entry) => entry.content_hash === email.contentHash || entry.direction === 'outbound');
  if (same) {
    await settleInbound(trx, row.id, { status: 'duplicate', reason: same.direction === 'outbound' ? 'our own outgoing mail' : 'already received', ticket_id: same.ticket_id, message_id: same.message_id, email_message_id: emailKey, content_hash: email.contentHash });
    return;
  }
  // A Message-ID is chosen by the sender: a different message reusing one is kept, and flagged.
  if (known.length > 0) flags.push('Message-ID reused by a different message');

  const mailbox = await mailboxReadsOf(context.database.db).byIdOf(trx, row.mailbox_id);
  const route: Route = await routeEmail({ email, mailbox, envelopeTo: JSON.parse(row.envelope_to) as string[], secret: context.secret }, lookupsOver(trx, workspaceId));

  if (route.kind === 'quarantine') {
    await settleInbound(trx, row.id, { status: 'quarantined', reason: route.reason, email_message_id: emailKey, content_hash: email.contentHash, flags: JSON.stringify(flags) });
    return;
  }
  if (route.kind === 'bounce') {
    await recordBounce(context, uow, row, email, route, flags, emailKey);
    return;
  }

  let ticket = route.kind === 'append' ? await currentTicket(trx, workspaceId, route.ticketId) : undefined;
  const asNote = route.kind === 'append' ? route.asNote : null;
  // A closed conversation takes no more mail: the customer's new words open a follow-up ticket.
  if (ticket && ticket.status_category === 'closed' && !asNote) ticket = undefined;
  const metadata = messageMetadata(email, row.id, attachments, { rule: route.rule, flags, ...(asNote ? { needsReview: asNote } : {}) });
  let messageId: string;
  if (ticket && asNote) {
    const result = await addMessage(uow, services, workspaceId, systemActor, ticket.id, { kind: 'note', authorType: 'system', authorId: null, text: `Email from a non-participant (${email.from!.address}), held for review:\n\n${email.text}`, html: undefined, metadata });
    messageId = result.message.id;
  } else {
    const customer = await findOrCreateCustomerByEmail(uow, services, workspaceId, systemActor, { email: email.from!.address, name: email.from!.name });
    const actor: Actor = { type: 'customer', id: customer.id };
    const body = { kind: 'inbound' as const, authorType: 'customer' as const, authorId: customer.id, text: email.text || (email.html ? undefined : attachments.length > 0 ? '(attachments only)' : '(empty message)'), html: email.html ?? undefined, metadata };
    if (ticket) {
      messageId = (await addMessage(uow, services, workspaceId, actor, ticket.id, body)).message.id;
    } else {
      const team = mailbox.team_id ? await trx.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', mailbox.team_id).executeTakeFirst() : undefined;
      const created = await createTicket(uow, services, workspaceId, actor, { subject: email.subject || '(no subject)', customerId: customer.id, priority: 'normal', channel: 'email', teamId: team?.id ?? null, message: body });
      ticket = created.ticket;
      messageId = created.message!.id;
    }
  }
  const now = nowIso();
  const emailId: EmailIdRow = { workspace_id: workspaceId, email_message_id: emailKey, content_hash: email.contentHash, ticket_id: ticket.id, message_id: messageId, direction: 'inbound', created_at: now };
  await insertEmailId(trx, emailId);
  // A later copy in the same batch must find this one.
  known.push(emailId);
  if (attachments.length > 0) {
    await trx
      .insertInto('email_attachments')
      .values(attachments.map((attachment) => ({ id: attachment.id, workspace_id: workspaceId, message_id: messageId, inbound_email_id: row.id, filename: attachment.filename, content_type: attachment.contentType, declared_type: attachment.declaredType, size: attachment.size, sha256: attachment.sha256, content_id: attachment.contentId, is_inline: attachment.isInline ? 1 : 0, created_at: now })))
      .execute();
  }
  await settleInbound(trx, row.id, { status: 'processed', reason: asNote, ticket_id: ticket.id, message_id: messageId, email_message_id: emailKey, content_hash: email.contentHash, flags: JSON.stringify(flags) });
}

/** A bounce attaches to the mail that bounced, marks the address, and tells the agent on the ticket. */
async function recordBounce(context: AppContext, uow: UnitOfWork, row: Row<'inbound_emails'>, email: ParsedEmail, route: Extract<Route, { kind: 'bounce' }>, flags: string[], emailKey: string) {
  const { trx } = uow;
  const bounce = email.bounce!;
  const now = nowIso();
  for (const address of bounce.failedRecipients) {
    await trx.insertInto('suppressed_addresses').values({ workspace_id: row.workspace_id, address, reason: `bounced (${bounce.status ?? 'failed'})`, created_at: now }).onConflict((conflict) => conflict.columns(['workspace_id', 'address']).doNothing()).execute();
  }
  if (!route.outboundEmailId) {
    await settleInbound(trx, row.id, { status: 'quarantined', reason: 'delivery report for a message we did not send', email_message_id: emailKey, content_hash: email.contentHash, flags: JSON.stringify(flags) });
    return;
  }
  await trx.updateTable('outbound_emails').set({ status: 'bounced', last_error: `bounced: ${bounce.status ?? 'failed'} for ${bounce.failedRecipients.join(', ')}` }).where('id', '=', route.outboundEmailId).execute();
  let messageId: string | null = null;
  const ticket = route.ticketId ? await currentTicket(trx, row.workspace_id, route.ticketId) : undefined;
  if (ticket) {
    const note = await addMessage(uow, { bus: context.bus, dialect: context.database.dialect }, row.workspace_id, systemActor, ticket.id, {
      kind: 'note',
      authorType: 'system',
      authorId: null,
      text: `Our email could not be delivered to ${bounce.failedRecipients.join(', ') || 'the customer'} (status ${bounce.status ?? 'unknown'}). The address is marked as bouncing.`,
      metadata: { email: { inboundEmailId: row.id, bounce, outboundEmailId: route.outboundEmailId } },
    });
    messageId = note.message.id;
  }
  await settleInbound(trx, row.id, { status: 'processed', reason: 'delivery status report', ticket_id: ticket?.id ?? null, message_id: messageId, email_message_id: emailKey, content_hash: email.contentHash, flags: JSON.stringify([...flags, 'bounce']) });
}

/** Puts a quarantined message back through the pipeline (after a fix, or to try again). */
export async function reprocessInboundEmail(context: AppContext, workspaceId: string, id: string): Promise<boolean> {
  const done = await inUnitOfWork(context.database.db, context.bus, async (uow) => {
    const updated = await uow.trx.updateTable('inbound_emails').set({ status: 'received', reason: null }).where('workspace_id', '=', workspaceId).where('id', '=', id).where('status', '=', 'quarantined').executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await requeueProcessing(uow.trx, { inboundEmailId: id, workspaceId, freshAttempts: true });
    return true;
  });
  context.pokeWorker();
  return done;
}

/** Jobs claimed before this were claimed by an earlier run of the process (or another node's). */
const processStartedAt = nowIso();

/**
 * At start: messages stored but not yet processed have their job queued again at once, instead of
 * waiting for the lease a crashed process held to run out. The job is the email's one job, put
 * back rather than copied, so restarts never multiply it; and should the process that held it be
 * alive after all, only one run's effect commits (see JobContext.complete and the claim below).
 */
export async function recoverUnprocessedEmails(context: AppContext): Promise<number> {
  const rows = await context.database.db.selectFrom('inbound_emails').select(['id', 'workspace_id']).where('status', '=', 'received').execute();
  if (rows.length === 0) return 0;
  await inUnitOfWork(context.database.db, context.bus, async (uow) => {
    for (const row of rows) await requeueProcessing(uow.trx, { inboundEmailId: row.id, workspaceId: row.workspace_id, claimedBefore: processStartedAt });
  });
  context.pokeWorker();
  return rows.length;
}
