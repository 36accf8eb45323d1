import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../../test/harness.js';
import { setUpWorkspace } from '../../../test/client.js';
import { sendRaw, waitUntil } from './email.testing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The real server, as `npm start` runs it, in one child process (no tsx wrapper) that we SIGKILL. */
async function startServerProcess(environment: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Raving is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return child;
}

function burstMessage(index: number): string {
  return [`From: Burst Customer ${index} <burst${index}@example.com>`, 'To: support@acme.example', `Subject: Burst ${index}`, `Message-ID: <burst-${index}@example.com>`, 'Date: Mon, 23 Nov 2026 10:00:00 +0000', 'Content-Type: text/plain', '', `burst-${index}-body`, ''].join('\r\n');
}

describeEachDialect('email durability', (dialect) => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await database.dispose();
  });

  it('SIGKILL during a burst of 300 SMTP deliveries: after restart every message that got 250 is in a ticket exactly once', { timeout: 240_000 }, async () => {
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const environment = { ...database.environment, PORT: String(httpPort), HOST: '127.0.0.1', RAVING_SMTP_PORT: String(smtpPort), RAVING_LOG_LEVEL: 'silent', RAVING_SECRET: 'durability-secret-'.padEnd(48, 'y'), RAVING_WORKER_POLL_MS: '50', RAVING_IMAP_POLL_MS: '3600000' };
    child = await startServerProcess(environment);
    const { owner } = await setUpWorkspace(`http://127.0.0.1:${httpPort}`);
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support' })).status).toBe(201);

    const accepted = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < 300) {
        const index = next++;
        try {
          const response = await sendRaw(smtpPort, burstMessage(index), { from: `burst${index}@example.com`, to: ['support@acme.example'] });
          if (/^250/.test(response)) accepted.add(index);
        } catch {
          // refused or cut off: the sender keeps the message and would retry later
        }
        if (!killed && accepted.size >= 120) {
          killed = true;
          child!.kill('SIGKILL');
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    expect(killed).toBe(true);
    expect(accepted.size).toBeGreaterThanOrEqual(120);
    expect(accepted.size).toBeLessThan(300);

    child = await startServerProcess(environment);
    const { db } = database.handle;
    await waitUntil(async () => (await db.selectFrom('inbound_emails').select('id').where('status', '=', 'received').execute()).length === 0, 120_000, 'every stored message processed');
    const messages = await db.selectFrom('messages').select('body_text').where('kind', '=', 'inbound').execute();
    const counts = new Map<number, number>();
    for (const message of messages) {
      const index = Number(/^burst-(\d+)-body/.exec(message.body_text)?.[1]);
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    for (const index of accepted) expect(counts.get(index), `burst ${index}`).toBe(1);
    // Messages stored but cut off before their 250 may be there too, but never twice.
    for (const [index, count] of counts) expect(count, `burst ${index}`).toBe(1);
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;
  });
});
