import type { Db, Dialect, Tx } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { loadEmpowermentSettings } from '../empowerment-settings/index.js';
import { requireTicket } from '../tickets/index.js';
import { findCustomerValue, findServiceCosts, upsertCustomerValue, type CustomerValueInput } from './value.repo.js';
import { recomputeTiers } from './tiers.js';
import type { CustomerValue } from './value.schema.js';

export interface ValueServices {
  bus: EventBus;
  dialect: Dialect;
}

export async function setCustomerValue(uow: UnitOfWork, services: ValueServices, workspaceId: string, actor: Actor, customerId: string, input: CustomerValueInput): Promise<void> {
  const customer = await requireCustomer(uow.trx, workspaceId, customerId);
  if (customer.merged_into_id) throw new DomainError('invalid_state', 'This customer was merged into another; set the value on that one.');
  await upsertCustomerValue(uow.trx, workspaceId, customerId, input, 'api');
  await services.bus.append(uow, { workspaceId, actor, type: 'customer.value_changed', subjectType: 'customer', subjectId: customerId, payload: { ...input, lifetimeValue: input.revenueToDate + input.expectedFutureValue, source: 'api' } });
  await recomputeTiers(uow, services.bus, workspaceId, actor);
}

export async function describeCustomerValue(trx: Tx | Db, workspaceId: string, customerId: string): Promise<CustomerValue> {
  const customer = await requireCustomer(trx, workspaceId, customerId);
  const value = await findCustomerValue(trx, workspaceId, customerId);
  const settings = await loadEmpowermentSettings(trx, workspaceId);
  const costs = (await findServiceCosts(trx, workspaceId, [customerId])).get(customerId)!;
  const handleCost = roundMoney((costs.handleSeconds / 3600) * settings.hourlyCost);
  return {
    customerId,
    revenueToDate: Number(value?.revenue_to_date ?? 0),
    orders: Number(value?.orders ?? 0),
    expectedFutureValue: Number(value?.expected_future_value ?? 0),
    lifetimeValue: Number(customer.lifetime_value),
    tier: customer.tier,
    handleSeconds: costs.handleSeconds,
    handleCost,
    remediesGranted: roundMoney(costs.remediesGranted),
    costToServe: roundMoney(handleCost + costs.remediesGranted),
    source: value?.source ?? null,
    updatedAt: value?.updated_at ?? null,
  };
}

export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Finished handle time only: a running timer counts once it stops. */
export async function recordHandleTime(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, staffId: string, ticketId: string, input: { seconds: number } | { action: 'start' | 'stop' }) {
  const ticket = await requireTicket(uow.trx, workspaceId, ticketId);
  const running = uow.trx.selectFrom('handle_time_entries').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).where('staff_id', '=', staffId).where('stopped_at', 'is', null);
  const now = nowIso();
  let recorded: number | null = null;
  if ('seconds' in input) {
    recorded = input.seconds;
    await uow.trx.insertInto('handle_time_entries').values({ id: newId(), workspace_id: workspaceId, ticket_id: ticketId, customer_id: ticket.customer_id, staff_id: staffId, seconds: input.seconds, started_at: new Date(Date.now() - input.seconds * 1000).toISOString(), stopped_at: now, created_at: now }).execute();
  } else if (input.action === 'start') {
    // Starting twice is harmless: the timer that runs keeps running.
    if (!(await running.select('id').executeTakeFirst())) {
      await uow.trx.insertInto('handle_time_entries').values({ id: newId(), workspace_id: workspaceId, ticket_id: ticketId, customer_id: ticket.customer_id, staff_id: staffId, seconds: null, started_at: now, stopped_at: null, created_at: now }).execute();
    }
  } else {
    const entry = await running.executeTakeFirst();
    if (!entry) throw new DomainError('invalid_state', 'No timer is running for you on this ticket.');
    // A timer left running overnight is capped at a working day rather than billed in full.
    recorded = Math.min(86_400, Math.max(1, Math.round((Date.parse(now) - Date.parse(entry.started_at)) / 1000)));
    await uow.trx.updateTable('handle_time_entries').set({ seconds: recorded, stopped_at: now }).where('id', '=', entry.id).execute();
  }
  if (recorded !== null) {
    await bus.append(uow, { workspaceId, actor, type: 'ticket.handle_time_recorded', subjectType: 'ticket', subjectId: ticketId, ticketId, payload: { staffId, seconds: recorded, customerId: ticket.customer_id } });
  }
  const isRunning = Boolean(await running.select('id').executeTakeFirst());
  const total = await uow.trx
    .selectFrom('handle_time_entries')
    .select((eb) => eb.fn.sum<number>('seconds').as('seconds'))
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', ticketId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return { ticketId, staffId, isRunning, recordedSeconds: Number(total?.seconds ?? 0) };
}
