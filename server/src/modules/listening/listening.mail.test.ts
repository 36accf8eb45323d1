import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

/** A real SMTP server standing in for the customers' and managers' mail providers. */
async function startSink(): Promise<{ port: number; raws: Buffer[]; close(): Promise<void> }> {
  const raws: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        raws.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, raws, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const publicUrl = 'https://raving.test';

describeEachDialect('listening mail over real SMTP: surveys to customers, theme alerts to managers', (dialect) => {
  let server: TestServer;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let owner: ApiClient;

  beforeAll(async () => {
    sink = await startSink();
    // Staff mail goes through the instance relay; customer mail through the mailbox's own relay.
    server = await startTestServer(dialect, { RAVING_PUBLIC_URL: publicUrl, RAVING_MAIL_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, RAVING_MAIL_FROM: 'raving@acme.example' });
    ({ owner } = await setUpWorkspace(server.url));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support', relayUrl: `smtp://127.0.0.1:${sink.port}` })).status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await sink.close();
  });

  /** Runs the jobs (the invitation, the delivery) and returns the mail the sink received to that address. */
  async function mailTo(address: string): Promise<ParsedMail[]> {
    await server.worker.drain();
    const parsed = await Promise.all(sink.raws.map((raw) => simpleParser(raw)));
    return parsed.filter((mail) => mail.to && [mail.to].flat().some((to) => to.value.some((entry) => entry.address === address)));
  }
  const page = (path: string, init?: RequestInit) => fetch(server.url + path, init).then(async (response) => ({ status: response.status, html: await response.text() }));
  const pathOf = (url: string) => url.slice(publicUrl.length);

  it('an on-demand survey arrives by email with signed rating links that only preselect; the submit records it once', async () => {
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Kettle', customer: { email: 'maya@example.com', name: 'Maya' }, message: { text: 'My kettle broke.' } });
    const sent = await owner.post('/api/v1/surveys/send', { customerId: ticket.body.customer.id, ticketId: ticket.body.id, kind: 'csat' });
    expect(sent.status).toBe(201);
    expect(sent.body.invitation.delivery).toBe('email');

    const [mail, ...more] = await mailTo('maya@example.com');
    expect(more).toHaveLength(0);
    expect(mail!.from?.value[0]).toMatchObject({ address: 'support@acme.example', name: 'Acme Support' });
    expect(mail!.subject).toBe('Acme: how did we do?');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    // An answer by reply threads into the ticket, like any reply to the ticket's mail.
    expect(mail!.replyTo?.value[0]?.address).toMatch(new RegExp(`^support\\+t${ticket.body.number}\\.[0-9a-f]{16}@acme\\.example$`));
    const links = [...mail!.text!.matchAll(/^\s+(\d): (\S+)$/gm)].map(([, score, url]) => ({ score: Number(score), url: url! }));
    expect(links.map((link) => link.score)).toEqual([1, 2, 3, 4, 5]);
    expect(links.map((link) => link.url)).toEqual(sent.body.invitation.ratingLinks.map((link: { url: string }) => link.url));
    expect(links.every((link) => link.url.startsWith(`${publicUrl}/survey/`))).toBe(true);
    // The HTML part offers the same links as a row of buttons.
    const buttons = [...String(mail!.html).matchAll(/<a href="([^"]+)"[^>]*>(\d)<\/a>/g)].map(([, url, score]) => ({ score: Number(score), url: url! }));
    expect(buttons).toEqual(links);

    // The link from the mail, followed as a scanner would: the page with 5 chosen, nothing recorded.
    const five = pathOf(links[4]!.url);
    const shown = await page(five);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('value="5" checked');
    expect((await owner.get(`/api/v1/surveys/responses?ticketId=${ticket.body.id}`)).body.items).toHaveLength(0);

    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'q1=5&feelings=cared+for&comment=Lovely+people' };
    expect((await page(five.split('?')[0]!, form)).status).toBe(200);
    expect((await page(five.split('?')[0]!, form)).status).toBe(409);
    const responses = (await owner.get(`/api/v1/surveys/responses?ticketId=${ticket.body.id}`)).body.items;
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ score: 5, feelings: ['cared for'], comment: 'Lovely people' });
    const outbox = (await owner.get(`/api/v1/email/outbox?ticketId=${ticket.body.id}`)).body.items;
    expect(outbox).toEqual([expect.objectContaining({ purpose: 'survey', status: 'sent', to: 'maya@example.com' })]);
  });

  it('the solved stage mails a survey once; a customer asked recently gets no second mail', async () => {
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Late parcel', customer: { email: 'noor@example.com' }, message: { text: 'Where is it?' } });
    await owner.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'reply', text: 'It arrives tomorrow.', status: 'solved' });
    const [mail, ...more] = await mailTo('noor@example.com');
    expect(more).toHaveLength(0);
    expect(mail!.text).toContain('How satisfied are you with the help you received?');
    const invitations = (await owner.get(`/api/v1/surveys/invitations?customerId=${ticket.body.customer.id}`)).body.items;
    expect(invitations).toEqual([expect.objectContaining({ stage: 'solved', delivery: 'email', ticketId: ticket.body.id })]);

    const again = await owner.post('/api/v1/surveys/send', { customerId: ticket.body.customer.id, kind: 'nps' });
    expect(again.body.status).toBe('throttled');
    expect(await mailTo('noor@example.com')).toHaveLength(1);
  });

  it('a customer without an address is not mailed; the invitation says so', async () => {
    const customer = await owner.post('/api/v1/customers', { name: 'Phone only', phone: '+44 20 7946 0000' });
    expect(customer.status).toBe(201);
    const sent = await owner.post('/api/v1/surveys/send', { customerId: customer.body.id, kind: 'nps' });
    expect(sent.body.invitation.delivery).toBe('no_email');
  });

  it('the Three Times Rule emails every manager and owner once, at the third distinct customer', async () => {
    await addStaff(owner, 'mona@acme.example', 'manager', 'Mona Manager');
    await addStaff(owner, 'adam@acme.example', 'agent', 'Adam Agent');
    const review = (email: string, index: number) => owner.post('/api/v1/reviews', { source: 'google', sourceId: `alert-${index}`, authorEmail: email, author: email.split('@')[0], rating: 1, text: 'The discount code does not work at all.' });
    await review('a@example.com', 1);
    await review('a@example.com', 2);
    await review('b@example.com', 3);
    const alerts = (address: string) => mailTo(address).then((mails) => mails.filter((mail) => mail.subject?.startsWith('Heard three times')));
    // One customer twice and a second one: two voices, no alert yet.
    expect(await alerts('mona@acme.example')).toHaveLength(0);
    await review('c@example.com', 4);
    await review('d@example.com', 5);
    for (const manager of ['mona@acme.example', 'owner@acme.example']) {
      const [alert, ...more] = await alerts(manager);
      expect(more).toHaveLength(0);
      expect(alert!.from?.value[0]?.address).toBe('raving@acme.example');
      expect(alert!.subject).toContain('discount code');
      expect(alert!.text).toContain('3 different customers or sources');
      expect(alert!.text).toContain(`${publicUrl}/listening/themes`);
    }
    expect(await alerts('adam@acme.example')).toHaveLength(0);
  });
});
