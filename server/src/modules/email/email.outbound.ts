import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../db/database.js';
import type { NewRow } from '../../db/schema.js';
import type { StoredEvent, UnitOfWork } from '../../events/events.js';
import { enqueueJob, type JobContext } from '../../jobs/queue.js';
import { addMilliseconds, newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { replyAddressFor } from './email.address.js';
import { attachmentsForDelivery } from './email.attachments.js';
import { deliverOutboundJob } from './email.jobs.js';
import { oneLine } from './email.parse.js';
import { isSuppressed } from './email.repo.js';

/** Automatic mail to one address per hour beyond this is held back: a loop breaker of last resort. */
const automaticMailPerHour = 5;

/** The mailbox a ticket's mail goes out from: the one its mail came in on, else the workspace's first. */
async function mailboxForTicket(trx: Tx, workspaceId: string, ticketId: string) {
  const inbound = await trx.selectFrom('inbound_emails').select('mailbox_id').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).orderBy('created_at', 'desc').executeTakeFirst();
  const query = trx.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceId).where('is_active', '=', 1);
  return (inbound ? await query.where('id', '=', inbound.mailbox_id).executeTakeFirst() : undefined) ?? (await query.orderBy('created_at').executeTakeFirst());
}

async function tooMuchAutomaticMail(trx: Tx, workspaceId: string, to: string, now: string): Promise<boolean> {
  const recent = await trx.selectFrom('outbound_emails').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId).where('to_address', '=', to).where('is_automatic', '=', 1).where('created_at', '>', addMilliseconds(now, -3_600_000)).executeTakeFirst();
  return Number(recent?.count ?? 0) >= automaticMailPerHour;
}

/** A new customer email's delivery state: queued to be sent, or suppressed with the reason and kept in the outbox. */
function newDelivery(status: 'queued' | 'suppressed', reason: string | null, now: string) {
  return { is_sensitive: 0, status, attempts: 0, last_error: reason, created_at: now, sent_at: null };
}

/** Enqueues an outbound email's delivery, once per email. */
async function enqueueDelivery(trx: Tx, outboundEmailId: string, workspaceId: string | null): Promise<void> {
  await enqueueJob(trx, deliverOutboundJob, { outboundEmailId }, { id: `email-out-${outboundEmailId}`, workspaceId });
}

/**
 * In the transaction that created an outbound message: render the email and enqueue its delivery,
 * so a committed reply is always sent (or kept in the outbox) and a rolled-back one never is.
 */
export async function queueReplyEmail(context: AppContext, uow: UnitOfWork, event: StoredEvent): Promise<void> {
  const { trx } = uow;
  const workspaceId = event.workspaceId;
  const message = await trx.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', event.subjectId).executeTakeFirst();
  if (!message || message.kind !== 'outbound') return;
  const ticket = await trx.selectFrom('tickets').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', message.ticket_id).executeTakeFirst();
  if (!ticket) return;
  const hasEmail = await trx.selectFrom('email_ids').select('ticket_id').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticket.id).executeTakeFirst();
  // Agents' replies on other channels are answered there; automatic mail (a rule's send_email or macro, a
  // recovery follow-up) is mail by nature and goes to the customer's address whatever the ticket's channel.
  if (ticket.channel !== 'email' && !hasEmail && message.author_type !== 'system') return;
  const mailbox = await mailboxForTicket(trx, workspaceId, ticket.id);
  const customer = await trx.selectFrom('customers').select(['email', 'name']).where('workspace_id', '=', workspaceId).where('id', '=', ticket.customer_id).executeTakeFirst();
  const lastInbound = await trx.selectFrom('messages').select('metadata').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticket.id).where('kind', '=', 'inbound').orderBy('created_at', 'desc').executeTakeFirst();
  const lastEmail = parseJson<{ email?: { replyTo?: { address: string } | null; automatic?: string | null } }>(lastInbound?.metadata ?? '{}', {}).email;
  const to = lastEmail?.replyTo?.address ?? customer?.email;
  if (!mailbox || !to) return;

  const ids = await trx.selectFrom('email_ids').select(['email_message_id', 'direction']).where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticket.id).orderBy('created_at').execute();
  const references = ids.slice(-20).map((entry) => `<${entry.email_message_id}>`);
  const lastIncoming = [...ids].reverse().find((entry) => entry.direction === 'inbound');
  const domain = mailbox.address.split('@')[1]!;
  const emailMessageId = `raving.${message.id}@${domain}`;
  const isAutomatic = message.author_type === 'system';
  const now = nowIso();

  let status: 'queued' | 'suppressed' = 'queued';
  let reason: string | null = null;
  if (await isSuppressed(trx, workspaceId, to)) [status, reason] = ['suppressed', `${to} bounced before`];
  else if (isAutomatic && lastEmail?.automatic) [status, reason] = ['suppressed', `the customer's last mail was automatic (${lastEmail.automatic}): no automatic answer to it`];
  else if (isAutomatic && (await tooMuchAutomaticMail(trx, workspaceId, to, now))) [status, reason] = ['suppressed', `more than ${automaticMailPerHour} automatic mails to ${to} within an hour`];
  const subject = /^re:/i.test(ticket.subject) ? ticket.subject : `Re: ${ticket.subject}`;
  const row: NewRow<'outbound_emails'> = {
    id: newId(),
    workspace_id: workspaceId,
    ticket_id: ticket.id,
    message_id: message.id,
    mailbox_id: mailbox.id,
    purpose: isAutomatic ? 'notification' : 'reply',
    from_address: mailbox.address,
    from_name: oneLine(mailbox.name, 200),
    to_address: to,
    reply_to: replyAddressFor(context.secret, mailbox.address, ticket.number),
    subject: oneLine(`${subject} [#${ticket.number}]`, 900),
    body_text: message.body_text,
    body_html: message.body_html,
    email_message_id: emailMessageId,
    in_reply_to: lastIncoming ? `<${lastIncoming.email_message_id}>` : null,
    references: references.length > 0 ? references.join(' ') : null,
    is_automatic: isAutomatic ? 1 : 0,
    ...newDelivery(status, reason, now),
  };
  await trx.insertInto('outbound_emails').values(row).execute();
  await trx.insertInto('email_ids').values({ workspace_id: workspaceId, email_message_id: emailMessageId, content_hash: 'outbound', ticket_id: ticket.id, message_id: message.id, direction: 'outbound', created_at: now }).onConflict((conflict) => conflict.doNothing()).execute();
  if (status === 'queued') await enqueueDelivery(trx, row.id, workspaceId);
}

/**
 * Mail to a customer that is not a ticket reply (a survey): sent from the ticket's mailbox (else the
 * workspace's first) through its relay, with the ticket's signed reply address so an answer by
 * reply lands in the ticket. Bounced addresses and the automatic-mail limit apply as for
 * notifications. Without a mailbox it goes from RAVING_MAIL_FROM.
 */
export async function queueCustomerEmail(trx: Tx, context: Pick<AppContext, 'config' | 'secret'>, input: { workspaceId: string; purpose: 'survey'; to: string; ticketId: string | null; subject: string; text: string; html?: string }): Promise<{ id: string; status: 'queued' | 'suppressed' }> {
  const { workspaceId, to } = input;
  const ticket = input.ticketId ? await trx.selectFrom('tickets').select(['id', 'number']).where('workspace_id', '=', workspaceId).where('id', '=', input.ticketId).executeTakeFirst() : undefined;
  const mailbox = ticket ? await mailboxForTicket(trx, workspaceId, ticket.id) : await trx.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceId).where('is_active', '=', 1).orderBy('created_at').executeTakeFirst();
  const now = nowIso();
  let status: 'queued' | 'suppressed' = 'queued';
  let reason: string | null = null;
  if (await isSuppressed(trx, workspaceId, to)) [status, reason] = ['suppressed', `${to} bounced before`];
  else if (await tooMuchAutomaticMail(trx, workspaceId, to, now)) [status, reason] = ['suppressed', `more than ${automaticMailPerHour} automatic mails to ${to} within an hour`];
  const from = mailbox?.address ?? context.config.RAVING_MAIL_FROM;
  const id = newId();
  await trx
    .insertInto('outbound_emails')
    .values({
      id,
      workspace_id: workspaceId,
      ticket_id: ticket?.id ?? null,
      message_id: null,
      mailbox_id: mailbox?.id ?? null,
      purpose: input.purpose,
      from_address: from,
      from_name: oneLine(mailbox?.name ?? 'Raving', 200),
      to_address: to,
      reply_to: mailbox && ticket ? replyAddressFor(context.secret, mailbox.address, ticket.number) : null,
      subject: oneLine(input.subject, 900),
      body_text: input.text,
      body_html: input.html ?? null,
      email_message_id: `raving.${id}@${from.split('@')[1]}`,
      in_reply_to: null,
      references: null,
      is_automatic: 1,
      ...newDelivery(status, reason, now),
    })
    .execute();
  if (status === 'queued') await enqueueDelivery(trx, id, workspaceId);
  return { id, status };
}

/** Mail about an account (invitation, password reset) or to staff (a notification), sent from RAVING_MAIL_FROM. */
export async function queueAccountEmail(trx: Tx, config: Config, input: { workspaceId: string | null; purpose: 'invitation' | 'password_reset' | 'notification'; to: string; subject: string; text: string; isSensitive: boolean }): Promise<string> {
  const id = newId();
  await trx
    .insertInto('outbound_emails')
    .values({
      id,
      workspace_id: input.workspaceId,
      ticket_id: null,
      message_id: null,
      mailbox_id: null,
      purpose: input.purpose,
      from_address: config.RAVING_MAIL_FROM,
      from_name: 'Raving',
      to_address: input.to,
      reply_to: null,
      subject: oneLine(input.subject, 900),
      body_text: input.text,
      body_html: null,
      email_message_id: `raving.${id}@${config.RAVING_MAIL_FROM.split('@')[1]}`,
      in_reply_to: null,
      references: null,
      is_automatic: 1,
      is_sensitive: input.isSensitive ? 1 : 0,
      status: 'queued',
      attempts: 0,
      last_error: null,
      created_at: nowIso(),
      sent_at: null,
    })
    .execute();
  await enqueueDelivery(trx, id, input.workspaceId);
  return id;
}

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

/** The delivery job: relay when one is configured, else keep the mail in the outbox. */
export async function deliverOutboundEmail(context: AppContext, job: JobContext, outboundEmailId: string): Promise<void> {
  const { db } = context.database;
  const row = await db.selectFrom('outbound_emails').selectAll().where('id', '=', outboundEmailId).executeTakeFirst();
  if (!row || row.status !== 'queued') return;
  const mailbox = row.mailbox_id ? await db.selectFrom('mailboxes').select('relay_url').where('id', '=', row.mailbox_id).executeTakeFirst() : undefined;
  const relay = mailbox?.relay_url ?? context.config.RAVING_MAIL_RELAY_URL;
  if (!relay) {
    await job.complete((trx) => trx.updateTable('outbound_emails').set({ status: 'outbox' }).where('id', '=', row.id).where('status', '=', 'queued').execute().then(() => undefined));
    return;
  }
  const attachments = await attachmentsForDelivery(db, context.config.RAVING_DATA_DIR, row.workspace_id, row.message_id);
  try {
    await transportFor(relay).sendMail({
      from: { name: row.from_name, address: row.from_address },
      to: row.to_address,
      ...(row.reply_to ? { replyTo: row.reply_to } : {}),
      subject: oneLine(row.subject),
      text: row.body_text,
      ...(row.body_html ? { html: row.body_html } : {}),
      messageId: `<${row.email_message_id}>`,
      ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
      ...(row.references ? { references: row.references } : {}),
      envelope: { from: row.from_address, to: [row.to_address] },
      headers: row.is_automatic ? { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } : {},
      attachments,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.updateTable('outbound_emails').set({ attempts: job.attempt, last_error: oneLine(message, 1000), ...(job.attempt >= (deliverOutboundJob.maxAttempts ?? 8) ? { status: 'failed' as const } : {}) }).where('id', '=', row.id).execute();
    throw error;
  }
  await job.complete((trx) =>
    trx
      .updateTable('outbound_emails')
      // A sent secret-bearing mail keeps no copy of its secret.
      .set({ status: 'sent', attempts: job.attempt, last_error: null, sent_at: nowIso(), ...(row.is_sensitive ? { body_text: '(removed after sending)', body_html: null } : {}) })
      .where('id', '=', row.id)
      // A bounce may have arrived meanwhile: it wins over the earlier "sent".
      .where('status', '=', 'queued')
      .execute()
      .then(() => undefined),
  );
}

export function closeTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
