import type { Db } from '../../db/database.js';
import { bestTier, findServiceCosts, roundMoney } from '../customer-value/index.js';
import { loadEmpowermentSettings } from '../empowerment-settings/index.js';

/** Cost to serve against lifetime value for the most valuable customers, and what the best tier is worth. */
export async function buildCustomerValueReport(db: Db, workspaceId: string, limit: number) {
  const settings = await loadEmpowermentSettings(db, workspaceId);
  const active = db.selectFrom('customers').where('workspace_id', '=', workspaceId).where('merged_into_id', 'is', null);
  const totals = await active
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('lifetime_value').as('value')])
    .executeTakeFirstOrThrow();
  const best = await active
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('lifetime_value').as('value')])
    .where('tier', '=', bestTier)
    .executeTakeFirstOrThrow();
  const handle = await db.selectFrom('handle_time_entries').select((eb) => eb.fn.sum<number>('seconds').as('seconds')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  const remedies = await db.selectFrom('remedies').select((eb) => eb.fn.sum<number>('value').as('value')).where('workspace_id', '=', workspaceId).where('status', '=', 'granted').executeTakeFirst();
  const rows = await active.select(['id', 'name', 'email', 'tier', 'lifetime_value']).orderBy('lifetime_value', 'desc').orderBy('id').limit(limit).execute();
  const costs = await findServiceCosts(db, workspaceId, rows.map((row) => row.id));
  const lifetimeValue = Number(totals.value ?? 0);
  const bestValue = Number(best.value ?? 0);
  return {
    customers: Number(totals.count),
    bestCustomers: { count: Number(best.count), lifetimeValue: roundMoney(bestValue), shareOfLifetimeValue: lifetimeValue > 0 ? Math.round((bestValue / lifetimeValue) * 10_000) / 10_000 : null },
    lifetimeValue: roundMoney(lifetimeValue),
    costToServe: roundMoney((Number(handle?.seconds ?? 0) / 3600) * settings.hourlyCost + Number(remedies?.value ?? 0)),
    items: rows.map((row) => {
      const cost = costs.get(row.id)!;
      const costToServe = roundMoney((cost.handleSeconds / 3600) * settings.hourlyCost + cost.remediesGranted);
      const value = Number(row.lifetime_value);
      return { customer: { id: row.id, name: row.name, email: row.email, tier: row.tier }, lifetimeValue: value, costToServe, costShare: value > 0 ? Math.round((costToServe / value) * 10_000) / 10_000 : null };
    }),
  };
}
