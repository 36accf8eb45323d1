import { sql } from 'kysely';
import { z } from 'zod';
import { roleRank, type App, type AppContext } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { IdParamsSchema, problemResponses } from '../../http/schemas.js';
import { addMilliseconds, newId, newSecretToken, nowIso, sha256 } from '../../lib/ids.js';
import { createSession, findUserByEmail, hashPassword, setSessionCookie, verifyPassword } from '../auth/index.js';
import { queueAccountEmail } from '../email/index.js';
import { insertStaff, insertUser } from '../workspaces/index.js';
import { listStaff, listTeams, requireStaffMember, requireTeam } from './staff.repo.js';
import {
  AcceptInvitationBodySchema,
  CreateInvitationBodySchema,
  CreatedInvitationSchema,
  CreateTeamBodySchema,
  InvitationPreviewSchema,
  InvitationSchema,
  StaffSchema,
  TeamSchema,
  TokenParamsSchema,
  UpdateStaffBodySchema,
  UpdateTeamBodySchema,
} from './staff.schema.js';

const invitationLifetimeMilliseconds = 7 * 24 * 3600 * 1000;

/** Links in mail come from configuration, never from the Host header a client sent. */
export function publicUrl(context: AppContext, path: string): string {
  const base = context.config.RAVING_PUBLIC_URL ?? `http://localhost:${context.config.PORT}`;
  return new URL(path, base).toString();
}

function presentInvitation(row: { id: string; email: string; role: 'owner' | 'manager' | 'agent'; accepted_at: string | null; expires_at: string; created_at: string }) {
  return { id: row.id, email: row.email, role: row.role, acceptedAt: row.accepted_at, expiresAt: row.expires_at, createdAt: row.created_at };
}

export function registerStaffRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const staffTags = ['Staff'];

  app.get('/api/v1/staff', { schema: { tags: staffTags, summary: 'Staff of this workspace', response: { 200: z.object({ items: z.array(StaffSchema) }), ...problemResponses } } }, async (request) => ({
    items: await listStaff(db, authOf(request).workspaceId),
  }));

  app.get('/api/v1/staff/:id', { schema: { tags: staffTags, summary: 'A staff member', params: IdParamsSchema, response: { 200: StaffSchema, ...problemResponses } } }, async (request) =>
    requireStaffMember(db, authOf(request).workspaceId, request.params.id),
  );

  app.patch(
    '/api/v1/staff/:id',
    { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: staffTags, summary: 'Change role or deactivate', params: IdParamsSchema, body: UpdateStaffBodySchema, response: { 200: StaffSchema, ...problemResponses } } },
    async (request) => {
      const auth = authOf(request);
      return inUnitOfWork(db, context.bus, async (uow) => {
        // Two owners demoting each other at once would each still count two owners on PostgreSQL
        // and leave none: role changes in one workspace take turns.
        if (context.database.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`staff-roles:${auth.workspaceId}`}, 0))`.execute(uow.trx);
        const member = await requireStaffMember(uow.trx, auth.workspaceId, request.params.id);
        const touchesOwner = member.role === 'owner' || request.body.role === 'owner';
        if (touchesOwner && auth.role !== 'owner') throw new DomainError('forbidden', 'Only an owner can grant or change the owner role.');
        const losesOwner = member.role === 'owner' && ((request.body.role && request.body.role !== 'owner') || request.body.isActive === false);
        if (losesOwner) {
          const owners = await uow.trx.selectFrom('staff').select('id').where('workspace_id', '=', auth.workspaceId).where('role', '=', 'owner').where('is_active', '=', 1).execute();
          if (owners.length <= 1) throw new DomainError('invalid_state', 'A workspace keeps at least one active owner.');
        }
        await uow.trx
          .updateTable('staff')
          .set({ ...(request.body.role ? { role: request.body.role } : {}), ...(request.body.isActive !== undefined ? { is_active: request.body.isActive ? 1 : 0 } : {}) })
          .where('id', '=', member.id)
          .execute();
        await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'staff.updated', subjectType: 'staff', subjectId: member.id, payload: request.body });
        return requireStaffMember(uow.trx, auth.workspaceId, member.id);
      });
    },
  );

  app.get('/api/v1/invitations', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: staffTags, summary: 'Open and accepted invitations', response: { 200: z.object({ items: z.array(InvitationSchema) }), ...problemResponses } } }, async (request) => {
    const rows = await db.selectFrom('invitations').selectAll().where('workspace_id', '=', authOf(request).workspaceId).orderBy('created_at', 'desc').execute();
    return { items: rows.map(presentInvitation) };
  });

  app.post(
    '/api/v1/invitations',
    { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: staffTags, summary: 'Invite someone by email; returns the single-use link once', body: CreateInvitationBodySchema, response: { 201: CreatedInvitationSchema, ...problemResponses } } },
    async (request, reply) => {
      const auth = authOf(request);
      if (request.body.role === 'owner' && auth.role !== 'owner') throw new DomainError('forbidden', 'Only an owner can invite another owner.');
      const token = newSecretToken();
      const now = nowIso();
      const row = { id: newId(), workspace_id: auth.workspaceId, email: request.body.email, role: request.body.role, token_hash: sha256(token), invited_by: auth.staffId, accepted_at: null, expires_at: addMilliseconds(now, invitationLifetimeMilliseconds), created_at: now };
      const acceptUrl = publicUrl(context, `/accept-invitation?token=${token}`);
      await inUnitOfWork(db, context.bus, async (uow) => {
        await uow.trx.insertInto('invitations').values(row).execute();
        const workspace = await uow.trx.selectFrom('workspaces').select('name').where('id', '=', auth.workspaceId).executeTakeFirstOrThrow();
        // The token exists only here and in the response; the mail is queued in the same transaction.
        await queueAccountEmail(uow.trx, context.config, {
          workspaceId: auth.workspaceId,
          purpose: 'invitation',
          to: row.email,
          subject: `You are invited to ${workspace.name} on Raving`,
          text: `You are invited to join ${workspace.name} on Raving as ${row.role}.\n\nAccept within 7 days:\n${acceptUrl}\n\nThe link works once. If you did not expect this, ignore this mail.`,
          isSensitive: true,
        });
        await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'invitation.created', subjectType: 'invitation', subjectId: row.id, payload: { email: row.email, role: row.role } });
      });
      context.pokeWorker();
      return reply.code(201).send({ ...presentInvitation(row), acceptUrl, token });
    },
  );

  app.delete('/api/v1/invitations/:id', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: staffTags, summary: 'Withdraw an invitation', params: IdParamsSchema, response: { 200: InvitationSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const row = await uow.trx.selectFrom('invitations').selectAll().where('workspace_id', '=', auth.workspaceId).where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound('Invitation');
      await uow.trx.deleteFrom('invitations').where('id', '=', row.id).execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'invitation.withdrawn', subjectType: 'invitation', subjectId: row.id, payload: { email: row.email } });
      return presentInvitation(row);
    });
  });

  async function openInvitation(token: string) {
    const row = await db
      .selectFrom('invitations')
      .innerJoin('workspaces', 'workspaces.id', 'invitations.workspace_id')
      .selectAll('invitations')
      .select('workspaces.name as workspace_name')
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.accepted_at || row.expires_at < nowIso()) throw new DomainError('not_found', 'This invitation link is unknown, used or expired; ask for a new one.');
    return row;
  }

  app.get('/api/v1/invitations/preview/:token', { config: { access: 'public' }, schema: { tags: staffTags, summary: 'What an invitation link is for', params: TokenParamsSchema, response: { 200: InvitationPreviewSchema, ...problemResponses } } }, async (request) => {
    const row = await openInvitation(request.params.token);
    return { workspaceName: row.workspace_name, email: row.email, role: row.role, hasAccount: (await findUserByEmail(db, row.email)) !== undefined };
  });

  app.post(
    '/api/v1/invitations/accept',
    { config: { access: 'public' }, schema: { tags: staffTags, summary: 'Accept an invitation: creates the account (or joins with an existing one) and signs in', body: AcceptInvitationBodySchema, response: { 200: z.object({ workspaceId: z.string(), csrfToken: z.string() }), ...problemResponses } } },
    async (request, reply) => {
      const invitation = await openInvitation(request.body.token);
      const existing = await findUserByEmail(db, invitation.email);
      if (existing && !(await verifyPassword(existing.password_hash, request.body.password))) {
        throw new DomainError('validation_failed', 'You already have an account: enter its password to join.', [{ path: 'body.password', message: 'does not match your existing account' }]);
      }
      if (!existing && !request.body.name) throw new DomainError('validation_failed', 'Your name is required.', [{ path: 'body.name', message: 'is required' }]);
      const passwordHash = existing ? null : await hashPassword(request.body.password);
      const session = await inUnitOfWork(db, context.bus, async (uow) => {
        const claimed = await uow.trx.updateTable('invitations').set({ accepted_at: nowIso() }).where('id', '=', invitation.id).where('accepted_at', 'is', null).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) throw new DomainError('not_found', 'This invitation was just used.');
        const userId = existing?.id ?? (await insertUser(uow.trx, { email: invitation.email, name: request.body.name!, passwordHash }));
        const already = await uow.trx.selectFrom('staff').select(['id', 'role', 'is_active']).where('workspace_id', '=', invitation.workspace_id).where('user_id', '=', userId).executeTakeFirst();
        const staffId = already?.id ?? (await insertStaff(uow.trx, { workspaceId: invitation.workspace_id, userId, role: invitation.role }));
        // An invitation never lowers an active member's role: accepting a stray "agent" invitation
        // must not demote an owner (and so slip past the last-owner rule).
        const keepsHigherRole = already?.is_active === 1 && roleRank[already.role] > roleRank[invitation.role];
        if (already) await uow.trx.updateTable('staff').set({ is_active: 1, role: keepsHigherRole ? already.role : invitation.role }).where('id', '=', already.id).execute();
        await context.bus.append(uow, { workspaceId: invitation.workspace_id, actor: { type: 'staff', id: staffId }, type: 'invitation.accepted', subjectType: 'staff', subjectId: staffId, payload: { email: invitation.email, role: invitation.role } });
        return createSession(uow.trx, userId, invitation.workspace_id);
      });
      setSessionCookie(context, request, reply, session.token, session.expiresAt);
      return { workspaceId: invitation.workspace_id, csrfToken: session.csrfToken };
    },
  );

  const teamTags = ['Teams'];
  app.get('/api/v1/teams', { schema: { tags: teamTags, summary: 'Teams', response: { 200: z.object({ items: z.array(TeamSchema) }), ...problemResponses } } }, async (request) => ({ items: await listTeams(db, authOf(request).workspaceId) }));

  app.get('/api/v1/teams/:id', { schema: { tags: teamTags, summary: 'A team', params: IdParamsSchema, response: { 200: TeamSchema, ...problemResponses } } }, async (request) => requireTeam(db, authOf(request).workspaceId, request.params.id));

  async function replaceMembers(uow: { trx: Tx }, workspaceId: string, teamId: string, memberIds: string[]) {
    const unique = [...new Set(memberIds)];
    if (unique.length > 0) {
      const found = await uow.trx.selectFrom('staff').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute();
      if (found.length !== unique.length) throw new DomainError('validation_failed', 'Every member must be staff of this workspace.', [{ path: 'body.memberIds', message: 'contains an unknown staff id' }]);
    }
    await uow.trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    if (unique.length > 0) await uow.trx.insertInto('team_members').values(unique.map((staffId) => ({ workspace_id: workspaceId, team_id: teamId, staff_id: staffId }))).execute();
  }

  app.post('/api/v1/teams', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: teamTags, summary: 'Create a team', body: CreateTeamBodySchema, response: { 201: TeamSchema, ...problemResponses } } }, async (request, reply) => {
    const auth = authOf(request);
    const team = await inUnitOfWork(db, context.bus, async (uow) => {
      const id = newId();
      await uow.trx.insertInto('teams').values({ id, workspace_id: auth.workspaceId, name: request.body.name, created_at: nowIso() }).execute();
      await replaceMembers(uow, auth.workspaceId, id, request.body.memberIds);
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'team.created', subjectType: 'team', subjectId: id, payload: request.body });
      return requireTeam(uow.trx, auth.workspaceId, id);
    });
    return reply.code(201).send(team);
  });

  app.patch('/api/v1/teams/:id', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: teamTags, summary: 'Rename a team or set its members', params: IdParamsSchema, body: UpdateTeamBodySchema, response: { 200: TeamSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const team = await requireTeam(uow.trx, auth.workspaceId, request.params.id);
      if (request.body.name) await uow.trx.updateTable('teams').set({ name: request.body.name }).where('id', '=', team.id).execute();
      if (request.body.memberIds) await replaceMembers(uow, auth.workspaceId, team.id, request.body.memberIds);
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'team.updated', subjectType: 'team', subjectId: team.id, payload: request.body });
      return requireTeam(uow.trx, auth.workspaceId, team.id);
    });
  });

  app.delete('/api/v1/teams/:id', { config: { minimumRole: 'manager', scope: 'admin' }, schema: { tags: teamTags, summary: 'Delete a team (its tickets keep their history)', params: IdParamsSchema, response: { 200: TeamSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const team = await requireTeam(uow.trx, auth.workspaceId, request.params.id);
      await uow.trx.updateTable('tickets').set({ team_id: null }).where('workspace_id', '=', auth.workspaceId).where('team_id', '=', team.id).execute();
      await uow.trx.deleteFrom('team_members').where('team_id', '=', team.id).execute();
      await uow.trx.deleteFrom('teams').where('id', '=', team.id).execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'team.deleted', subjectType: 'team', subjectId: team.id, payload: { name: team.name } });
      return team;
    });
  });
}
