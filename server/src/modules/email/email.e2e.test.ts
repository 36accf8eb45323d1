import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { startEmailTestServer, startSmtpSink, waitUntil, type EmailTestServer, type SmtpSink } from './email.testing.js';

function selfSignedCertificate(): { key: string; cert: string } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-tls-'));
  const [key, cert] = [path.join(folder, 'key.pem'), path.join(folder, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  return { key, cert };
}

describeEachDialect('email end to end over real SMTP', (dialect) => {
  let server: EmailTestServer;
  let sink: SmtpSink;
  let owner: ApiClient;
  let tls: { key: string; cert: string };

  beforeAll(async () => {
    tls = selfSignedCertificate();
    sink = await startSmtpSink();
    server = await startEmailTestServer(dialect, { RAVING_SMTP_MAX_BYTES: '300000', RAVING_SMTP_TLS_KEY: tls.key, RAVING_SMTP_TLS_CERT: tls.cert });
    server.worker.start();
    ({ owner } = await setUpWorkspace(server.url));
    const mailbox = await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${sink.port}` });
    expect(mailbox.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await sink.close();
  });

  it('customer mail → ticket → agent reply over SMTP with threading headers → customer answer threads into the same ticket', async () => {
    const customer = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true });
    await customer.sendMail({ from: 'Maya Lopez <maya@example.com>', to: 'support@acme.example', subject: 'Kettle stopped working', text: 'My kettle does not heat any more.', messageId: '<first.maya@example.com>' });

    const ticket = await waitUntil(async () => (await owner.get('/api/v1/tickets')).body.items.find((item: { subject: string }) => item.subject === 'Kettle stopped working'), 20_000, 'the ticket');
    expect(ticket).toMatchObject({ channel: 'email', customer: { email: 'maya@example.com', name: 'Maya Lopez' } });

    const reply = await owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', text: 'Sorry to hear that: a new kettle is on its way.' });
    expect(reply.status).toBe(201);
    await waitUntil(async () => sink.messages.length >= 1, 20_000, 'the reply at the sink');
    expect(sink.messages[0]!.to).toEqual(['maya@example.com']);
    expect(sink.messages[0]!.from).toBe('support@acme.example');
    const delivered = await simpleParser(sink.messages[0]!.raw);
    expect(delivered.messageId).toBe(`<raving.${reply.body.message.id}@acme.example>`);
    expect(delivered.inReplyTo).toBe('<first.maya@example.com>');
    expect([delivered.references].flat()).toContain('<first.maya@example.com>');
    expect(delivered.from?.value[0]).toMatchObject({ address: 'support@acme.example', name: 'Acme Support' });
    expect(delivered.subject).toBe(`Re: Kettle stopped working [#${ticket.number}]`);
    expect(delivered.text).toContain('a new kettle is on its way');
    const replyTo = delivered.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(new RegExp(`^support\\+t${ticket.number}\\.[0-9a-f]{16}@acme\\.example$`));
    expect(delivered.headers.get('auto-submitted')).toBeUndefined();

    await customer.sendMail({ from: 'maya@example.com', to: replyTo, subject: `Re: ${delivered.subject}`, text: 'Thank you! When will it arrive?\n\nOn Monday Acme Support wrote:\n> a new kettle is on its way', inReplyTo: delivered.messageId, references: [delivered.messageId!] });
    const messages = await waitUntil(async () => {
      const list = await owner.get(`/api/v1/tickets/${ticket.id}/messages`);
      return list.body.items.length === 3 ? list.body.items : undefined;
    }, 20_000, 'the answer in the same ticket');
    expect(messages.map((message: { kind: string }) => message.kind)).toEqual(['inbound', 'outbound', 'inbound']);
    expect(messages[2].text).toBe('Thank you! When will it arrive?');
    const tickets = await owner.get('/api/v1/tickets');
    expect(tickets.body.items).toHaveLength(1);
    const outbox = await owner.get('/api/v1/email/outbox');
    expect(outbox.body.items[0]).toMatchObject({ status: 'sent', to: 'maya@example.com' });
    customer.close();
  });

  it("an agent's reply carries uploaded files to the customer as MIME attachments, each upload sent once", async () => {
    const ticket = (await owner.get('/api/v1/tickets')).body.items[0];
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 3000 }, (_, index) => index % 256))]);
    const notes = Buffer.from('Größe: 42 cm\nFarbe: grün\n');
    const uploadedPdf = await owner.post('/api/v1/email/attachments', { filename: '../../etc/Rechnung 2026.pdf', contentBase64: pdf.toString('base64') });
    expect(uploadedPdf.status).toBe(201);
    expect(uploadedPdf.body).toMatchObject({ filename: 'Rechnung 2026.pdf', contentType: 'application/pdf', size: pdf.length });
    const uploadedNotes = await owner.post('/api/v1/email/attachments', { filename: 'maße.txt', contentBase64: notes.toString('base64') });
    expect((await owner.post('/api/v1/email/attachments', { filename: 'x.bin', contentBase64: 'not base64!' })).status).toBe(400);

    const before = sink.messages.length;
    const reply = await owner.post(`/api/v1/email/tickets/${ticket.id}/replies`, { text: 'Here are the invoice and the measurements.', attachmentIds: [uploadedPdf.body.id, uploadedNotes.body.id] });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ kind: 'outbound', metadata: { email: { attachments: [{ id: uploadedPdf.body.id }, { id: uploadedNotes.body.id }] } } });
    await waitUntil(async () => sink.messages.length > before, 20_000, 'the reply with attachments at the sink');
    const delivered = await simpleParser(sink.messages.at(-1)!.raw);
    expect(delivered.text).toContain('the invoice and the measurements');
    expect(delivered.inReplyTo).toBeTruthy();
    expect(delivered.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      ['Rechnung 2026.pdf', 'application/pdf'],
      ['maße.txt', 'text/plain'],
    ]);
    expect(delivered.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(delivered.attachments[1]!.content.equals(notes)).toBe(true);

    // An upload goes out with one message only; an unknown id refuses the whole reply.
    const again = await owner.post(`/api/v1/email/tickets/${ticket.id}/replies`, { text: 'Once more.', attachmentIds: [uploadedPdf.body.id] });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].path).toBe('body.attachmentIds');
    const messagesBefore = (await owner.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items.length;
    expect((await owner.post(`/api/v1/email/tickets/${ticket.id}/replies`, { text: 'Nope.', attachmentIds: ['no-such-upload'] })).status).toBe(400);
    expect((await owner.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items).toHaveLength(messagesBefore);
    const download = await owner.get(`/api/v1/email/attachments/${uploadedNotes.body.id}`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(download.body).toBe(notes.toString('utf8'));
  });

  it('a failed delivery shows on the message and is retried with backoff until the relay takes it', async () => {
    const mailbox = (await owner.get('/api/v1/email/mailboxes')).body.items[0];
    const closed = await startSmtpSink();
    await closed.close();
    expect((await owner.patch(`/api/v1/email/mailboxes/${mailbox.id}`, { relayUrl: `smtp://127.0.0.1:${closed.port}` })).status).toBe(200);
    const ticket = (await owner.get('/api/v1/tickets')).body.items[0];
    const reply = await owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', text: 'Second answer.' });
    const failed = await waitUntil(async () => (await owner.get(`/api/v1/email/messages/${reply.body.message.id}/delivery`)).body.items.find((mail: { lastError: string | null }) => mail.lastError), 20_000, 'the failure on the message');
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    const before = sink.messages.length;
    expect((await owner.patch(`/api/v1/email/mailboxes/${mailbox.id}`, { relayUrl: `smtp://127.0.0.1:${sink.port}` })).status).toBe(200);
    await waitUntil(async () => sink.messages.length > before, 20_000, 'the retried delivery');
    // The sink has the mail as soon as the relay says 250; the outbox row is marked sent just after.
    const delivered = await waitUntil(async () => (await owner.get(`/api/v1/email/messages/${reply.body.message.id}/delivery`)).body.items.find((mail: { status: string }) => mail.status === 'sent'), 20_000, 'the delivery marked sent');
    expect(delivered).toMatchObject({ status: 'sent', lastError: null });
    expect(delivered.attempts).toBeGreaterThanOrEqual(2);
  });

  it('offers STARTTLS with the configured certificate, and refuses mail over the size limit with a 552', async () => {
    const secure = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    const info = await secure.sendMail({ from: 'tls@example.com', to: 'support@acme.example', subject: 'Over TLS', text: 'encrypted' });
    expect(info.response).toMatch(/^250/);
    await expect(secure.sendMail({ from: 'big@example.com', to: 'support@acme.example', subject: 'Too big', text: 'x'.repeat(400_000) })).rejects.toMatchObject({ responseCode: 552 });
    secure.close();
  });

  it('refuses unknown recipients with a 550 at RCPT', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true });
    await expect(transport.sendMail({ from: 'x@example.com', to: 'nobody@elsewhere.example', subject: 'hi', text: 'hi' })).rejects.toMatchObject({ responseCode: 550 });
    transport.close();
  });
});
