import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes committed WAL frames durable without blocking the event loop. With synchronous=FULL,
 * SQLite fsyncs the WAL inside COMMIT, on the JavaScript thread: no request is parsed, no query
 * runs while the disk flushes (measured: a tenth of the wall time of a ticket-creation burst went
 * to COMMIT, 3–14 ms each on a busy disk). The connection therefore runs with synchronous=NORMAL,
 * where COMMIT only writes the frames and SQLite keeps its own ordering fsyncs (the WAL before a
 * checkpoint, the database after it, the WAL header when the log restarts), and this class does the
 * fsync that FULL would have done, on libuv's thread pool, before anyone is told the write is
 * durable. Commits that finish while a flush is under way share the next one, as in PostgreSQL's
 * WAL writer. An fsync that fails leaves nothing we can promise, so every later flush fails too.
 */
export class WalSync {
  private descriptor: number | null = null;
  private waiting: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  private running: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(private readonly databaseFile: string) {}

  /** Resolves once every frame committed before the call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.running ??= this.drain();
    return done;
  }

  /** Resolves when no flush is under way (at once if none is). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Waits for flushes under way, then lets go of the file. */
  async close(): Promise<void> {
    await this.idle();
    if (this.descriptor !== null) fs.closeSync(this.descriptor);
    this.descriptor = null;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.flushOnce();
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        this.failure = error;
        for (const waiter of [...batch, ...this.waiting]) waiter.reject(error);
        this.waiting = [];
      }
    }
    this.running = null;
  }

  private async flushOnce(): Promise<void> {
    const descriptor = this.openLog();
    // No log: SQLite checkpointed and removed it, so every committed frame is in the synced database file.
    if (descriptor === null) return;
    await this.flushFile(descriptor);
  }

  protected flushFile(descriptor: number): Promise<void> {
    return new Promise<void>((resolve, reject) => fs.fsync(descriptor, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * The -wal file, opened once and again if SQLite replaced it (it deletes the log when the last
   * connection closes). A new log's directory entry is flushed too, as SQLite does when it creates one.
   */
  private openLog(): number | null {
    if (this.descriptor !== null && fs.fstatSync(this.descriptor).nlink > 0) return this.descriptor;
    if (this.descriptor !== null) fs.closeSync(this.descriptor);
    this.descriptor = null;
    try {
      this.descriptor = fs.openSync(`${this.databaseFile}-wal`, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const directory = fs.openSync(path.dirname(this.databaseFile), 'r');
    try {
      fs.fsyncSync(directory);
    } finally {
      fs.closeSync(directory);
    }
    return this.descriptor;
  }
}
