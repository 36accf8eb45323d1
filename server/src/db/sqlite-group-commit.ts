import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type { WalSync } from './sqlite-wal-sync.js';

/**
 * Group commit for SQLite. With synchronous=FULL every COMMIT waits for the disk; committing each
 * request on its own caps throughput at the disk's flush rate. Here each logical transaction is a
 * SAVEPOINT inside one shared transaction, and the shared transaction COMMITs once the requests
 * that were ready together have run. A caller is acknowledged (`whenDurable`) only after the COMMIT
 * that contains its work, so an acknowledged write still survives a crash or power loss; a failed
 * logical transaction rolls back to its savepoint without touching the others in the batch.
 *
 * A write outside any transaction (a job claim, a lease renewal, a token's last use) joins the
 * shared transaction as well, and its caller's await resolves only after the COMMIT that contains
 * it, exactly as if it had committed on its own; on its own it would fsync while blocking the event
 * loop (measured: half the worker's claims did, costing as much as all grouped COMMITs together).
 *
 * On a database file the COMMIT itself does not wait for the disk: `WalSync` flushes the log off
 * the event loop, and the batch is resolved only after that flush (see sqlite-wal-sync.ts).
 */
class Mutex {
  private queue: Array<() => void> = [];
  private locked = false;

  async lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.locked = false;
  }
}

interface Batch {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // A batch nobody waits on must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** What the connection needs from its driver to put a write outside a transaction into the batch. */
interface WriteBatcher {
  /** True between beginTransaction and commit/rollback of a logical transaction. */
  readonly inUnit: boolean;
  /** Opens the shared transaction unless it is open already. */
  joinBatch(): void;
  /** After such a write ran (or failed): flush later and make the caller wait for that flush. */
  wroteOutsideUnit(): void;
}

class CachedConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly batcher: WriteBatcher,
  ) {}

  private prepare(sqlText: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sqlText);
    if (!statement) {
      statement = this.database.prepare(sqlText);
      // Raw one-off statements (DDL, dynamic IN lists) would otherwise grow the cache without bound.
      if (this.statements.size < 2000) this.statements.set(sqlText, statement);
    }
    return statement;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    const alone = !statement.readonly && !this.batcher.inUnit;
    if (alone) this.batcher.joinBatch();
    try {
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } finally {
      if (alone) this.batcher.wroteOutsideUnit();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used by Raving');
  }
}

export class GroupCommitDriver implements Driver, WriteBatcher {
  private readonly mutex = new Mutex();
  private readonly connection: CachedConnection;
  private batch: Batch | null = null;
  /** The last batch committed, until its flush to disk is done. */
  private flushing: Batch | null = null;
  private flushScheduled = false;
  /** Set while writes that nobody is told about are made (see deferDurability). */
  private durabilityDeferred = false;
  inUnit = false;
  /** The batch holding the current connection holder's writes made outside a transaction. */
  private awaitedOnRelease: Batch | null = null;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly walSync: WalSync | null,
  ) {
    this.connection = new CachedConnection(database, this);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    // Kysely awaits this before the query's caller resumes: a write outside a transaction is
    // answered only once durable. The connection is free meanwhile, so the flush can take it.
    const batch = this.awaitedOnRelease;
    this.awaitedOnRelease = null;
    this.mutex.unlock();
    if (batch) await batch.promise;
  }

  joinBatch(): void {
    if (this.batch) return;
    this.database.exec('BEGIN IMMEDIATE');
    this.batch = newBatch();
  }

  wroteOutsideUnit(): void {
    if (!this.batch) return;
    if (this.database.inTransaction) {
      this.awaitedOnRelease = this.batch;
      this.scheduleFlush();
    } else this.abandonBatch();
  }

  async beginTransaction(): Promise<void> {
    this.joinBatch();
    this.database.exec('SAVEPOINT raving_unit');
    this.inUnit = true;
  }

  async commitTransaction(): Promise<void> {
    this.inUnit = false;
    this.database.exec('RELEASE raving_unit');
    this.scheduleFlush();
  }

  async rollbackTransaction(): Promise<void> {
    this.inUnit = false;
    if (this.database.inTransaction) {
      this.database.exec('ROLLBACK TO raving_unit');
      this.database.exec('RELEASE raving_unit');
      this.scheduleFlush();
    } else this.abandonBatch();
  }

  /** SQLite abandoned the whole shared transaction (e.g. disk full): nobody in it is durable. */
  private abandonBatch(): void {
    const failed = this.batch;
    this.batch = null;
    failed?.reject(new Error('the database rolled back the transaction'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`SAVEPOINT "${name.replaceAll('"', '')}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`ROLLBACK TO "${name.replaceAll('"', '')}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`RELEASE "${name.replaceAll('"', '')}"`));
  }

  /** Resolves once everything committed so far is on disk. */
  whenDurable(): Promise<void> {
    return (this.batch ?? this.flushing)?.promise ?? Promise.resolve();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate lets requests that arrived in the same turn of the event loop join this batch.
    setImmediate(() => void this.flush());
  }

  async flush(): Promise<void> {
    // While the disk is still flushing the previous batch, this one keeps growing: commits come
    // no faster than the disk takes them, and each carries as much as arrived meanwhile.
    await this.walSync?.idle();
    await this.mutex.lock();
    this.flushScheduled = false;
    const batch = this.batch;
    this.batch = null;
    let committed = false;
    try {
      if (batch && this.database.inTransaction) this.database.exec('COMMIT');
      committed = true;
    } catch (error) {
      if (this.database.inTransaction) this.database.exec('ROLLBACK');
      batch?.reject(error);
    } finally {
      this.mutex.unlock();
    }
    if (committed && batch) await this.settle(batch);
  }

  /**
   * For a run of writes that no one is answered about until it ends (the demo desk is written
   * before the server listens): SQLite stops waiting for the disk meanwhile; turning it back on
   * flushes everything written so far before it returns.
   */
  async deferDurability(deferred: boolean): Promise<void> {
    // The safety level cannot change inside a transaction: commit the open batch first.
    for (;;) {
      await this.flush();
      await this.mutex.lock();
      if (!this.database.inTransaction) break;
      this.mutex.unlock();
    }
    try {
      this.database.pragma(deferred ? 'synchronous = OFF' : this.walSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
      this.durabilityDeferred = deferred;
    } finally {
      this.mutex.unlock();
    }
    if (!deferred) await this.walSync?.sync();
  }

  /** Resolves a committed batch once it is on disk (at once where COMMIT itself waited for the disk). */
  private async settle(batch: Batch): Promise<void> {
    if (!this.walSync || this.durabilityDeferred) return batch.resolve();
    this.flushing = batch;
    try {
      await this.walSync.sync();
      batch.resolve();
    } catch (error) {
      batch.reject(error);
    } finally {
      if (this.flushing === batch) this.flushing = null;
    }
  }

  async destroy(): Promise<void> {
    await this.flush();
    await this.walSync?.close();
    this.database.close();
  }
}

export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly driver: GroupCommitDriver;

  constructor(database: BetterSqlite3.Database, walSync: WalSync | null) {
    super({ database });
    this.driver = new GroupCommitDriver(database, walSync);
  }

  override createDriver(): Driver {
    return this.driver;
  }
}
