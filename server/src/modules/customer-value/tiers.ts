import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { nowIso } from '../../lib/ids.js';
import { bestTier, standardTier } from '../customers/index.js';
import { loadEmpowermentSettings } from '../empowerment-settings/index.js';

export { bestTier, standardTier };

/**
 * Best customers are the top share of the workspace's customers by lifetime value (default 10%,
 * rounded up, so a workspace with a few valuable customers has at least one). Customers tied with
 * the last one in share are all best; a customer with no value never is.
 * Emits customer.tier_changed for every customer whose tier moved.
 */
export async function recomputeTiers(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor): Promise<{ best: number; changed: number }> {
  const settings = await loadEmpowermentSettings(uow.trx, workspaceId);
  const active = uow.trx.selectFrom('customers').where('workspace_id', '=', workspaceId).where('merged_into_id', 'is', null);
  const { count } = await active.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const bestCount = Math.ceil(Number(count) * settings.bestCustomerShare);
  const cutoffRow =
    bestCount > 0 ? await active.select('lifetime_value').orderBy('lifetime_value', 'desc').offset(bestCount - 1).limit(1).executeTakeFirst() : undefined;
  // Only rows whose tier must move are read, so a recompute costs little when little changed.
  const cutoff = cutoffRow && Number(cutoffRow.lifetime_value) > 0 ? Number(cutoffRow.lifetime_value) : Number.MAX_VALUE;
  const promoted = await active.select(['id', 'tier', 'lifetime_value']).where('lifetime_value', '>=', cutoff).where('tier', '<>', bestTier).execute();
  const demoted = await active.select(['id', 'tier', 'lifetime_value']).where('lifetime_value', '<', cutoff).where('tier', '<>', standardTier).execute();
  const now = nowIso();
  for (const [rows, tier] of [[promoted, bestTier], [demoted, standardTier]] as const) {
    for (const row of rows) {
      await uow.trx.updateTable('customers').set({ tier, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', row.id).execute();
      await bus.append(uow, { workspaceId, actor, type: 'customer.tier_changed', subjectType: 'customer', subjectId: row.id, payload: { from: row.tier, to: tier, lifetimeValue: Number(row.lifetime_value) } });
    }
  }
  const { best } = await active.select((eb) => eb.fn.countAll<number>().as('best')).where('tier', '=', bestTier).executeTakeFirstOrThrow();
  return { best: Number(best), changed: promoted.length + demoted.length };
}
