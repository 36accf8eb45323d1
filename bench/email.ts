import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { benchDatabase, cpuMillisecondsOf, freePort, median, row, startProcess } from './lib.js';

/**
 * Inbound email through Raving's SMTP receiver, 4 concurrent senders: the accept rate (250s per
 * second: raw message durably stored) and the end-to-end rate (parsed, routed and in a ticket),
 * beside smtp-server alone accepting the same messages in the same run; the server's CPU per email
 * of the whole, and of accepting alone (worker off), so processing is their difference.
 */
const serverScript = path.resolve('server/src/main.ts');
const bareScript = path.resolve('bench/fixtures/bare-smtp.ts');
const senders = 4;
/**
 * Messages sent before each measured round, to the reference and to Raving alike: the rate is a
 * steady state, and a fresh process pays one-time costs on its first messages (code not yet
 * optimised, modules and the sentiment model loaded on first use) that a round of a few hundred
 * messages would otherwise count as throughput.
 */
const warmUp = 200;

function customerMail(index: number): string {
  return [
    `From: Customer ${index % 500} <customer${index % 500}@example.com>`,
    'To: support@bench.example',
    `Subject: Order ${index} arrived damaged`,
    `Message-ID: <bench-${index}-${Date.now()}@example.com>`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, my order number ${index} arrived with a cracked lid. Can you send a replacement?\n\nOn Monday you wrote:\n> Your order has shipped.`,
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>Hello, my order number <b>${index}</b> arrived with a cracked lid. Can you send a replacement?</p>`,
    '--b--',
    '',
  ].join('\r\n');
}

/** Sends messages number `first` to `first + total - 1` over `senders` pooled SMTP connections; returns messages accepted per second. */
async function sendAll(port: number, total: number, first = 0): Promise<{ perSecond: number; accepted: number }> {
  const transports: Transporter[] = Array.from({ length: senders }, () => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity }));
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    transports.map(async (transport) => {
      for (;;) {
        if (next >= total) return;
        const index = first + next++;
        const info = await transport.sendMail({ envelope: { from: `customer${index % 500}@example.com`, to: ['support@bench.example'] }, raw: customerMail(index) }).catch(() => null);
        if (info && /^250/.test(info.response ?? '')) accepted++;
      }
    }),
  );
  const perSecond = total / ((performance.now() - started) / 1000);
  for (const transport of transports) transport.close();
  return { perSecond, accepted };
}

async function startBareSmtp(): Promise<{ port: number; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', bareScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.on('data', (chunk: Buffer) => /listening (\d+)/.test(chunk.toString()) && resolve(Number(/listening (\d+)/.exec(chunk.toString())![1]))));
  return { port, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

/** Server CPU per email over a round; on a loaded machine it stays comparable where the rates do not. */
const perEmail = (cpuMilliseconds: Array<number | null>, total: number) => {
  const known = cpuMilliseconds.filter((value): value is number => value !== null);
  return known.length === 0 ? 'CPU per email: n/a' : `CPU per email ${(median(known) / total).toFixed(2)} ms`;
};

const cpuSince = (pid: number | undefined, before: number | null) => {
  const after = cpuMillisecondsOf(pid);
  return before === null || after === null ? null : after - before;
};

async function signIn(url: string): Promise<{ cookie: string; csrfToken: string }> {
  const setup = await fetch(url + '/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceName: 'Bench', ownerName: 'Bench Owner', email: 'bench@bench.example', password: 'bench-password-123' }) });
  return { cookie: setup.headers.get('set-cookie')!.split(';')[0]!, csrfToken: ((await setup.json()) as { csrfToken: string }).csrfToken };
}

/**
 * Waits until no stored message waits for processing. Asked every 100 ms: each question is a
 * request the server's CPU figure includes, and at 20 ms they were a measurable share of it.
 */
async function untilProcessed(url: string, session: { cookie: string }): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/api/v1/email/inbound?status=received&limit=1`, { headers: { cookie: session.cookie } });
    if (((await response.json()) as { items: unknown[] }).items.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchEmailInbound(options: { total: number; rounds: number; dialects: Array<'sqlite' | 'postgres'> }): Promise<void> {
  console.log(`\nInbound email over SMTP (${senders} concurrent senders, ${options.total} messages per round, median of ${options.rounds} rounds)`);
  const bareRates: number[] = [];
  const bareCpu: Array<number | null> = [];
  for (let round = 0; round < options.rounds; round++) {
    const bare = await startBareSmtp();
    await sendAll(bare.port, warmUp, options.total);
    const cpuBefore = cpuMillisecondsOf(bare.pid);
    bareRates.push((await sendAll(bare.port, options.total)).perSecond);
    bareCpu.push(cpuSince(bare.pid, cpuBefore));
    bare.stop();
  }
  row('reference: smtp-server alone, accept rate', `${median(bareRates).toFixed(0)} emails/s`, perEmail(bareCpu, options.total));
  for (const dialect of options.dialects) {
    const acceptRates: number[] = [];
    const endToEndRates: number[] = [];
    const serverCpu: Array<number | null> = [];
    const acceptCpu: Array<number | null> = [];
    let lost = 0;
    for (let round = 0; round < options.rounds; round++) {
      const database = await benchDatabase(dialect);
      const smtpPort = await freePort();
      const server = await startProcess(serverScript, { ...database.environment, RAVING_SMTP_ENABLED: '1', RAVING_SMTP_PORT: String(smtpPort), RAVING_WORKER_POLL_MS: '50' });
      const session = await signIn(server.url);
      await fetch(server.url + '/api/v1/email/mailboxes', { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ address: 'support@bench.example', name: 'Bench Support' }) });
      const warm = await sendAll(smtpPort, warmUp, options.total);
      await untilProcessed(server.url, session);
      const cpuBefore = cpuMillisecondsOf(server.process.pid);
      const started = performance.now();
      const sent = await sendAll(smtpPort, options.total);
      acceptRates.push(sent.perSecond);
      await untilProcessed(server.url, session);
      endToEndRates.push(options.total / ((performance.now() - started) / 1000));
      serverCpu.push(cpuSince(server.process.pid, cpuBefore));
      // Every message is a new conversation (no threading headers), so each accepted one is one ticket.
      lost += warm.accepted + sent.accepted - (await countTickets(server.url, session));
      await server.stop();
      await database.dispose();
      acceptCpu.push(await acceptanceCpu(dialect, options.total));
    }
    row(`Raving SMTP accept (stored durably, then 250) on ${dialect}`, `${median(acceptRates).toFixed(0)} emails/s`, `worker off: server ${perEmail(acceptCpu, options.total)}`);
    row(`Raving end to end (SMTP → parsed → ticket) on ${dialect}`, `${median(endToEndRates).toFixed(0)} emails/s`, `accepted but missing: ${lost}; server ${perEmail(serverCpu, options.total)}`);
  }
}

/**
 * Server CPU of accepting `total` messages with the worker off, on a database of its own: what
 * storing a message durably and answering 250 costs, apart from processing (which, in the
 * end-to-end round, runs at the same time and so cannot be told apart by time).
 */
async function acceptanceCpu(dialect: 'sqlite' | 'postgres', total: number): Promise<number | null> {
  const database = await benchDatabase(dialect);
  const smtpPort = await freePort();
  const server = await startProcess(serverScript, { ...database.environment, RAVING_SMTP_ENABLED: '1', RAVING_SMTP_PORT: String(smtpPort), RAVING_WORKER: '0' });
  const session = await signIn(server.url);
  await fetch(server.url + '/api/v1/email/mailboxes', { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ address: 'support@bench.example', name: 'Bench Support' }) });
  await sendAll(smtpPort, warmUp, total);
  const cpuBefore = cpuMillisecondsOf(server.process.pid);
  await sendAll(smtpPort, total);
  const cpu = cpuSince(server.process.pid, cpuBefore);
  await server.stop();
  await database.dispose();
  return cpu;
}

async function countTickets(url: string, session: { cookie: string }): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${url}/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie: session.cookie } })).json()) as { items: unknown[]; nextCursor: string | null };
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
