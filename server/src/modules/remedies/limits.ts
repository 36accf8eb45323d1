import { sql } from 'kysely';
import type { Dialect, Tx } from '../../db/database.js';
import type { Role } from '../../context.js';
import { startOfZonedMonth } from '../../lib/zoned-time.js';
import { bestTier } from '../customer-value/index.js';
import { loadEmpowermentSettings, type EmpowermentSettings } from '../empowerment-settings/index.js';
import { findWorkspace } from '../workspaces/index.js';
import { sumGrantedAlone, sumGrantedInWorkspace } from './remedy.repo.js';

export interface LimitCheck {
  perRemedy: number | null;
  perMonth: number | null;
  usedThisMonth: number;
  workspaceBudget: number | null;
  workspaceUsedThisMonth: number;
  isBestCustomer: boolean;
  factor: number;
}

export type OverLimitReason = 'over_per_remedy_limit' | 'over_monthly_limit' | 'over_workspace_budget';

/** The agent's own override beats the role's limit; best customers multiply both. */
export function effectiveLimits(settings: EmpowermentSettings, role: Role, staffId: string, isBestCustomer: boolean) {
  const roleLimit = settings.limits.roles[role];
  const override = settings.limits.agents[staffId] ?? {};
  const factor = isBestCustomer ? settings.bestCustomerLimitFactor : 1;
  const scale = (value: number | null | undefined) => (value === null || value === undefined ? null : value * factor);
  return {
    perRemedy: scale(override.perRemedy !== undefined ? override.perRemedy : roleLimit.perRemedy),
    perMonth: scale(override.perMonth !== undefined ? override.perMonth : roleLimit.perMonth),
    factor,
  };
}

/**
 * Serialises remedy decisions of one workspace, so two grants at once cannot both fit under a
 * monthly limit that only one of them fits. SQLite already runs one write transaction at a time.
 */
export async function lockRemedyBudget(trx: Tx, dialect: Dialect, workspaceId: string): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`remedies:${workspaceId}`}))`.execute(trx);
}

export async function checkLimits(trx: Tx, input: { workspaceId: string; role: Role; staffId: string; customerTier: string; now?: Date }): Promise<LimitCheck & { settings: EmpowermentSettings }> {
  const settings = await loadEmpowermentSettings(trx, input.workspaceId);
  const workspace = await findWorkspace(trx, input.workspaceId);
  const monthStart = startOfZonedMonth(input.now ?? new Date(), workspace?.time_zone ?? 'UTC').toISOString();
  const isBestCustomer = input.customerTier === bestTier;
  const limits = effectiveLimits(settings, input.role, input.staffId, isBestCustomer);
  return {
    ...limits,
    isBestCustomer,
    usedThisMonth: await sumGrantedAlone(trx, input.workspaceId, input.staffId, monthStart),
    workspaceBudget: settings.monthlyBudget,
    workspaceUsedThisMonth: await sumGrantedInWorkspace(trx, input.workspaceId, monthStart),
    settings,
  };
}

export function overLimitReasons(check: LimitCheck, value: number): OverLimitReason[] {
  const reasons: OverLimitReason[] = [];
  if (check.perRemedy !== null && value > check.perRemedy) reasons.push('over_per_remedy_limit');
  if (check.perMonth !== null && check.usedThisMonth + value > check.perMonth) reasons.push('over_monthly_limit');
  if (check.workspaceBudget !== null && check.workspaceUsedThisMonth + value > check.workspaceBudget) reasons.push('over_workspace_budget');
  return reasons;
}
