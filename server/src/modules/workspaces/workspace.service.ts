import { sql } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { EventBus, UnitOfWork, Actor } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { countWorkspaces, findStatus, insertStaff, insertUser, insertWorkspace } from './workspace.repo.js';
import { findUserByEmail, hashPassword } from '../auth/index.js';

export interface SetupInput {
  workspaceName: string;
  timeZone: string;
  ownerName: string;
  email: string;
  password: string;
}

/** First run: the instance's first workspace and its owner, who may later create more workspaces. */
export async function runFirstSetup(uow: UnitOfWork, bus: EventBus, dialect: Dialect, input: SetupInput) {
  // Two browsers submitting the setup form at once must not create two first owners.
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727275)`.execute(uow.trx);
  if ((await countWorkspaces(uow.trx)) > 0) throw new DomainError('setup_already_done', 'Raving is already set up; sign in instead.');
  const existingUser = await findUserByEmail(uow.trx, input.email);
  const userId = existingUser?.id ?? (await insertUser(uow.trx, { email: input.email, name: input.ownerName, passwordHash: await hashPassword(input.password), isInstanceOwner: true }));
  const workspace = await createWorkspaceWithOwner(uow, bus, { name: input.workspaceName, timeZone: input.timeZone, ownerUserId: userId, actor: { type: 'system', id: null } });
  return { userId, ...workspace };
}

export async function createWorkspaceWithOwner(uow: UnitOfWork, bus: EventBus, input: { name: string; timeZone: string; ownerUserId: string; actor: Actor }) {
  const workspace = await insertWorkspace(uow.trx, { name: input.name, timeZone: input.timeZone });
  const staffId = await insertStaff(uow.trx, { workspaceId: workspace.id, userId: input.ownerUserId, role: 'owner' });
  await bus.append(uow, {
    workspaceId: workspace.id,
    actor: input.actor.type === 'system' ? { type: 'staff', id: staffId } : input.actor,
    type: 'workspace.created',
    subjectType: 'workspace',
    subjectId: workspace.id,
    payload: { name: input.name },
  });
  return { workspaceId: workspace.id, slug: workspace.slug, staffId };
}

export async function requireStatus(uow: UnitOfWork, workspaceId: string, key: string) {
  const status = await findStatus(uow.trx, workspaceId, key);
  if (!status) throw new DomainError('validation_failed', `Unknown status "${key}".`, [{ path: 'body.status', message: 'is not a status of this workspace' }]);
  return status;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
