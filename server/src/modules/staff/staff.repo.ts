import type { Tx } from '../../db/database.js';
import { notFound } from '../../http/errors.js';

export async function listStaff(trx: Tx, workspaceId: string, staffId?: string) {
  let query = trx
    .selectFrom('staff')
    .innerJoin('users', 'users.id', 'staff.user_id')
    .select(['staff.id', 'staff.user_id', 'users.name', 'users.email', 'staff.role', 'staff.is_active', 'staff.created_at'])
    .where('staff.workspace_id', '=', workspaceId);
  if (staffId) query = query.where('staff.id', '=', staffId);
  const rows = await query.orderBy('users.name').execute();
  const memberships = await trx.selectFrom('team_members').select(['staff_id', 'team_id']).where('workspace_id', '=', workspaceId).execute();
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    isActive: row.is_active === 1,
    teamIds: memberships.filter((membership) => membership.staff_id === row.id).map((membership) => membership.team_id),
    createdAt: row.created_at,
  }));
}

export async function requireStaffMember(trx: Tx, workspaceId: string, staffId: string) {
  const [member] = await listStaff(trx, workspaceId, staffId);
  if (!member) throw notFound('Staff member');
  return member;
}

export async function listTeams(trx: Tx, workspaceId: string, teamId?: string) {
  let query = trx.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId);
  if (teamId) query = query.where('id', '=', teamId);
  const teams = await query.orderBy('name').execute();
  const members = await trx.selectFrom('team_members').select(['team_id', 'staff_id']).where('workspace_id', '=', workspaceId).execute();
  return teams.map((team) => ({ id: team.id, name: team.name, memberIds: members.filter((member) => member.team_id === team.id).map((member) => member.staff_id), createdAt: team.created_at }));
}

export async function requireTeam(trx: Tx, workspaceId: string, teamId: string) {
  const [team] = await listTeams(trx, workspaceId, teamId);
  if (!team) throw notFound('Team');
  return team;
}
