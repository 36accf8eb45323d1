import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { EventBus, inUnitOfWork } from '../server/src/events/events.js';
import { newId, nowIso } from '../server/src/lib/ids.js';
import { recordFeedbackItems } from '../server/src/modules/feedback/index.js';
import { regroupThemes } from '../server/src/modules/themes/index.js';
import { StatementCounter } from './listener-queries.js';
import { median, percentile, postgresUrl } from './lib.js';

/**
 * Theme detection cost per feedback item (extraction + grouping + Three Times counting), measured
 * in-process against the real database code: `existingItems` synthetic items are inserted and
 * grouped by a regrouping, then `measuredItems` items are recorded one transaction each, as they
 * arrive through the API, and as many again 8 per transaction, as complaint jobs claimed together
 * run; last the full regrouping of everything is timed. run.ts calls it per dialect (`--only=themes`).
 */
/** What recording feedback items costs, measured over the same number of items one way or the other. */
export interface ThemeDetectionCost {
  /** Items per transaction: 1 as a lone API write records one; several as complaint jobs claimed together record them. */
  perTransaction: number;
  /** Extraction + grouping + counting inside the transaction, per item: what theme detection adds to a write. */
  incrementalMs: { median: number; p95: number };
  /** The same, plus the transaction's commit (a durable fsync on SQLite), per item. */
  incrementalWithCommitMs: { median: number; p95: number };
  /** Statements per item (round trips on PostgreSQL), not counting BEGIN/COMMIT: unaffected by load. */
  statementsPerItem: number;
  /** This process's CPU per item (extraction, grouping, query building, and SQLite itself): less disturbed by other work than wall time. */
  cpuMsPerItem: number;
}

export interface ThemeBenchResult {
  dialect: 'sqlite' | 'postgres';
  existingItems: number;
  themes: number;
  /** Inserting the existing items in bulk and building their themes with a first regrouping. */
  loadSeconds: number;
  /** Rebuilding every theme from all items at once (POST /api/v1/themes/regroup), themes and responses already there. */
  regroupSeconds: number;
  /** This process's CPU during the regrouping (extraction, grouping, and SQLite itself): on a loaded machine, wall time is mostly waiting for a core. */
  regroupCpuSeconds: number;
  single: ThemeDetectionCost;
  batched: ThemeDetectionCost;
}

/** A modest batch: complaint jobs claimed together come in batches of up to 32, but complaints arrive a few at a time. */
const batchSize = 8;

const topics = [
  'the checkout times out', 'timeout at checkout', 'check-out page timing out', 'the parcel arrived late', 'delivery was late again', 'the driver was rude',
  'refund took too long', 'still waiting for my refund', 'I could not log in', 'login fails every morning', 'the app crashes on start', 'password reset email never came',
  'the invoice was wrong', 'charged twice for one order', 'the box was damaged', 'missing item in my order', 'support never answered my email', 'the chat agent was lovely',
  'the size chart is misleading', 'the discount code does not work', 'tracking number is invalid', 'the product broke after a week', 'the website is very slow', 'the returns label would not print',
];
const nouns = 'account address app basket battery bill button cable card cart catalogue charger colour coupon courier delivery discount door email fabric filter form gift handle helmet invoice jacket kettle keyboard label lamp laptop lid manual menu mirror mug notification order package page parcel password payment phone photo plug printer receipt refund remote review saddle screen seat shelf shoe size sofa speaker sticker strap subscription table tablet ticket toaster tracking tray umbrella voucher wallet warranty watch wheel window zip'.split(' ');
const places = 'kitchen office garden bedroom travel spare backup outdoor kids winter summer hallway'.split(' ');
const problems = 'broken missing late wrong scratched faulty cracked loose noisy dirty expired blocked frozen stuck leaking bent'.split(' ');

export function syntheticItem(index: number): string {
  // Two in five items repeat one of the common topics; the rest form a long tail drawn at random
  // from a few thousand objects and sixteen problems, so new themes keep coming and common words
  // ("broken", "order") end up in thousands of themes, as in real feedback.
  if (index % 5 < 2) return `Hello, ${topics[index % topics.length]}. Please sort it out.`;
  const draw = (salt: number, size: number) => Math.floor(Math.abs(Math.sin(index * 12.9898 + salt * 78.233) * 43758.5453) % size);
  const thing = () => `${places[draw(1, places.length)]} ${nouns[draw(2, nouns.length)]}`;
  return `My ${thing()} is ${problems[draw(3, problems.length)]} and the ${nouns[draw(4, nouns.length)]} too.`;
}

async function openBenchDatabase(dialect: 'sqlite' | 'postgres'): Promise<{ handle: DatabaseHandle; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-bench-themes-'));
    const handle = openDatabase({ sqliteFile: path.join(directory, 'raving.db') });
    return { handle, dispose: async () => { await handle.close(); fs.rmSync(directory, { recursive: true, force: true }); } };
  }
  const schema = `bench_themes_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase({ url: postgresUrl, postgresSchema: schema });
  return {
    handle,
    dispose: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

export async function measureThemeDetection(options: { dialect?: 'sqlite' | 'postgres'; existingItems?: number; measuredItems?: number } = {}): Promise<ThemeBenchResult> {
  const dialect = options.dialect ?? 'sqlite';
  const existingItems = options.existingItems ?? 100_000;
  const measuredItems = options.measuredItems ?? 500;
  const { handle, dispose } = await openBenchDatabase(dialect);
  try {
    await migrateToLatest(handle);
    const workspaceId = newId();
    await handle.db.insertInto('workspaces').values({ id: workspaceId, name: 'Bench', slug: `bench-${workspaceId.slice(-8)}`, time_zone: 'UTC', ticket_counter: 0, settings: '{}', created_at: nowIso() }).execute();
    const counter = new StatementCounter();
    const db = handle.db.withPlugin(counter);
    const bus = new EventBus();
    const record = (uow: Parameters<Parameters<typeof inUnitOfWork>[2]>[0], indexes: number[]) =>
      recordFeedbackItems(uow, bus, indexes.map((index) => ({ workspaceId, source: 'review' as const, sourceId: `bench-${index}`, sourceKey: `customer:${index % 5000}`, text: syntheticItem(index) })));

    // The existing items are inserted in bulk and grouped by a first regrouping, which the incremental
    // path would also arrive at (the same rule), in a fraction of the time on a shared machine.
    const loadStart = performance.now();
    const createdAt = nowIso();
    const rows = Array.from({ length: existingItems }, (_, index) => ({ id: newId(), workspace_id: workspaceId, source: 'review' as const, source_id: `bench-${index}`, source_key: `customer:${index % 5000}`, customer_id: null, ticket_id: null, text: syntheticItem(index), sentiment: 0, sentiment_label: 'neutral' as const, created_at: createdAt }));
    for (let start = 0; start < rows.length; start += 500) await handle.db.insertInto('feedback_items').values(rows.slice(start, start + 500)).execute();
    await regroupThemes(handle.db, bus, workspaceId);
    const loadSeconds = (performance.now() - loadStart) / 1000;

    const summary = (values: number[]) => {
      const ordered = [...values].sort((a, b) => a - b);
      return { median: Math.round(median(values) * 100) / 100, p95: Math.round(percentile(ordered, 95) * 100) / 100 };
    };
    let next = existingItems;
    const measure = async (perTransaction: number): Promise<ThemeDetectionCost> => {
      const timings: number[] = [];
      const withCommit: number[] = [];
      counter.counts.clear();
      counter.isCounting = true;
      const cpuBefore = process.cpuUsage();
      for (let done = 0; done < measuredItems; done += perTransaction) {
        const indexes = Array.from({ length: perTransaction }, (_, offset) => next + offset);
        next += perTransaction;
        const started = performance.now();
        await inUnitOfWork(db, bus, async (uow) => {
          const inside = performance.now();
          await record(uow, indexes);
          timings.push((performance.now() - inside) / perTransaction);
        });
        withCommit.push((performance.now() - started) / perTransaction);
      }
      const cpu = process.cpuUsage(cpuBefore);
      counter.isCounting = false;
      const items = Math.ceil(measuredItems / perTransaction) * perTransaction;
      return { perTransaction, incrementalMs: summary(timings), incrementalWithCommitMs: summary(withCommit), statementsPerItem: Math.round((counter.total() / items) * 100) / 100, cpuMsPerItem: Math.round(((cpu.user + cpu.system) / 1000 / items) * 100) / 100 };
    };
    const single = await measure(1);
    const batched = await measure(batchSize);
    const regroupStart = performance.now();
    const regroupCpu = process.cpuUsage();
    await regroupThemes(handle.db, bus, workspaceId);
    const regroupSeconds = (performance.now() - regroupStart) / 1000;
    const { user, system } = process.cpuUsage(regroupCpu);
    const themes = Number((await handle.db.selectFrom('themes').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);
    return { dialect, existingItems, themes, loadSeconds: Math.round(loadSeconds * 10) / 10, regroupSeconds: Math.round(regroupSeconds * 10) / 10, regroupCpuSeconds: Math.round((user + system) / 100_000) / 10, single, batched };
  } finally {
    await dispose();
  }
}
