import type { Tx } from '../../db/database.js';
import type { Actor, EventBus, UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { defaultEmpowermentSettings, EmpowermentSettingsSchema, type EmpowermentSettings, type EmpowermentSettingsUpdate } from './settings.schema.js';

/** Stored settings over the defaults, so a setting added later has a value in old workspaces. */
export async function loadEmpowermentSettings(trx: Tx, workspaceId: string): Promise<EmpowermentSettings> {
  const row = await trx.selectFrom('empowerment_settings').select('settings').where('workspace_id', '=', workspaceId).executeTakeFirst();
  const stored = parseJson<Partial<EmpowermentSettings>>(row?.settings, {});
  const merged = {
    ...defaultEmpowermentSettings,
    ...stored,
    limits: {
      roles: { ...defaultEmpowermentSettings.limits.roles, ...stored.limits?.roles },
      agents: { ...stored.limits?.agents },
    },
  };
  const parsed = EmpowermentSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : defaultEmpowermentSettings;
}

export async function updateEmpowermentSettings(uow: UnitOfWork, bus: EventBus, workspaceId: string, actor: Actor, update: EmpowermentSettingsUpdate): Promise<EmpowermentSettings> {
  const current = await loadEmpowermentSettings(uow.trx, workspaceId);
  const { limits, ...rest } = update;
  const agents = { ...current.limits.agents };
  for (const [staffId, override] of Object.entries(limits?.agents ?? {})) {
    if (override === null) delete agents[staffId];
    else agents[staffId] = { ...agents[staffId], ...override };
  }
  const roles = { ...current.limits.roles };
  for (const role of ['agent', 'manager', 'owner'] as const) {
    const change = limits?.roles?.[role];
    if (change) roles[role] = { ...roles[role], ...change };
  }
  const parsed = EmpowermentSettingsSchema.safeParse({ ...current, ...rest, limits: { roles, agents } });
  if (!parsed.success) throw new DomainError('validation_failed', 'These settings are not valid together.', parsed.error.issues.map((issue) => ({ path: `body.${issue.path.join('.')}`, message: issue.message })));
  const next: EmpowermentSettings = parsed.data;
  const now = nowIso();
  await uow.trx
    .insertInto('empowerment_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(next), updated_at: now })
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ settings: JSON.stringify(next), updated_at: now }))
    .execute();
  await bus.append(uow, { workspaceId, actor, type: 'empowerment.settings_changed', subjectType: 'workspace', subjectId: workspaceId, payload: { changes: update } });
  return next;
}
