import type { Tx } from '../../db/database.js';
import { DomainError, type FieldError } from '../../http/errors.js';
import type { Action } from './automations.schema.js';

type Referenced = 'macros' | 'playbooks' | 'staff' | 'teams';

async function exists(trx: Tx, table: Referenced, workspaceId: string, id: string): Promise<boolean> {
  const row = await trx.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Boolean(row);
}

/**
 * Actions name other things (a macro, a playbook, staff, a team, a status, a ticket type). A rule naming one this
 * workspace does not have is refused when it is saved, rather than failing each time it runs.
 */
export async function checkActionReferences(trx: Tx, workspaceId: string, actions: Action[]): Promise<void> {
  const errors: FieldError[] = [];
  const check = async (index: number, field: string, table: Referenced, id: string | null) => {
    if (id !== null && !(await exists(trx, table, workspaceId, id))) errors.push({ path: `body.actions.${index}.${field}`, message: `is not one of this workspace's ${table}` });
  };
  for (const [index, action] of actions.entries()) {
    if (action.type === 'apply_macro') await check(index, 'macroId', 'macros', action.macroId);
    else if (action.type === 'attach_playbook') await check(index, 'playbookId', 'playbooks', action.playbookId);
    else if (action.type === 'assign') await check(index, 'staffId', 'staff', action.staffId);
    else if (action.type === 'set_team') await check(index, 'teamId', 'teams', action.teamId);
    else if (action.type === 'notify_staff') for (const staffId of action.staffIds) await check(index, 'staffIds', 'staff', staffId);
    else if (action.type === 'set_type' && action.typeKey !== null) {
      const type = await trx.selectFrom('ticket_types').select('key').where('workspace_id', '=', workspaceId).where('key', '=', action.typeKey).executeTakeFirst();
      if (!type) errors.push({ path: `body.actions.${index}.typeKey`, message: 'is not a ticket type of this workspace' });
    } else if (action.type === 'set_status') {
      const status = await trx.selectFrom('ticket_statuses').select('key').where('workspace_id', '=', workspaceId).where('key', '=', action.status).executeTakeFirst();
      if (!status) errors.push({ path: `body.actions.${index}.status`, message: 'is not a status of this workspace' });
    }
  }
  if (errors.length > 0) throw new DomainError('validation_failed', 'The rule names something this workspace does not have.', errors);
}
