import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, setUpWorkspace } from './client.js';
import { freePort, repositoryRoot, startChildServer, type ChildServer } from './child-server.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './harness.js';

/** The command a newcomer copies from the README's quick start (minus `npm install`, done already). */
function readmeStartCommand(): string[] {
  const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
  const quickStart = readme.split(/^## /m).find((section) => section.startsWith('Quick start'));
  if (!quickStart) throw new Error('README.md has no "## Quick start" section');
  const block = quickStart.match(/```sh\n([\s\S]*?)```/)?.[1];
  const line = block?.split('\n').find((candidate) => candidate.includes('npm start'));
  if (!line) throw new Error('README.md\'s quick start shows no `npm start` command');
  const start = line.split('&&').map((part) => part.trim()).find((part) => part.startsWith('npm start'))!;
  return start.split(/\s+/);
}

/**
 * The README's real start command on an empty data folder (SQLite), and with RAVING_DATABASE_URL
 * as its PostgreSQL section says: setup over HTTP, a ticket through the API, found by search.
 */
describeEachDialect("the README's start command", (dialect) => {
  let database: TestDatabase | undefined;
  let server: ChildServer | undefined;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-readme-'));
    if (dialect === 'postgres') database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database?.dispose();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('starts on an empty data folder, completes setup, creates a ticket and finds it by search', { timeout: 120_000 }, async () => {
    const [command, ...args] = readmeStartCommand();
    expect(command).toBe('npm');
    const environment: Record<string, string> = dialect === 'postgres' ? { ...database!.environment, RAVING_DATA_DIR: dataDirectory } : { RAVING_DATA_DIR: dataDirectory, RAVING_DATABASE_URL: '' };
    server = await startChildServer({ command: command!, args, environment, port: await freePort(), timeoutMilliseconds: 90_000 });
    expect(server.output()).toContain('Raving is running');

    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get('/api/v1/setup')).body).toEqual({ setupNeeded: true });
    const { owner } = await setUpWorkspace(server.url, 'Readme Desk', 'owner@readme.example');
    expect((await anonymous.get('/api/v1/setup')).body).toEqual({ setupNeeded: false });
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Espresso machine hisses', customer: { email: 'ines@example.com', name: 'Inès Duarte' }, message: { text: 'The steam wand whistles constantly' } });
    expect(ticket.status).toBe(201);
    const bySubject = await owner.get('/api/v1/search?q=espresso');
    expect(bySubject.body.items.map((hit: { ticketId: string }) => hit.ticketId)).toContain(ticket.body.id);
    const byMessage = await owner.get('/api/v1/search?q=steam%20wand');
    expect(byMessage.body.items.some((hit: { kind: string; ticketId: string }) => hit.kind === 'message' && hit.ticketId === ticket.body.id)).toBe(true);
    const byCustomer = await owner.get('/api/v1/search?q=duarte&kind=customer');
    expect(byCustomer.body.items).toHaveLength(1);
    expect((await anonymous.get('/api/openapi.json')).status).toBe(200);
    // "Open the address it prints": the web app answers there.
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');

    await server.stop('SIGTERM');
    server = undefined;
    if (dialect === 'sqlite') expect(fs.existsSync(path.join(dataDirectory, 'raving.db'))).toBe(true);
    expect(fs.existsSync(path.join(dataDirectory, 'secret'))).toBe(true);
  });
});
