import type { Row } from '../../db/schema.js';
import { parseJson } from '../../lib/json.js';

export function presentMailbox(row: Row<'mailboxes'>) {
  return {
    id: row.id,
    address: row.address,
    name: row.name,
    teamId: row.team_id,
    hasRelay: Boolean(row.relay_url),
    hasImap: Boolean(row.imap_url),
    imapFolder: row.imap_folder,
    imapLastUid: Number(row.imap_last_uid),
    isActive: row.is_active === 1,
    createdAt: row.created_at,
  };
}

export function presentOutbound(row: Row<'outbound_emails'>) {
  const redacted = row.is_sensitive === 1;
  return {
    id: row.id,
    ticketId: row.ticket_id,
    messageId: row.message_id,
    purpose: row.purpose,
    from: row.from_address,
    fromName: row.from_name,
    to: row.to_address,
    replyTo: row.reply_to,
    subject: row.subject,
    text: redacted ? '(contains a secret link: not shown)' : row.body_text,
    html: redacted ? null : row.body_html,
    emailMessageId: row.email_message_id,
    inReplyTo: row.in_reply_to,
    references: row.references,
    isAutomatic: row.is_automatic === 1,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export function presentInbound(row: Omit<Row<'inbound_emails'>, 'raw'>) {
  return {
    id: row.id,
    mailboxId: row.mailbox_id,
    source: row.source,
    envelopeFrom: row.envelope_from,
    status: row.status,
    reason: row.reason,
    size: Number(row.size),
    emailMessageId: row.email_message_id,
    ticketId: row.ticket_id,
    messageId: row.message_id,
    flags: parseJson<string[]>(row.flags, []),
    createdAt: row.created_at,
    processedAt: row.processed_at,
  };
}
