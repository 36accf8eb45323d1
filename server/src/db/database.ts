import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { GroupCommitSqliteDialect, type GroupCommitDriver } from './sqlite-group-commit.js';
import { WalSync } from './sqlite-wal-sync.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database> | Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… or undefined for SQLite. */
  url?: string;
  /** SQLite file path (ignored for PostgreSQL). */
  sqliteFile?: string;
  /** PostgreSQL schema to use, so tests can each have their own. */
  postgresSchema?: string;
}

// Count columns and sums come back as strings from pg; we parse them where read.
pg.types.setTypeParser(20, (value) => Number(value));

const groupCommitDrivers = new WeakMap<Db, GroupCommitDriver>();

/**
 * Waits until what this database committed so far is on disk. A no-op on PostgreSQL, where COMMIT
 * returns only once durable; on SQLite commits are grouped (see sqlite-group-commit.ts).
 */
export function whenDurable(db: Db): Promise<void> {
  return groupCommitDrivers.get(db)?.whenDurable() ?? Promise.resolve();
}

/**
 * Runs writes that no one is answered about before they all end (the demo desk, written before the
 * server listens) without waiting for the disk at each commit; everything is flushed before this
 * returns, even when `work` fails. A crash meanwhile may lose any of them. PostgreSQL is unchanged.
 */
export async function withoutWaitingForDisk<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const driver = groupCommitDrivers.get(db);
  await driver?.deferDurability(true);
  try {
    return await work();
  } finally {
    await driver?.deferDurability(false);
  }
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) return openPostgres(options.url, options.postgresSchema);
  return openSqlite(options.sqliteFile ?? ':memory:');
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // An acknowledged write must survive power loss, not only a process crash. FULL would fsync the
  // log inside COMMIT, blocking the event loop; on a file, WalSync does that same fsync off the
  // event loop before any write is acknowledged (see sqlite-wal-sync.ts), and NORMAL keeps
  // SQLite's own ordering syncs around checkpoints.
  const walSync = file === ':memory:' ? null : new WalSync(file);
  sqlite.pragma(walSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Each unit of work is a savepoint in the shared group-commit transaction, so every page it first
  // touches is copied to a statement journal, a temporary file by default; in memory that copy costs
  // about half as much. The statement journal only serves ROLLBACK TO within a live transaction and
  // plays no part in crash recovery (that is the WAL's), so durability is unchanged.
  sqlite.pragma('temp_store = MEMORY');
  // Table statistics let the planner prefer primary keys over the (unselective) workspace indexes;
  // 0x10002 analyses only tables whose statistics are missing or stale, so it is cheap on open.
  sqlite.pragma('optimize = 0x10002');
  const dialect = new GroupCommitSqliteDialect(sqlite, walSync);
  const db = new Kysely<Database>({ dialect });
  groupCommitDrivers.set(db, dialect.driver);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string, schema?: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
