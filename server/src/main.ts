import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { EventBus } from './events/events.js';
import { JobRegistry } from './jobs/queue.js';
import { JobWorker } from './jobs/worker.js';
import { newSecretToken } from './lib/ids.js';
import { startChannels } from './modules/channels.js';
import { defaultDemoSize, ensureDemoWorkspace } from './modules/demo/index.js';

/** RAVING_SECRET, or one generated once and kept beside the data so restarts keep signed links valid. */
function resolveSecret(config: Config): string {
  if (config.RAVING_SECRET) return config.RAVING_SECRET;
  const file = path.join(config.RAVING_DATA_DIR, 'secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.RAVING_DATA_DIR, { recursive: true });
  const secret = newSecretToken(48);
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ ...process.env, ...(argv.includes('--demo') ? { RAVING_DEMO: '1' } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const database = openDatabase({ url: config.RAVING_DATABASE_URL, sqliteFile: path.join(config.RAVING_DATA_DIR, 'raving.db') });
  await migrateToLatest(database);
  const jobs = new JobRegistry();
  const bus = new EventBus();
  let worker: JobWorker | undefined;
  const { app, context } = await buildApp({
    context: {
      config,
      database,
      bus,
      jobs,
      secret: resolveSecret(config),
      pokeWorker: () => worker?.poke(),
      pauseWorker: async () => {
        const paused = worker;
        await paused?.stop();
        return () => paused?.start();
      },
    },
    logger: { level: config.RAVING_LOG_LEVEL },
  });
  // The demo replays its history on a simulated clock and runs its own due jobs, so it comes before the worker.
  let weekShown = 0;
  const showWeek = (share: number) => {
    const week = Math.min(12, Math.floor(share * 12) + 1);
    if (week > weekShown) console.log(`Living the demo desk's twelve weeks: week ${(weekShown = week)} of 12`);
  };
  const demo = config.RAVING_DEMO ? await ensureDemoWorkspace(app, context, defaultDemoSize, showWeek) : null;
  if (config.RAVING_WORKER) {
    worker = new JobWorker({ db: database.db, dialect: database.dialect, registry: jobs, log: app.log, pollMilliseconds: config.RAVING_WORKER_POLL_MS });
    worker.start();
  }
  const channels = await startChannels(context);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Raving is running: open http://localhost:${port}/ (API reference at /api/docs; database: ${database.dialect})`);
  if (demo) console.log(`Demo workspace ready: sign in as ${demo.email} with password ${demo.password}`);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await channels.stop();
    await app.close();
    await worker?.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
