import type { Tx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { addMilliseconds, newId, newSecretToken, nowIso, sha256 } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import type { Role, Scope } from '../../context.js';

const sessionLifetimeMilliseconds = 30 * 24 * 3600 * 1000;

export async function createSession(trx: Tx, userId: string, workspaceId: string | null): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = newSecretToken();
  const csrfToken = newSecretToken(24);
  const now = nowIso();
  const expiresAt = addMilliseconds(now, sessionLifetimeMilliseconds);
  await trx
    .insertInto('sessions')
    .values({ id_hash: sha256(token), user_id: userId, workspace_id: workspaceId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function findSession(trx: Tx, token: string) {
  return trx
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', sha256(token))
    .where('expires_at', '>', nowIso())
    .executeTakeFirst();
}

export async function deleteSession(trx: Tx, idHash: string): Promise<void> {
  await trx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(trx: Tx, userId: string, exceptIdHash?: string): Promise<void> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) query = query.where('id_hash', '!=', exceptIdHash);
  await query.execute();
}

export async function setSessionWorkspace(trx: Tx, idHash: string, workspaceId: string): Promise<void> {
  await trx.updateTable('sessions').set({ workspace_id: workspaceId }).where('id_hash', '=', idHash).execute();
}

export async function findActiveMembership(trx: Tx, userId: string, workspaceId: string) {
  return trx
    .selectFrom('staff')
    .select(['id', 'role', 'workspace_id'])
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .where('is_active', '=', 1)
    .executeTakeFirst();
}

export async function listMemberships(trx: Tx, userId: string) {
  return trx
    .selectFrom('staff')
    .innerJoin('workspaces', 'workspaces.id', 'staff.workspace_id')
    .select(['staff.id as staffId', 'staff.role', 'workspaces.id as workspaceId', 'workspaces.name', 'workspaces.slug'])
    .where('staff.user_id', '=', userId)
    .where('staff.is_active', '=', 1)
    .orderBy('workspaces.created_at')
    .execute();
}

export async function findUserByEmail(trx: Tx, email: string) {
  return trx.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(trx: Tx, id: string) {
  return trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export const apiTokenPrefix = 'rvg_';

export async function insertApiToken(trx: Tx, input: { workspaceId: string; staffId: string; name: string; scopes: Scope[] }) {
  const token = apiTokenPrefix + newSecretToken();
  const id = newId();
  const now = nowIso();
  await trx
    .insertInto('api_tokens')
    .values({
      id,
      workspace_id: input.workspaceId,
      staff_id: input.staffId,
      name: input.name,
      token_hash: sha256(token),
      token_prefix: token.slice(0, 10),
      scopes: JSON.stringify(input.scopes),
      created_at: now,
    })
    .execute();
  return { id, token, createdAt: now };
}

export interface TokenPrincipal {
  tokenId: string;
  workspaceId: string;
  staffId: string;
  userId: string;
  role: Role;
  scopes: Scope[];
  lastUsedAt: string | null;
}

// Every API request reads its token, so the statement is prepared once (see db/prepared.ts).
const selectTokenPrincipal = preparedQuery((db, args: { tokenHash: string }) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('staff', 'staff.id', 'api_tokens.staff_id')
    .select(['api_tokens.id', 'api_tokens.workspace_id', 'api_tokens.scopes', 'api_tokens.last_used_at', 'staff.id as staffId', 'staff.user_id', 'staff.role'])
    .where('api_tokens.token_hash', '=', args.tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('staff.is_active', '=', 1),
);

export async function findTokenPrincipal(trx: Tx, token: string): Promise<TokenPrincipal | undefined> {
  const row = (await selectTokenPrincipal(trx, { tokenHash: sha256(token) })).rows[0];
  if (!row) return undefined;
  return {
    tokenId: row.id,
    workspaceId: row.workspace_id,
    staffId: row.staffId,
    userId: row.user_id,
    role: row.role,
    scopes: parseJson<Scope[]>(row.scopes, []),
    lastUsedAt: row.last_used_at,
  };
}
