import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { Dialect } from '../../db/database.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { startEmailChannels } from './index.js';

/** Helpers for the email tests: a server with its SMTP receiver, a sender, and an SMTP sink. */
export interface EmailTestServer extends TestServer {
  smtpPort: number;
  pollImapNow(): Promise<void>;
}

export async function startEmailTestServer(dialect: Dialect, settings: Record<string, string> = {}): Promise<EmailTestServer> {
  const server = await startTestServer(dialect, { RAVING_SMTP_PORT: '0', RAVING_IMAP_POLL_MS: '3600000', ...settings });
  const channels = await startEmailChannels(server.context);
  return {
    ...server,
    smtpPort: channels.smtpPort!,
    pollImapNow: () => channels.pollImapNow(),
    close: async () => {
      await channels.stop();
      await server.close();
    },
  };
}

/** Sends one raw message over SMTP; resolves with the server's answer, rejects on a 4xx/5xx. */
export async function sendRaw(port: number, raw: string | Buffer, envelope: { from: string; to: string[] }): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMilliseconds = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface SmtpSink {
  port: number;
  messages: Array<{ from: string; to: string[]; raw: Buffer }>;
  close(): Promise<void>;
}

/** A real SMTP server standing in for the customer's mail provider. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((entry) => entry.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
