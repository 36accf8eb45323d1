import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Macro } from './macro.schema.js';

export function presentMacro(row: Row<'macros'>): Macro {
  return { id: row.id, name: row.name, body: row.body, kind: row.kind, setStatus: row.set_status, createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function listMacros(db: Db | Tx, workspaceId: string): Promise<Macro[]> {
  const rows = await db.selectFrom('macros').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
  return rows.map(presentMacro);
}

export async function requireMacro(db: Db | Tx, workspaceId: string, id: string): Promise<Row<'macros'>> {
  const row = await db.selectFrom('macros').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Macro');
  return row;
}

/** The status a macro sets must exist in this workspace, checked when the macro is saved rather than when an agent sends it. */
export async function statusExists(db: Db | Tx, workspaceId: string, key: string): Promise<boolean> {
  const row = await db.selectFrom('ticket_statuses').select('key').where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
  return Boolean(row);
}
