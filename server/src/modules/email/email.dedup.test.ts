import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../events/events.js';
import { describeEachDialect } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { addMessage } from '../tickets/index.js';
import { startImapTestServer, type ImapTestServer } from './imap-test-server.js';
import { sendRaw, startEmailTestServer, startSmtpSink, waitUntil, type EmailTestServer, type SmtpSink } from './email.testing.js';

const original = ['From: Kim <kim@example.com>', 'To: support@acme.example', 'Subject: Blender leaks', 'Date: Mon, 23 Nov 2026 09:00:00 +0000', 'Message-ID: <blender.kim@example.com>', 'Content-Type: text/plain', '', 'My blender leaks from the bottom.', ''].join('\r\n');
/** The same message as different hops deliver it: each relay adds its own trace headers on top. */
const viaRelay = (hop: number) => `Received: from relay${hop}.example.net by mx.acme.example; Mon, 23 Nov 2026 09:00:0${hop} +0000\r\nDelivered-To: support@acme.example\r\n${original}`;

describeEachDialect('email deduplication and loops', (dialect) => {
  let server: EmailTestServer;
  let imap: ImapTestServer;
  let sink: SmtpSink;
  let owner: ApiClient;
  let ticketMessages: (ticketId: string) => Promise<Array<{ kind: string; text: string }>>;

  beforeAll(async () => {
    imap = await startImapTestServer('support', 'imap-password');
    sink = await startSmtpSink();
    server = await startEmailTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    const mailbox = await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${sink.port}`, imapUrl: `imap://support:imap-password@127.0.0.1:${imap.port}` });
    expect(mailbox.status).toBe(201);
    ticketMessages = async (ticketId) => (await owner.get(`/api/v1/tickets/${ticketId}/messages`)).body.items;
  });
  afterAll(async () => {
    await server.close();
    await imap.close();
    await sink.close();
  });

  it('the same message delivered five times over SMTP and IMAP is stored once; IMAP UIDs are neither re-imported nor skipped', async () => {
    for (const hop of [1, 2, 3]) await sendRaw(server.smtpPort, viaRelay(hop), { from: 'kim@example.com', to: ['support@acme.example'] });
    imap.append(viaRelay(4));
    imap.append(viaRelay(5));
    await server.pollImapNow();
    await server.worker.drain();
    const inbound = (await owner.get('/api/v1/email/inbound')).body.items;
    expect(inbound).toHaveLength(5);
    expect(inbound.map((row: { source: string }) => row.source).sort()).toEqual(['imap', 'imap', 'smtp', 'smtp', 'smtp']);
    expect(inbound.filter((row: { status: string }) => row.status === 'processed')).toHaveLength(1);
    expect(inbound.filter((row: { status: string }) => row.status === 'duplicate')).toHaveLength(4);
    const tickets = (await owner.get('/api/v1/tickets')).body.items;
    expect(tickets).toHaveLength(1);
    expect(await ticketMessages(tickets[0].id)).toHaveLength(1);

    // Polling again (as after a restart: the last UID is read back from the database) imports nothing.
    await server.pollImapNow();
    expect((await owner.get('/api/v1/email/inbound')).body.items).toHaveLength(5);
    // A new message is imported once, and only it.
    imap.append(['From: kim@example.com', 'To: support@acme.example', 'Subject: Re: Blender leaks', 'Message-ID: <second.kim@example.com>', 'In-Reply-To: <blender.kim@example.com>', 'Content-Type: text/plain', '', 'It leaks more now.', ''].join('\r\n'));
    await server.pollImapNow();
    await server.worker.drain();
    expect((await owner.get('/api/v1/email/inbound')).body.items).toHaveLength(6);
    expect((await ticketMessages(tickets[0].id)).map((message) => message.text)).toEqual(['My blender leaks from the bottom.', 'It leaks more now.']);
    const mailbox = (await owner.get('/api/v1/email/mailboxes')).body.items[0];
    expect(mailbox.imapLastUid).toBe(3);
    expect(imap.commands.filter((command) => command.startsWith('UID FETCH')).at(-1)).toMatch(/^UID FETCH 3:\*/);

    // The server's UIDVALIDITY changes (folder rebuilt): everything is fetched again, and deduplication absorbs it.
    imap.uidValidity = 2;
    await server.pollImapNow();
    await server.worker.drain();
    const after = (await owner.get('/api/v1/email/inbound')).body.items;
    expect(after).toHaveLength(9);
    expect(after.filter((row: { status: string }) => row.status === 'processed')).toHaveLength(2);
    expect(await ticketMessages(tickets[0].id)).toHaveLength(2);
  });

  it('an auto-reply to an automatic notification never produces another outbound mail', async () => {
    // An automatic acknowledgement of every customer message: the kind of rule that starts mail loops.
    server.context.bus.onAppend(async (uow, event) => {
      if (event.type !== 'message.created' || event.payload.kind !== 'inbound' || event.payload.authorType !== 'customer' || !event.ticketId) return;
      await addMessage(uow, { bus: server.context.bus, dialect: server.context.database.dialect }, event.workspaceId, systemActor, event.ticketId, { kind: 'outbound', authorType: 'system', authorId: null, text: 'We received your message and will answer soon.' });
    });
    const sentBefore = sink.messages.length;
    await sendRaw(server.smtpPort, ['From: Lee <lee@example.com>', 'To: support@acme.example', 'Subject: Toaster', 'Message-ID: <toaster.lee@example.com>', 'Content-Type: text/plain', '', 'The toaster sparks.', ''].join('\r\n'), { from: 'lee@example.com', to: ['support@acme.example'] });
    await server.worker.drain();
    await waitUntil(async () => sink.messages.length === sentBefore + 1, 10_000, 'the acknowledgement');
    const acknowledgement = await simpleParser(sink.messages.at(-1)!.raw);
    expect(acknowledgement.headers.get('auto-submitted')).toBe('auto-generated');

    // Lee's mailbox answers the acknowledgement with an out-of-office reply.
    const outOfOffice = ['From: Lee <lee@example.com>', `To: ${acknowledgement.replyTo!.value[0]!.address}`, 'Subject: Automatic reply: Toaster', 'Message-ID: <ooo.lee@example.com>', `In-Reply-To: ${acknowledgement.messageId}`, 'Auto-Submitted: auto-replied', 'Content-Type: text/plain', '', 'I am on holiday.', ''].join('\r\n');
    for (let round = 0; round < 3; round++) {
      await sendRaw(server.smtpPort, outOfOffice.replace('ooo.lee', `ooo${round}.lee`), { from: 'lee@example.com', to: ['support@acme.example'] });
      await server.worker.drain();
    }
    const ticket = (await owner.get('/api/v1/tickets')).body.items.find((item: { subject: string }) => item.subject === 'Toaster');
    const messages = await ticketMessages(ticket.id);
    expect(messages.filter((message) => message.kind === 'inbound')).toHaveLength(4);
    const outbox = (await owner.get(`/api/v1/email/outbox?ticketId=${ticket.id}`)).body.items;
    expect(outbox.filter((mail: { status: string }) => mail.status === 'sent')).toHaveLength(1);
    expect(outbox.filter((mail: { status: string }) => mail.status === 'suppressed')).toHaveLength(3);
    expect(outbox.find((mail: { status: string }) => mail.status === 'suppressed').lastError).toMatch(/automatic/);
    expect(sink.messages.length).toBe(sentBefore + 1);
  });

  it('a merge notice goes to the customer, marked automatic', async () => {
    const tickets = (await owner.get('/api/v1/tickets')).body.items;
    const blender = tickets.find((item: { subject: string }) => item.subject === 'Blender leaks');
    const toaster = tickets.find((item: { subject: string }) => item.subject === 'Toaster');
    const sentBefore = sink.messages.length;
    expect((await owner.post(`/api/v1/tickets/${blender.id}/merge`, { targetTicketId: toaster.id })).status).toBe(200);
    await server.worker.drain();
    await waitUntil(async () => sink.messages.length === sentBefore + 1, 10_000, 'the merge notice');
    const notice = await simpleParser(sink.messages.at(-1)!.raw);
    expect(sink.messages.at(-1)!.to).toEqual(['kim@example.com']);
    expect(notice.text).toContain(`#${toaster.number}`);
    expect(notice.inReplyTo).toBe('<second.kim@example.com>');
    expect(notice.headers.get('auto-submitted')).toBe('auto-generated');
  });
});
