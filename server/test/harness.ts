import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { App, AppContext } from '../src/context.js';
import { openDatabase, type DatabaseHandle, type Dialect } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { EventBus } from '../src/events/events.js';
import { JobRegistry } from '../src/jobs/queue.js';
import { JobWorker } from '../src/jobs/worker.js';
import { setUpWorkspace, type ApiClient } from './client.js';

export function testDialects(): Dialect[] {
  return (process.env.RAVING_TEST_DIALECTS ?? 'sqlite').split(',') as Dialect[];
}

/** Runs the same tests once per database. */
export function describeEachDialect(name: string, body: (dialect: Dialect) => void): void {
  for (const dialect of testDialects()) describe(`${name} [${dialect}]`, () => body(dialect));
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Environment that points a child process at the same database. */
  environment: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-test-'));
    const handle = openDatabase({ sqliteFile: path.join(directory, 'raving.db') });
    await migrateToLatest(handle);
    return {
      handle,
      environment: { RAVING_DATA_DIR: directory },
      dispose: async () => {
        await handle.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.RAVING_TEST_POSTGRES_URL!;
  const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase({ url, postgresSchema: schema });
  await migrateToLatest(handle);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-test-'));
  const schemaUrl = new URL(url);
  schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
  return {
    handle,
    environment: { RAVING_DATABASE_URL: schemaUrl.toString(), RAVING_DATA_DIR: directory },
    dispose: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface TestServer {
  url: string;
  app: App;
  context: AppContext;
  database: TestDatabase;
  worker: JobWorker;
  close(): Promise<void>;
}

/** The real HTTP server on a loopback port, over a fresh database. The worker is created but not started. */
export async function startTestServer(dialect: Dialect, settings: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  const config: Config = loadConfig({ RAVING_SMTP_PORT: '0', RAVING_LOG_LEVEL: 'silent', ...database.environment, ...settings });
  const jobs = new JobRegistry();
  let worker: JobWorker | undefined;
  const { app, context } = await buildApp({
    context: { config, database: database.handle, bus: new EventBus(), jobs, secret: 'test-secret-'.padEnd(48, 'x'), pokeWorker: () => worker?.poke() },
  });
  worker = new JobWorker({ db: database.handle.db, dialect, registry: jobs, log: app.log, pollMilliseconds: 50 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    context,
    database,
    worker,
    close: async () => {
      await worker!.stop();
      await app.close();
      await database.dispose();
    },
  };
}

export interface TestWorkspace {
  server: TestServer;
  owner: ApiClient;
  workspaceId: string;
}

/**
 * A test server with a workspace set up, started before the suite's tests and closed after them.
 * `ready` receives it once started, to keep what the tests use: `useTestWorkspace(dialect, (setup) => ({ server, owner } = setup))`.
 */
export function useTestWorkspace(dialect: Dialect, ready: (setup: TestWorkspace) => void, settings: Record<string, string> = {}): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(dialect, settings);
    ready({ server, ...(await setUpWorkspace(server.url)) });
  });
  afterAll(() => server?.close());
}
