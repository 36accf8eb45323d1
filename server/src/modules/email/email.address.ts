import crypto from 'node:crypto';

/**
 * Reply addresses carry the ticket (support+t1234.<signature>@acme.example). The signature binds
 * the number to the mailbox with the instance secret, so nobody can post into a ticket by guessing
 * its number.
 */
function signatureOf(secret: string, mailboxAddress: string, ticketNumber: number): string {
  return crypto.createHmac('sha256', secret).update(`reply:${mailboxAddress}:${ticketNumber}`).digest('hex').slice(0, 16);
}

export function replyAddressFor(secret: string, mailboxAddress: string, ticketNumber: number): string {
  const [local, domain] = mailboxAddress.split('@') as [string, string];
  return `${local}+t${ticketNumber}.${signatureOf(secret, mailboxAddress, ticketNumber)}@${domain}`;
}

/** The mailbox address without its +tag: where a recipient address is delivered. */
export function baseAddressOf(address: string): string {
  const [local = '', domain = ''] = address.toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain}`;
}

export function ticketNumberFromReplyAddress(secret: string, address: string): { mailboxAddress: string; ticketNumber: number } | null {
  const match = /^([^+@]+)\+t(\d{1,12})\.([0-9a-f]{16})@(.+)$/i.exec(address.trim());
  if (!match) return null;
  const mailboxAddress = `${match[1]!.toLowerCase()}@${match[4]!.toLowerCase()}`;
  const ticketNumber = Number(match[2]);
  const expected = Buffer.from(signatureOf(secret, mailboxAddress, ticketNumber));
  const given = Buffer.from(match[3]!.toLowerCase());
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? { mailboxAddress, ticketNumber } : null;
}
