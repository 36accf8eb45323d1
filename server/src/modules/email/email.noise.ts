import type { ParsedMail } from 'mailparser';
import type { ParsedAttachment } from './email.parse.js';

export interface Bounce {
  /** Recipients whose delivery failed for good (Action: failed). */
  failedRecipients: string[];
  status: string | null;
  /** Message-ID of the mail that bounced, from the returned headers. */
  originalMessageId: string | null;
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return '';
}

/**
 * Why a message was written by a machine (RFC 3834 and common practice), or null for a person.
 * Such mail is recorded but never answered automatically, which is what stops mail loops.
 */
export function detectAutomatic(headers: ParsedMail['headers'], fromAddress: string | null): string | null {
  const autoSubmitted = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted.slice(0, 40)}`;
  const precedence = headerText(headers.get('precedence')).trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  for (const name of ['list-id', 'list-unsubscribe', 'x-autoreply', 'x-autorespond', 'x-auto-response-suppress']) {
    if (headers.has(name)) return `${name} header`;
  }
  if (fromAddress && /^(mailer-daemon|postmaster|no-?reply)@/i.test(fromAddress)) return `sent by ${fromAddress.split('@')[0]}`;
  return null;
}

const messageIdLine = /^message-id:\s*<?([^<>\s]+@[^<>\s]+)>?\s*$/im;

export function detectBounce(mail: ParsedMail, attachments: ParsedAttachment[]): Bounce | null {
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report = attachments.find((attachment) => attachment.declaredType === 'message/delivery-status');
  const isReport = contentType?.value === 'multipart/report' && contentType.params?.['report-type']?.toLowerCase() === 'delivery-status';
  if (!isReport && !report) return null;
  // mailparser folds a message/delivery-status part into the text, so the report is read from there.
  const status = report ? report.content.toString('utf8') : (mail.text ?? '');
  const failedRecipients: string[] = [];
  for (const block of status.split(/\r?\n\s*\r?\n/)) {
    const recipient = /^final-recipient:\s*rfc822;\s*<?([^\s>]+)>?/im.exec(block)?.[1];
    const action = /^action:\s*(\S+)/im.exec(block)?.[1]?.toLowerCase();
    if (recipient && action === 'failed') failedRecipients.push(recipient.toLowerCase());
  }
  const returned = attachments.find((attachment) => attachment.declaredType === 'message/rfc822' || attachment.declaredType === 'text/rfc822-headers');
  const originalMessageId = returned ? (messageIdLine.exec(returned.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '')?.[1] ?? null) : null;
  return { failedRecipients, status: /^status:\s*(\S+)/im.exec(status)?.[1] ?? null, originalMessageId };
}
