import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from './sqlite-group-commit.js';
import { WalSync } from './sqlite-wal-sync.js';

/** The real fsync, held back until the test opens the gate, and the files it was asked to flush. */
class GatedWalSync extends WalSync {
  flushed: number[] = [];
  failNext: Error | null = null;
  private open = () => {};
  private gate = Promise.resolve();

  hold(): void {
    this.gate = new Promise<void>((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  protected override async flushFile(descriptor: number): Promise<void> {
    await this.gate;
    this.flushed.push(fs.fstatSync(descriptor).ino);
    if (this.failNext) throw this.failNext;
    return super.flushFile(descriptor);
  }
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function openFile(file: string, walSync: WalSync) {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const dialect = new GroupCommitSqliteDialect(sqlite, walSync);
  return { db: new Kysely<{ notes: { id: number; body: string } }>({ dialect }), driver: dialect.driver };
}

function databaseFile(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-wal-'));
  folders.push(folder);
  return path.join(folder, 'raving.db');
}

const settledWithin = (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => true, () => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('SQLite log flushed off the event loop', () => {
  it('acknowledges a committed write only after its log is flushed to disk', async () => {
    const file = databaseFile();
    const walSync = new GatedWalSync(file);
    const { db, driver } = openFile(file, walSync);
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`.execute(db);
    walSync.hold();
    const write = db.transaction().execute((trx) => trx.insertInto('notes').values({ id: 1, body: 'kept' }).execute()).then(() => driver.whenDurable());
    expect(await settledWithin(write, 200)).toBe(false);
    walSync.release();
    await write;
    expect(walSync.flushed).toContain(fs.statSync(`${file}-wal`).ino);
    await db.destroy();
  });

  it('flushes the new log after SQLite replaced the old one', async () => {
    const file = databaseFile();
    const walSync = new GatedWalSync(file);
    const first = openFile(file, walSync);
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`.execute(first.db);
    await first.driver.whenDurable();
    const oldLog = fs.statSync(`${file}-wal`).ino;
    // Closing the last connection checkpoints and deletes the log; the next connection makes a new one.
    (first.driver as unknown as { database: BetterSqlite3.Database }).database.close();
    const second = openFile(file, walSync);
    await second.db.insertInto('notes').values({ id: 2, body: 'after' }).execute();
    const newLog = fs.statSync(`${file}-wal`).ino;
    expect(walSync.flushed.at(-1)).toBe(newLog);
    expect(walSync.flushed).toContain(oldLog);
    await second.db.destroy();
  });

  it('after a failed flush, refuses to call any later write durable', async () => {
    const file = databaseFile();
    const walSync = new GatedWalSync(file);
    const { db } = openFile(file, walSync);
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`.execute(db);
    walSync.failNext = new Error('EIO: i/o error, fsync');
    await expect(db.insertInto('notes').values({ id: 1, body: 'lost?' }).execute()).rejects.toThrow('EIO');
    walSync.failNext = null;
    await expect(db.insertInto('notes').values({ id: 2, body: 'later' }).execute()).rejects.toThrow('EIO');
  });

  it('writes nobody is answered about skip the disk until that stretch ends, which flushes them', async () => {
    const file = databaseFile();
    const walSync = new GatedWalSync(file);
    const { db, driver } = openFile(file, walSync);
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`.execute(db);
    await driver.deferDurability(true);
    walSync.hold();
    await db.insertInto('notes').values({ id: 1, body: 'demo' }).execute();
    const ended = driver.deferDurability(false);
    expect(await settledWithin(ended, 200)).toBe(false);
    walSync.release();
    await ended;
    expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]!.synchronous).toBe(1);
    await db.destroy();
  });
});
