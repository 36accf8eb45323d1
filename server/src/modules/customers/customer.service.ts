import { sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { findCustomerByEmail, indexCustomer, insertCustomer, presentCustomer, requireCustomer, requireOrganization, type CustomerRow } from './customer.repo.js';

interface Services {
  bus: EventBus;
  dialect: Dialect;
}

export interface CustomerInput {
  name: string;
  email?: string;
  phone?: string;
  organizationId?: string;
  lifetimeValue?: number;
  customFields?: Record<string, unknown>;
}

/**
 * Serialises work on one address in one workspace. On PostgreSQL two transactions could each find
 * no customer for an address and both create one (concurrent tickets from a new sender made
 * duplicates); SQLite runs one writer at a time already.
 */
async function lockEmail(uow: UnitOfWork, dialect: Dialect, workspaceId: string, email: string): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-email:${workspaceId}:${email.toLowerCase()}`}, 0))`.execute(uow.trx);
}

export async function createCustomer(uow: UnitOfWork, services: Services, workspaceId: string, actor: Actor, input: CustomerInput) {
  if (input.email) await lockEmail(uow, services.dialect, workspaceId, input.email);
  if (input.email && (await findCustomerByEmail(uow.trx, workspaceId, input.email))) {
    throw new DomainError('conflict', `A customer with the email ${input.email} exists already.`, [{ path: 'body.email', message: 'is taken' }]);
  }
  if (input.organizationId) await requireOrganization(uow.trx, workspaceId, input.organizationId);
  return insertCustomerWithEvent(uow, services, workspaceId, actor, input);
}

/** The caller has made sure the address is free (and holds its lock on PostgreSQL). */
async function insertCustomerWithEvent(uow: UnitOfWork, services: Services, workspaceId: string, actor: Actor, input: CustomerInput) {
  const row = await insertCustomer(uow.trx, services.dialect, { workspaceId, ...input });
  await services.bus.append(uow, { workspaceId, actor, type: 'customer.created', subjectType: 'customer', subjectId: row.id, payload: { name: row.name, email: row.email } });
  return row;
}

/** Finds the customer for an address, creating one named after it when the address is new. */
export async function findOrCreateCustomerByEmail(uow: UnitOfWork, services: Services, workspaceId: string, actor: Actor, input: { email: string; name?: string }): Promise<CustomerRow> {
  await lockEmail(uow, services.dialect, workspaceId, input.email);
  const existing = await findCustomerByEmail(uow.trx, workspaceId, input.email);
  if (existing) return existing;
  // Every new ticket from a new address comes through here: the lookup above already proved the
  // address free, so it is not locked and looked up a second time.
  return insertCustomerWithEvent(uow, services, workspaceId, actor, { name: input.name?.trim() || input.email.split('@')[0]!, email: input.email });
}

export async function updateCustomer(
  uow: UnitOfWork,
  services: Services,
  workspaceId: string,
  actor: Actor,
  id: string,
  changes: { name?: string; email?: string | null; phone?: string | null; organizationId?: string | null; lifetimeValue?: number; customFields?: Record<string, unknown> },
) {
  const current = await requireCustomer(uow.trx, workspaceId, id);
  if (changes.email && changes.email !== current.email) {
    await lockEmail(uow, services.dialect, workspaceId, changes.email);
    const other = await findCustomerByEmail(uow.trx, workspaceId, changes.email);
    if (other && other.id !== id) throw new DomainError('conflict', `Another customer has the email ${changes.email}; merge them instead.`, [{ path: 'body.email', message: 'is taken' }]);
  }
  if (changes.organizationId) await requireOrganization(uow.trx, workspaceId, changes.organizationId);
  const next: CustomerRow = {
    ...current,
    name: changes.name ?? current.name,
    email: changes.email === undefined ? current.email : changes.email,
    phone: changes.phone === undefined ? current.phone : changes.phone,
    organization_id: changes.organizationId === undefined ? current.organization_id : changes.organizationId,
    lifetime_value: changes.lifetimeValue ?? current.lifetime_value,
    custom_fields: changes.customFields ? JSON.stringify({ ...parseJson(current.custom_fields, {}), ...changes.customFields }) : current.custom_fields,
    updated_at: nowIso(),
  };
  await uow.trx.updateTable('customers').set(next).where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
  await indexCustomer(uow.trx, services.dialect, next);
  await services.bus.append(uow, { workspaceId, actor, type: 'customer.updated', subjectType: 'customer', subjectId: id, payload: { changes } });
  return next;
}

/** Moves the duplicate's tickets to the survivor and leaves the duplicate as a pointer to it. */
export async function mergeCustomers(uow: UnitOfWork, services: Services, workspaceId: string, actor: Actor, survivorId: string, duplicateId: string) {
  if (survivorId === duplicateId) throw new DomainError('validation_failed', 'A customer cannot be merged into itself.', [{ path: 'body.sourceCustomerId', message: 'is the same customer' }]);
  // Two opposite merges at once would each see the other unmerged and make a cycle on PostgreSQL.
  if (services.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-merge:${workspaceId}`}, 0))`.execute(uow.trx);
  const survivor = await requireCustomer(uow.trx, workspaceId, survivorId);
  const duplicate = await requireCustomer(uow.trx, workspaceId, duplicateId);
  if (survivor.merged_into_id || duplicate.merged_into_id) throw new DomainError('invalid_state', 'One of these customers was already merged into another.');
  const now = nowIso();
  const moved = await uow.trx.updateTable('tickets').set({ customer_id: survivor.id, updated_at: now }).where('workspace_id', '=', workspaceId).where('customer_id', '=', duplicate.id).executeTakeFirst();
  const survivorChanges = {
    email: survivor.email ?? duplicate.email,
    phone: survivor.phone ?? duplicate.phone,
    organization_id: survivor.organization_id ?? duplicate.organization_id,
    lifetime_value: Number(survivor.lifetime_value) + Number(duplicate.lifetime_value),
    custom_fields: JSON.stringify({ ...parseJson(duplicate.custom_fields, {}), ...parseJson(survivor.custom_fields, {}) }),
    updated_at: now,
  };
  await uow.trx.updateTable('customers').set({ merged_into_id: survivor.id, updated_at: now, ...(survivor.email ? {} : { email: null }) }).where('id', '=', duplicate.id).execute();
  await uow.trx.updateTable('customers').set(survivorChanges).where('id', '=', survivor.id).execute();
  await indexCustomer(uow.trx, services.dialect, { ...survivor, ...survivorChanges });
  await services.bus.append(uow, {
    workspaceId,
    actor,
    type: 'customer.merged',
    subjectType: 'customer',
    subjectId: survivor.id,
    payload: { duplicateId: duplicate.id, duplicateEmail: duplicate.email, ticketsMoved: Number(moved.numUpdatedRows) },
  });
  return presentCustomer({ ...survivor, ...survivorChanges });
}
