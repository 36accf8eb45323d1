import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventBus, forgetInTransaction, inUnitOfWork, readOncePerTransaction, type UnitOfWork } from '../src/events/events.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './harness.js';

/** A per-transaction memo must never outlive its transaction: otherwise another node's change could be missed. */
describeEachDialect('readOncePerTransaction', (dialect) => {
  let database: TestDatabase;
  const bus = new EventBus();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.dispose());

  /** Counts the workspaces; each call of the reader is one real query. */
  function countingReader() {
    let reads = 0;
    const read = (uow: UnitOfWork) =>
      readOncePerTransaction(uow, 'workspaces', async () => {
        reads++;
        return (await uow.trx.selectFrom('workspaces').select('id').execute()).length;
      });
    return { read, reads: () => reads };
  }

  it('reads once within a transaction, again in the next one and after being forgotten', async () => {
    const reader = countingReader();
    await inUnitOfWork(database.handle.db, bus, async (uow) => {
      expect(await reader.read(uow)).toBe(await reader.read(uow));
      expect(reader.reads()).toBe(1);
      forgetInTransaction(uow, 'workspaces');
      await reader.read(uow);
      expect(reader.reads()).toBe(2);
    });
    await inUnitOfWork(database.handle.db, bus, (uow) => reader.read(uow));
    expect(reader.reads()).toBe(3);
  });

  it('memoises nothing outside a transaction, and forgets a failed read', async () => {
    const reader = countingReader();
    const bare: UnitOfWork = { trx: database.handle.db, events: [] };
    await reader.read(bare);
    await reader.read(bare);
    expect(reader.reads()).toBe(2);

    let attempts = 0;
    await inUnitOfWork(database.handle.db, bus, async (uow) => {
      const failing = () => readOncePerTransaction(uow, 'flaky', async () => (++attempts === 1 ? Promise.reject(new Error('first read fails')) : 'second read'));
      await expect(failing()).rejects.toThrow('first read fails');
      expect(await failing()).toBe('second read');
    });
  });
});
