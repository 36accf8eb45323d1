import type { Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { nowIso } from '../../lib/ids.js';

export type CustomerValueRow = Row<'customer_values'>;

export interface CustomerValueInput {
  revenueToDate: number;
  orders: number;
  expectedFutureValue: number;
}

export async function findCustomerValue(trx: Tx, workspaceId: string, customerId: string): Promise<CustomerValueRow | undefined> {
  return trx.selectFrom('customer_values').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).executeTakeFirst();
}

export async function upsertCustomerValue(trx: Tx, workspaceId: string, customerId: string, input: CustomerValueInput, source: CustomerValueRow['source']): Promise<void> {
  const values = { revenue_to_date: input.revenueToDate, orders: input.orders, expected_future_value: input.expectedFutureValue, source, updated_at: nowIso() };
  await trx
    .insertInto('customer_values')
    .values({ workspace_id: workspaceId, customer_id: customerId, ...values })
    .onConflict((conflict) => conflict.columns(['workspace_id', 'customer_id']).doUpdateSet(values))
    .execute();
  await trx.updateTable('customers').set({ lifetime_value: input.revenueToDate + input.expectedFutureValue, updated_at: values.updated_at }).where('workspace_id', '=', workspaceId).where('id', '=', customerId).execute();
}

/** Handle time (seconds, finished entries only) and granted remedy value, per customer. */
export async function findServiceCosts(trx: Tx, workspaceId: string, customerIds: string[]): Promise<Map<string, { handleSeconds: number; remediesGranted: number }>> {
  const result = new Map<string, { handleSeconds: number; remediesGranted: number }>();
  if (customerIds.length === 0) return result;
  for (const id of customerIds) result.set(id, { handleSeconds: 0, remediesGranted: 0 });
  const handle = await trx
    .selectFrom('handle_time_entries')
    .select(['customer_id', (eb) => eb.fn.sum<number>('seconds').as('seconds')])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', 'in', customerIds)
    .where('seconds', 'is not', null)
    .groupBy('customer_id')
    .execute();
  for (const row of handle) result.get(row.customer_id)!.handleSeconds = Number(row.seconds ?? 0);
  const remedies = await trx
    .selectFrom('remedies')
    .select(['customer_id', (eb) => eb.fn.sum<number>('value').as('value')])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', 'in', customerIds)
    .where('status', '=', 'granted')
    .groupBy('customer_id')
    .execute();
  for (const row of remedies) result.get(row.customer_id)!.remediesGranted = Number(row.value ?? 0);
  return result;
}
