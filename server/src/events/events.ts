import { EventEmitter } from 'node:events';
import type { Insertable } from 'kysely';
import { whenDurable, type Db, type Tx } from '../db/database.js';
import { preparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { nowIso } from '../lib/ids.js';
import { parseJson } from '../lib/json.js';

export type ActorType = 'staff' | 'customer' | 'system' | 'token';

/** Who did something: recorded on every event. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

export const systemActor: Actor = { type: 'system', id: null };

export interface NewEvent {
  workspaceId: string;
  actor: Actor;
  type: string;
  subjectType: string;
  subjectId: string;
  ticketId?: string | null;
  payload?: Record<string, unknown>;
  /**
   * Staff ids an event is meant for (a notice to them): they travel in the realtime envelope, so
   * screens fetch details only for their own notices. Not stored; the payload keeps what is recorded.
   */
  recipients?: string[];
}

export interface StoredEvent {
  id: number;
  workspaceId: string;
  actor: Actor;
  type: string;
  subjectType: string;
  subjectId: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  recipients?: string[];
}

/**
 * A unit of work is one database transaction plus the events it appended. Events are published
 * to in-process listeners (realtime, caches) only after the transaction commits, so nobody hears of
 * a change that was rolled back; listeners that must be durable (webhooks, automations) run inside
 * the transaction and enqueue jobs instead.
 */
export interface UnitOfWork {
  trx: Tx;
  events: StoredEvent[];
}

// Every change appends at least one event, so the insert is prepared once (see db/prepared.ts).
const insertEvent = preparedQuery((db, row: Insertable<Database['events']>) => db.insertInto('events').values(row).returning('id'));

type InTransactionListener = (uow: UnitOfWork, event: StoredEvent) => Promise<void>;

const transactionMemos = new WeakMap<Tx, Map<string, Promise<unknown>>>();

/**
 * Reads something once per transaction: in-transaction listeners run for every event, and a ticket
 * creation appends several, so a listener that reads configuration (webhook subscriptions,
 * automation rules) reads it once per transaction rather than once per event. The memo lives and
 * dies with the transaction object, so no other transaction or node can ever see it stale; outside
 * a transaction nothing is memoised. Whoever writes what a key covers in the same transaction calls
 * `forgetInTransaction` so that later events read the change.
 */
export function readOncePerTransaction<T>(uow: UnitOfWork, key: string, read: () => Promise<T>): Promise<T> {
  if (!uow.trx.isTransaction) return read();
  const memo = transactionMemos.get(uow.trx) ?? new Map<string, Promise<unknown>>();
  transactionMemos.set(uow.trx, memo);
  const known = memo.get(key);
  if (known) return known as Promise<T>;
  const reading = read();
  memo.set(key, reading);
  // A failed read is not remembered: the caller sees the error, and a retry reads again.
  reading.catch(() => memo.get(key) === reading && memo.delete(key));
  return reading;
}

export function forgetInTransaction(uow: UnitOfWork, key: string): void {
  transactionMemos.get(uow.trx)?.delete(key);
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly inTransactionListeners: InTransactionListener[] = [];

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Runs inside the transaction that appends the event; must only write to the database. */
  onAppend(listener: InTransactionListener): void {
    this.inTransactionListeners.push(listener);
  }

  /** Runs after commit; failures are the listener's own business. */
  onCommitted(listener: (event: StoredEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async append(uow: UnitOfWork, event: NewEvent): Promise<StoredEvent> {
    const createdAt = nowIso();
    const payload = event.payload ?? {};
    const inserted = await insertEvent(uow.trx, {
      workspace_id: event.workspaceId,
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      type: event.type,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      ticket_id: event.ticketId ?? null,
      payload: JSON.stringify(payload),
      created_at: createdAt,
    });
    const stored: StoredEvent = {
      id: Number(inserted.rows[0]!.id),
      workspaceId: event.workspaceId,
      actor: event.actor,
      type: event.type,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      ticketId: event.ticketId ?? null,
      payload,
      createdAt,
      ...(event.recipients ? { recipients: event.recipients } : {}),
    };
    uow.events.push(stored);
    for (const listener of this.inTransactionListeners) await listener(uow, stored);
    return stored;
  }

  publish(events: StoredEvent[]): void {
    for (const event of events) this.emitter.emit('event', event);
  }
}

/** Opens a transaction at the boundary (route or job), passes it down, publishes events after commit. */
export async function inUnitOfWork<T>(db: Db, bus: EventBus, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const events: StoredEvent[] = [];
  const result = await db.transaction().execute((trx) => work({ trx, events }));
  // Acknowledge (and tell anyone) only once the change is on disk.
  await whenDurable(db);
  bus.publish(events);
  return result;
}

export function eventFromRow(row: {
  id: number;
  workspace_id: string;
  actor_type: string;
  actor_id: string | null;
  type: string;
  subject_type: string;
  subject_id: string;
  ticket_id: string | null;
  payload: string;
  created_at: string;
}): StoredEvent {
  return {
    id: Number(row.id),
    workspaceId: row.workspace_id,
    actor: { type: row.actor_type as ActorType, id: row.actor_id },
    type: row.type,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    ticketId: row.ticket_id,
    payload: parseJson(row.payload, {}),
    createdAt: row.created_at,
  };
}
