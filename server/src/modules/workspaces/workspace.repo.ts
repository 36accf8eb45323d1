import type { Tx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { newId, nowIso } from '../../lib/ids.js';
import type { Role } from '../../context.js';

export const statusCategories = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type StatusCategory = (typeof statusCategories)[number];

const defaultStatuses: Array<{ key: string; label: string; category: StatusCategory }> = [
  { key: 'new', label: 'New', category: 'new' },
  { key: 'open', label: 'Open', category: 'open' },
  { key: 'pending', label: 'Pending', category: 'pending' },
  { key: 'on_hold', label: 'On hold', category: 'on_hold' },
  { key: 'solved', label: 'Solved', category: 'solved' },
  { key: 'closed', label: 'Closed', category: 'closed' },
];

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 40);
  return base || 'workspace';
}

export async function insertWorkspace(trx: Tx, input: { name: string; timeZone: string }) {
  const id = newId();
  const now = nowIso();
  let slug = slugify(input.name);
  const taken = await trx.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirst();
  if (taken) slug = `${slug}-${id.slice(-6)}`;
  await trx.insertInto('workspaces').values({ id, name: input.name, slug, time_zone: input.timeZone, ticket_counter: 0, settings: '{}', created_at: now }).execute();
  await trx
    .insertInto('ticket_statuses')
    .values(defaultStatuses.map((status, position) => ({ workspace_id: id, ...status, position })))
    .execute();
  return { id, slug, createdAt: now };
}

export async function insertUser(trx: Tx, input: { email: string; name: string; passwordHash: string | null; isInstanceOwner?: boolean }) {
  const id = newId();
  await trx
    .insertInto('users')
    .values({ id, email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash, is_instance_owner: input.isInstanceOwner ? 1 : 0, created_at: nowIso() })
    .execute();
  return id;
}

export async function insertStaff(trx: Tx, input: { workspaceId: string; userId: string; role: Role }) {
  const id = newId();
  await trx.insertInto('staff').values({ id, workspace_id: input.workspaceId, user_id: input.userId, role: input.role, is_active: 1, created_at: nowIso() }).execute();
  return id;
}

export async function findWorkspace(trx: Tx, id: string) {
  return trx.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countWorkspaces(trx: Tx): Promise<number> {
  const row = await trx.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listStatuses(trx: Tx, workspaceId: string) {
  return trx.selectFrom('ticket_statuses').selectAll().where('workspace_id', '=', workspaceId).orderBy('position').execute();
}

export async function findStatus(trx: Tx, workspaceId: string, key: string) {
  return trx.selectFrom('ticket_statuses').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
}

/** The first status of a category, used when a change names the category rather than a status. */
// Every new ticket takes the default status of its category (see db/prepared.ts).
const selectStatusesOfCategory = preparedQuery((db, args: { workspaceId: string; category: StatusCategory }) =>
  db.selectFrom('ticket_statuses').selectAll().where('workspace_id', '=', args.workspaceId).where('category', '=', args.category).orderBy('position'),
);

export async function defaultStatusFor(trx: Tx, workspaceId: string, category: StatusCategory) {
  return (await selectStatusesOfCategory(trx, { workspaceId, category })).rows[0];
}
