import { z } from 'zod';
import { EmailSchema, lineText } from '../../http/schemas.js';

const RelayUrlSchema = z.string().max(500).regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://… or smtps://…');
const ImapUrlSchema = z.string().max(500).regex(/^imaps?:\/\/[^\s]+$/, 'must be imap://… or imaps://…');

export const CreateMailboxBodySchema = z
  .object({
    address: EmailSchema.refine((address) => !address.split('@')[0]!.includes('+'), 'must not contain a +tag (reply addresses use it)'),
    name: lineText(100).describe('Sender name shown to customers'),
    teamId: z.string().max(64).nullable().optional(),
    relayUrl: RelayUrlSchema.nullable().optional().describe('SMTP relay for this mailbox; falls back to RAVING_MAIL_RELAY_URL, else the outbox'),
    imapUrl: ImapUrlSchema.nullable().optional().describe('imaps://user:password@host:993 to poll this mailbox'),
    imapFolder: lineText(200).optional(),
  })
  .strict();

export const UpdateMailboxBodySchema = CreateMailboxBodySchema.omit({ address: true }).partial().extend({ isActive: z.boolean().optional() }).strict();

export const MailboxSchema = z.object({
  id: z.string(),
  address: z.string(),
  name: z.string(),
  teamId: z.string().nullable(),
  hasRelay: z.boolean(),
  hasImap: z.boolean(),
  imapFolder: z.string(),
  imapLastUid: z.number(),
  isActive: z.boolean(),
  createdAt: z.string(),
});

export const OutboundEmailSchema = z.object({
  id: z.string(),
  ticketId: z.string().nullable(),
  messageId: z.string().nullable(),
  purpose: z.string(),
  from: z.string(),
  fromName: z.string(),
  to: z.string(),
  replyTo: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  emailMessageId: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.string().nullable(),
  isAutomatic: z.boolean(),
  status: z.enum(['queued', 'sent', 'outbox', 'failed', 'suppressed', 'bounced']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const OutboxQuerySchema = z.object({
  status: z.enum(['queued', 'sent', 'outbox', 'failed', 'suppressed', 'bounced']).optional(),
  ticketId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const InboundEmailSchema = z.object({
  id: z.string(),
  mailboxId: z.string(),
  source: z.string(),
  envelopeFrom: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  size: z.number(),
  emailMessageId: z.string().nullable(),
  ticketId: z.string().nullable(),
  messageId: z.string().nullable(),
  flags: z.array(z.string()),
  createdAt: z.string(),
  processedAt: z.string().nullable(),
});

export const InboundQuerySchema = z.object({
  status: z.enum(['received', 'processed', 'duplicate', 'quarantined']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const PasswordResetRequestBodySchema = z.object({ email: z.string().max(320) }).strict();
export const PasswordResetConfirmBodySchema = z.object({ token: z.string().min(20).max(200), password: z.string().min(10, 'must be at least 10 characters').max(200) }).strict();

export const AttachmentSchema = z.object({ id: z.string(), filename: z.string(), contentType: z.string().describe('Sniffed from the content, not taken from the uploader'), size: z.number() });

/** Base64 keeps uploads in JSON (one schema, one client); the limit is the attachment limit. */
export function uploadBodySchema(maxBytes: number) {
  return z
    .object({
      filename: lineText(255).describe('Shown to the customer; never used as a file name on disk'),
      contentBase64: z
        .string()
        .min(1)
        .max(Math.ceil(maxBytes / 3) * 4)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
    })
    .strict();
}

export const EmailReplyBodySchema = z
  .object({
    text: z.string().max(200_000).optional(),
    html: z.string().max(1_000_000).optional(),
    status: z.string().max(40).optional().describe('Send and set status'),
    attachmentIds: z.array(z.string().min(1).max(64)).min(1).max(20).describe('Ids from POST /api/v1/email/attachments'),
  })
  .strict()
  .refine((body) => (body.text?.trim() ?? '') !== '' || (body.html?.trim() ?? '') !== '', { message: 'text or html is required', path: ['text'] });
