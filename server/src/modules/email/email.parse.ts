import crypto from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { detectAutomatic, detectBounce, type Bounce } from './email.noise.js';
import { foldQuotedText } from './email.quote.js';

export interface EmailAddress {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  declaredType: string;
  content: Buffer;
  contentId: string | null;
  isInline: boolean;
}

export interface ParsedEmail {
  /** Message-ID without angle brackets; null when missing or malformed. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: EmailAddress | null;
  replyTo: EmailAddress | null;
  to: string[];
  cc: string[];
  subject: string;
  date: string | null;
  text: string;
  quotedText: string;
  html: string | null;
  attachments: ParsedAttachment[];
  automatic: string | null;
  bounce: Bounce | null;
  /** Same bytes of content → same hash, whatever relays added on top (Received, Delivered-To…). */
  contentHash: string;
  warnings: string[];
}

export type ParseResult = { ok: true; email: ParsedEmail } | { ok: false; reason: string; warnings: string[] };

/** A strict addr-spec: whatever a display name decodes to, only this shape becomes an address. */
const addrSpec = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normalizeAddress(value: string | undefined | null): string | null {
  const trimmed = (value ?? '').trim().toLowerCase();
  return trimmed.length <= 254 && addrSpec.test(trimmed) ? trimmed : null;
}

/** Control characters and line breaks never leave the parser, so no header or log line can be forged. */
export function oneLine(value: string, max = 998): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim().slice(0, max);
}

function firstAddress(object: AddressObject | AddressObject[] | undefined): EmailAddress | null {
  const list = Array.isArray(object) ? object : object ? [object] : [];
  for (const group of list) {
    for (const entry of group.value) {
      const address = normalizeAddress(entry.address);
      if (address) return { address, name: oneLine(entry.name ?? '', 200) };
    }
  }
  return null;
}

function allAddresses(object: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(object) ? object : object ? [object] : [];
  const found: string[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      const address = normalizeAddress(entry.address);
      if (address) found.push(address);
    }
  };
  for (const group of list) visit(group.value);
  return found;
}

const messageIdShape = /^<?([^<>\s@]{1,250}@[^<>\s@]{1,250})>?$/;

export function normalizeMessageId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = messageIdShape.exec(value.trim());
  return match ? match[1]! : null;
}

function messageIds(value: unknown): string[] {
  const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+|,/) : [];
  return values.map(normalizeMessageId).filter((id): id is string => id !== null).slice(-50);
}

function contentHashOf(raw: Buffer, mail: ParsedMail): string {
  const separator = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const body = separator >= 0 ? raw.subarray(separator).toString('latin1').replace(/\r\n/g, '\n').trim() : '';
  const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line.replace(/\r?\n/g, '') ?? '';
  return crypto.createHash('sha256').update([header('message-id'), header('from'), header('date'), header('subject'), body].join('\u0000')).digest('hex');
}

/** Quoted history in HTML gets the class the sanitizer keeps, so the agent's view can fold it. */
function markQuotedHtml(html: string): string {
  // Linear patterns only: this runs over hostile HTML of megabytes.
  return html
    .replace(/<blockquote\b[^>]*>/gi, '<blockquote class="raving-quote">')
    .replace(/class="(gmail_quote|gmail_quote_container|moz-cite-prefix|yahoo_quoted|divRplyFwdMsg)"/gi, 'class="raving-quote"')
    .replace(/class="(gmail_signature|moz-signature)"/gi, 'class="raving-signature"');
}

/** Pure: raw bytes in, a structured message and its warnings out. Never throws. */
export async function parseEmail(raw: Buffer): Promise<ParseResult> {
  const warnings: string[] = [];
  let mail: ParsedMail;
  try {
    // maxChildNodes goes through to the MIME splitter: real mail with thousands of parts must parse.
    const options = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 5_000_000, maxChildNodes: 10_000 };
    mail = await simpleParser(raw, options);
  } catch (error) {
    return { ok: false, reason: `unparseable MIME: ${oneLine(error instanceof Error ? error.message : String(error), 200)}`, warnings };
  }
  try {
    const messageId = normalizeMessageId(mail.messageId);
    if (!messageId) warnings.push(mail.messageId ? 'malformed Message-ID' : 'missing Message-ID');
    const from = firstAddress(mail.from);
    if (!from) warnings.push('missing or malformed From');
    const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null;
    if (!date) warnings.push('missing or malformed Date');
    // NUL cannot be stored as text (PostgreSQL refuses it) and means nothing in a message.
    const html = typeof mail.html === 'string' && mail.html.trim() ? markQuotedHtml(mail.html.replace(/\u0000/g, '')) : null;
    const folded = foldQuotedText((mail.text ?? '').replace(/\u0000/g, ''));
    const attachments: ParsedAttachment[] = mail.attachments.map((attachment) => ({
      filename: attachment.filename ?? '',
      declaredType: oneLine(attachment.contentType ?? 'application/octet-stream', 200).toLowerCase(),
      content: attachment.content,
      contentId: attachment.contentId ? oneLine(attachment.contentId.replace(/^<|>$/g, ''), 250) : null,
      isInline: attachment.related === true || attachment.contentDisposition === 'inline',
    }));
    return {
      ok: true,
      email: {
        messageId,
        inReplyTo: messageIds(mail.inReplyTo),
        references: messageIds(mail.references),
        from,
        replyTo: firstAddress(mail.replyTo),
        to: allAddresses(mail.to),
        cc: allAddresses(mail.cc),
        subject: oneLine(mail.subject ?? '', 500),
        date,
        text: folded.visible,
        quotedText: folded.quoted,
        html,
        attachments,
        automatic: detectAutomatic(mail.headers, from?.address ?? null),
        bounce: detectBounce(mail, attachments),
        contentHash: contentHashOf(raw, mail),
        warnings,
      },
    };
  } catch (error) {
    return { ok: false, reason: `unreadable message: ${oneLine(error instanceof Error ? error.message : String(error), 200)}`, warnings };
  }
}
