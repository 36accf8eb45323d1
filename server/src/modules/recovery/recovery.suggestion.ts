import type { Role } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { checkLimits } from '../remedies/index.js';
import { presentRecovery, type RecoveryRow } from './recovery.service.js';

export interface Viewer {
  workspaceId: string;
  role: Role;
  staffId: string;
}

/**
 * Recoveries as the viewing agent can act on them: the remedy suggested in proportion to lifetime
 * value is capped at what this agent may grant alone (per remedy, what is left of their month, the
 * workspace budget), so taking the suggestion never waits for an approval. The uncapped figure
 * stays visible: above the cap the agent can still ask a manager for an exception.
 */
export async function presentRecoveries(db: Db | Tx, viewer: Viewer, rows: RecoveryRow[]) {
  const tiers = new Map<string, string>();
  const customerIds = [...new Set(rows.map((row) => row.customer_id))];
  if (customerIds.length > 0) {
    const customers = await db.selectFrom('customers').select(['id', 'tier']).where('workspace_id', '=', viewer.workspaceId).where('id', 'in', customerIds).execute();
    for (const customer of customers) tiers.set(customer.id, customer.tier);
  }
  // Limits depend on the viewer and the customer's tier only: one check per tier.
  const roomByTier = new Map<string, Promise<number | null>>();
  const roomFor = (tier: string) => {
    if (!roomByTier.has(tier)) roomByTier.set(tier, availableToGrantAlone(db, viewer, tier));
    return roomByTier.get(tier)!;
  };
  return Promise.all(
    rows.map(async (row) => {
      const recovery = presentRecovery(row);
      const room = await roomFor(tiers.get(row.customer_id) ?? '');
      const suggested = recovery.suggestedRemedy;
      if (room === null || suggested.value <= room) return { ...recovery, suggestedRemedy: { ...suggested, fullValue: suggested.value, isCappedByLimit: false } };
      const reason = `${suggested.reason}; capped at ${room}, what you may grant alone (the full ${suggested.value} needs a manager's approval)`;
      return { ...recovery, suggestedRemedy: { ...suggested, value: room, fullValue: suggested.value, isCappedByLimit: true, reason } };
    }),
  );
}

export async function presentRecoveryFor(db: Db | Tx, viewer: Viewer, row: RecoveryRow) {
  const [recovery] = await presentRecoveries(db, viewer, [row]);
  return recovery!;
}

async function availableToGrantAlone(db: Db | Tx, viewer: Viewer, customerTier: string): Promise<number | null> {
  const limits = await checkLimits(db, { workspaceId: viewer.workspaceId, role: viewer.role, staffId: viewer.staffId, customerTier });
  const rooms = [limits.perRemedy, limits.perMonth === null ? null : limits.perMonth - limits.usedThisMonth, limits.workspaceBudget === null ? null : limits.workspaceBudget - limits.workspaceUsedThisMonth].filter((room): room is number => room !== null);
  return rooms.length === 0 ? null : Math.max(0, Math.round(Math.min(...rooms) * 100) / 100);
}
