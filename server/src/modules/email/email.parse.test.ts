import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress, parseEmail } from './email.parse.js';
import { ticketNumberFromReplyAddress, replyAddressFor } from './email.address.js';

// Pure functions: no database, so no dialect either.
describe('email parsing is pure and total', () => {
  it('never throws, whatever the bytes, and always says why when it cannot parse', async () => {
    const headerish = fc.array(fc.constantFrom('From: a@b.example\r\n', 'Content-Type: multipart/mixed; boundary=x\r\n', '--x\r\n', '\r\n', 'Content-Transfer-Encoding: base64\r\n', '=?utf-8?b?', '?=', '<', '>', '\u0000', 'Subject: ', '\r\n\r\n', '--x--'), { maxLength: 40 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)), headerish.map((text) => Buffer.from(text, 'latin1'))), async (raw) => {
        const result = await parseEmail(raw);
        if (result.ok) {
          expect(result.email.subject).not.toMatch(/[\r\n\u0000]/);
          expect(result.email.text).not.toContain('\u0000');
          if (result.email.from) expect(normalizeAddress(result.email.from.address)).toBe(result.email.from.address);
        } else expect(result.reason).toBeTruthy();
      }),
      { numRuns: 300 },
    );
  });

  it('signed reply addresses verify, and no other signature, number or mailbox does', () => {
    const secret = 's'.repeat(48);
    const address = replyAddressFor(secret, 'support@acme.example', 42);
    expect(ticketNumberFromReplyAddress(secret, address)).toEqual({ mailboxAddress: 'support@acme.example', ticketNumber: 42 });
    expect(ticketNumberFromReplyAddress(secret, address.replace('+t42.', '+t43.'))).toBeNull();
    expect(ticketNumberFromReplyAddress(secret, address.replace('@acme.example', '@other.example'))).toBeNull();
    expect(ticketNumberFromReplyAddress('t'.repeat(48), address)).toBeNull();
  });
});
