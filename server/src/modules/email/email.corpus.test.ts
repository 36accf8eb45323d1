import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.js';
import { setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { sendRaw, startEmailTestServer, type EmailTestServer } from './email.testing.js';

/**
 * Data-driven over corpus/*.eml: each file says what must become of it in an X-Corpus-Expect
 * header (new | thread:NN | note:NN | duplicate:NN | bounce:NN | quarantine), and X-Corpus-Note
 * may add a checkable detail, percent-encoded (text=…, subject=…, attachments=N, filename=…, customer=…).
 * Three big cases are generated here rather than committed: 1,000 recipients, a 20 MB
 * attachment and 2,000 MIME parts.
 */
const corpusFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const escapeTarget = '/tmp/raving-corpus-escape.txt';

function generatedCases(): Array<{ name: string; raw: Buffer }> {
  const head = (subject: string, extra: string[] = []) => ['X-Corpus-Expect: new', 'From: Big Sender <big@example.com>', 'To: support@acme.example', `Subject: ${subject}`, 'Date: Mon, 23 Nov 2026 10:00:00 +0000', `Message-ID: <${subject.replace(/\W/g, '')}@example.com>`, 'MIME-Version: 1.0', ...extra].join('\r\n');
  const recipients = Array.from({ length: 1000 }, (_, index) => `person${index}@example.org`).join(',\r\n ');
  const thousand = `${head('Thousand recipients', ['Content-Type: text/plain', `Cc: ${recipients}`])}\r\n\r\nTo everyone.\r\n`;
  const big = crypto.randomBytes(20 * 1024 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n');
  const twenty = `${head('Twenty megabytes', ['X-Corpus-Note: attachments=1', 'Content-Type: multipart/mixed; boundary="big"'])}\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nThe log file.\r\n--big\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="huge.log"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--big--\r\n`;
  const parts = Array.from({ length: 2000 }, (_, index) => `--many\r\nContent-Type: text/plain\r\n\r\npart ${index}\r\n`).join('');
  const many = `${head('Two thousand parts', ['X-Corpus-Note: text=part 1999', 'Content-Type: multipart/mixed; boundary="many"'])}\r\n\r\n${parts}--many--\r\n`;
  return [
    { name: '63-thousand-recipients', raw: Buffer.from(thousand) },
    { name: '64-twenty-megabyte-attachment', raw: Buffer.from(twenty) },
    { name: '65-two-thousand-mime-parts', raw: Buffer.from(many) },
  ];
}

function headerOf(raw: Buffer, name: string): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 200_000)).toString('latin1').split(/\r?\n\r?\n/)[0]!;
  return new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1]?.trim();
}

describeEachDialect('email corpus', (dialect) => {
  let server: EmailTestServer;
  let owner: ApiClient;

  beforeAll(async () => {
    fs.rmSync(escapeTarget, { force: true });
    server = await startEmailTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support' })).status).toBe(201);
  });
  afterAll(() => server.close());

  it('threads each message as expected or quarantines it with a reason; stores no executable HTML and no file outside the storage folder', { timeout: 240_000 }, async () => {
    const { db } = server.context.database;
    const cases = [
      ...fs.readdirSync(corpusFolder).filter((file) => file.endsWith('.eml')).sort().map((file) => ({ name: file.replace(/\.eml$/, ''), raw: fs.readFileSync(path.join(corpusFolder, file)) })),
      ...generatedCases(),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const results = new Map<string, { ticketId: string | null; number?: number; outboundMessageId?: string; replyTo?: string }>();
    const seenTickets = new Set<string>();

    for (const item of cases) {
      const key = item.name.slice(0, 2);
      const expectation = headerOf(item.raw, 'X-Corpus-Expect')!;
      const before = headerOf(item.raw, 'X-Corpus-Before');
      if (before?.startsWith('agent-reply:')) {
        const target = results.get(before.split(':')[1]!)!;
        const reply = await owner.post(`/api/v1/tickets/${target.ticketId}/messages`, { kind: 'reply', text: 'We are looking into it.' });
        expect(reply.status, item.name).toBe(201);
        const outbox = await owner.get(`/api/v1/email/outbox?ticketId=${target.ticketId}`);
        target.outboundMessageId = `<${outbox.body.items[0].emailMessageId}>`;
        target.replyTo = outbox.body.items[0].replyTo;
        await server.worker.drain();
      }
      let raw = item.raw;
      if (raw.includes('{{')) {
        raw = Buffer.from(
          raw.toString('latin1').replace(/\{\{([a-z-]+):(\d\d)\}\}/g, (_, kind: string, ref: string) => {
            const target = results.get(ref)!;
            return String(kind === 'ticket-number' ? target.number : kind === 'reply-address' ? target.replyTo : target.outboundMessageId);
          }),
          'latin1',
        );
      }
      const outboundBefore = (await db.selectFrom('outbound_emails').select('id').execute()).length;
      await sendRaw(server.smtpPort, raw, { from: 'sender@example.com', to: ['support@acme.example'] });
      await server.worker.drain();
      const inbound = (await owner.get('/api/v1/email/inbound?limit=1')).body.items[0];
      const [kind, ref] = expectation.split(':') as [string, string | undefined];
      const context = `${item.name}: ${JSON.stringify(inbound)}`;
      const message = inbound.messageId ? await db.selectFrom('messages').selectAll().where('id', '=', inbound.messageId).executeTakeFirst() : undefined;
      const ticket = inbound.ticketId ? await db.selectFrom('tickets').selectAll().where('id', '=', inbound.ticketId).executeTakeFirst() : undefined;
      if (kind === 'quarantine') {
        expect(inbound.status, context).toBe('quarantined');
        expect(inbound.reason, context).toBeTruthy();
      } else if (kind === 'duplicate') {
        expect(inbound.status, context).toBe('duplicate');
        expect(inbound.ticketId, context).toBe(results.get(ref!)!.ticketId);
      } else {
        expect(inbound.status, context).toBe('processed');
        if (kind === 'new') {
          expect(seenTickets.has(inbound.ticketId), context).toBe(false);
          expect(message?.kind, context).toBe('inbound');
        } else if (kind === 'thread' || kind === 'note') {
          expect(inbound.ticketId, context).toBe(results.get(ref!)!.ticketId);
          expect(message?.kind, context).toBe(kind === 'thread' ? 'inbound' : 'note');
        } else if (kind === 'bounce') {
          expect(inbound.ticketId, context).toBe(results.get(ref!)!.ticketId);
          const bounced = await db.selectFrom('outbound_emails').select(['status', 'to_address']).where('ticket_id', '=', inbound.ticketId).executeTakeFirstOrThrow();
          expect(bounced.status, context).toBe('bounced');
          expect(await db.selectFrom('suppressed_addresses').select('address').where('address', '=', bounced.to_address).executeTakeFirst(), context).toBeDefined();
        }
      }
      expect((await db.selectFrom('outbound_emails').select('id').execute()).length, `${item.name} must not send mail`).toBe(outboundBefore);
      for (const note of (headerOf(raw, 'X-Corpus-Note') ?? '').split(';')) {
        const [field, encoded] = note.split('=').map((part) => part?.trim()) as [string, string | undefined];
        const value = encoded ? decodeURIComponent(encoded) : undefined;
        if (!value) continue;
        if (field === 'text') expect(message!.body_text + (message!.body_html ?? ''), context).toContain(value);
        if (field === 'subject') expect(ticket!.subject, context).toBe(value);
        if (field === 'attachments') expect((await db.selectFrom('email_attachments').select('id').where('message_id', '=', message!.id).execute()).length, context).toBe(Number(value));
        if (field === 'filename') expect((await db.selectFrom('email_attachments').select('filename').where('message_id', '=', message!.id).execute()).map((row) => row.filename), context).toContain(value);
        if (field === 'customer') expect((await db.selectFrom('customers').select('email').where('id', '=', ticket!.customer_id).executeTakeFirstOrThrow()).email, context).toBe(value);
      }
      if (inbound.ticketId) seenTickets.add(inbound.ticketId);
      results.set(key, { ticketId: inbound.ticketId, number: ticket?.number });
      if (results.get(key) && ticket) Object.assign(results.get(key)!, { number: ticket.number });
    }

    // No stored HTML can run anything.
    const htmls = await db.selectFrom('messages').select(['body_html']).where('body_html', 'is not', null).execute();
    expect(htmls.length).toBeGreaterThan(5);
    for (const { body_html: html } of htmls) {
      expect(html!).not.toMatch(/<\s*(script|style|iframe|object|embed|form|input|button|svg|math|meta|base|link|noscript)\b/i);
      expect(html!).not.toMatch(/\son[a-z]+\s*=|javascript:|vbscript:|data:text\/html|srcdoc|style\s*=|background\s*=/i);
    }
    // Control characters never reach a subject (and so never a header of a reply).
    for (const { subject } of await db.selectFrom('tickets').select('subject').execute()) expect(subject).not.toMatch(/[\r\n\u0000]/);

    // Every stored file is inside the storage folder, named by its content hash.
    expect(fs.existsSync(escapeTarget)).toBe(false);
    const dataDir = path.resolve(server.context.config.RAVING_DATA_DIR);
    const walk = (folder: string): string[] => fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(folder, entry.name)) : [path.join(folder, entry.name)]));
    for (const file of walk(dataDir)) {
      const relative = path.relative(dataDir, file);
      expect(relative.startsWith('files/') ? /^files\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(relative) : /^raving\.db/.test(relative), relative).toBe(true);
    }
    const attachments = await db.selectFrom('email_attachments').selectAll().execute();
    expect(attachments.some((row) => row.size === 20 * 1024 * 1024)).toBe(true);
    expect(attachments.find((row) => row.filename === 'winmail.dat')?.content_type).toBe('application/ms-tnef');

    // Downloads: an allow-listed image inline, anything else as an attachment, never sniffed.
    const png = attachments.find((row) => row.content_type === 'image/png')!;
    const image = await fetch(`${server.url}/api/v1/email/attachments/${png.id}`, { headers: { cookie: (owner as unknown as { cookie: string }).cookie } });
    expect(image.headers.get('content-disposition')).toMatch(/^inline/);
    const traversal = attachments.find((row) => row.filename === 'raving-corpus-escape.txt')!;
    const download = await fetch(`${server.url}/api/v1/email/attachments/${traversal.id}`, { headers: { cookie: (owner as unknown as { cookie: string }).cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await download.text()).toContain('I want to be outside.');

    // Quarantined mail stays visible with its reason and can be put through again.
    const quarantine = await owner.get('/api/v1/email/quarantine');
    expect(quarantine.body.items.length).toBeGreaterThanOrEqual(3);
    const again = await owner.post(`/api/v1/email/quarantine/${quarantine.body.items[0].id}/reprocess`);
    expect(again.status).toBe(202);
    await server.worker.drain();
    expect((await owner.get('/api/v1/email/quarantine')).body.items.length).toBe(quarantine.body.items.length);
  });
});
