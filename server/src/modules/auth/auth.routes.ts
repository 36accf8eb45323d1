import { z } from 'zod';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { actorOf, authOf } from '../../http/authenticate.js';
import { DomainError, notFound } from '../../http/errors.js';
import { IdParamsSchema, OkSchema, problemResponses } from '../../http/schemas.js';
import { nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { createSession, deleteSession, deleteUserSessions, findActiveMembership, findUserByEmail, findUserById, insertApiToken, listMemberships, setSessionWorkspace } from './auth.repo.js';
import { ApiTokenSchema, ChangePasswordBodySchema, CreateApiTokenBodySchema, CreatedApiTokenSchema, SessionSchema, SignInBodySchema, SwitchWorkspaceBodySchema } from './auth.schema.js';
import { hashPassword, spendDecoyVerification, verifyPassword } from './passwords.js';
import { AttemptLimiter } from './rate-limiter.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import type { Scope } from '../../context.js';

const tags = ['Authentication'];

export function registerAuthRoutes(app: App, context: AppContext): void {
  const { db } = context.database;
  const perAccount = new AttemptLimiter(10, 15 * 60_000);
  const perAddress = new AttemptLimiter(50, 15 * 60_000);

  app.post(
    '/api/v1/auth/sign-in',
    { config: { access: 'public' }, schema: { tags, summary: 'Sign in with email and password; sets the session cookie', body: SignInBodySchema, response: { 200: z.object({ csrfToken: z.string() }), ...problemResponses } } },
    async (request, reply) => {
      const { email, password } = request.body;
      const wait = Math.max(perAccount.retryAfterSeconds(email), perAddress.retryAfterSeconds(request.ip));
      if (wait > 0) throw new DomainError('rate_limited', `Too many sign-in attempts; try again in ${wait} seconds.`, [], wait);
      perAccount.record(email);
      perAddress.record(request.ip);
      const user = await findUserByEmail(db, email);
      if (!user) await spendDecoyVerification(password);
      if (!user || !(await verifyPassword(user.password_hash, password))) throw new DomainError('invalid_credentials');
      perAccount.reset(email);
      const memberships = await listMemberships(db, user.id);
      const chosen = memberships.find((membership) => membership.workspaceId === request.body.workspaceId) ?? memberships[0];
      const session = await createSession(db, user.id, chosen?.workspaceId ?? null);
      setSessionCookie(context, request, reply, session.token, session.expiresAt);
      return { csrfToken: session.csrfToken };
    },
  );

  app.post('/api/v1/auth/sign-out', { config: { access: 'user' }, schema: { tags, summary: 'End this session', response: { 200: OkSchema, ...problemResponses } } }, async (request, reply) => {
    if (request.userOnly) await deleteSession(db, request.userOnly.sessionIdHash);
    clearSessionCookie(reply);
    return { ok: true as const };
  });

  app.post('/api/v1/auth/sign-out-everywhere', { config: { access: 'user' }, schema: { tags, summary: 'End every session of this user', response: { 200: OkSchema, ...problemResponses } } }, async (request, reply) => {
    const userId = request.auth?.userId ?? request.userOnly!.userId;
    await deleteUserSessions(db, userId);
    clearSessionCookie(reply);
    return { ok: true as const };
  });

  app.get('/api/v1/auth/session', { config: { access: 'user' }, schema: { tags, summary: 'Who is signed in, in which workspace, and the CSRF token', response: { 200: SessionSchema, ...problemResponses } } }, async (request) => {
    const userId = request.auth?.userId ?? request.userOnly!.userId;
    const user = (await findUserById(db, userId))!;
    const workspaces = await listMemberships(db, userId);
    const current = request.auth ?? null;
    const currentMembership = current ? workspaces.find((membership) => membership.workspaceId === current.workspaceId) : undefined;
    return {
      user: { id: user.id, email: user.email, name: user.name, isInstanceOwner: user.is_instance_owner === 1 },
      workspace: currentMembership ? { id: currentMembership.workspaceId, name: currentMembership.name, role: currentMembership.role, staffId: currentMembership.staffId } : null,
      workspaces,
      csrfToken: request.userOnly?.csrfToken ?? null,
    };
  });

  app.post(
    '/api/v1/auth/switch-workspace',
    { config: { access: 'user' }, schema: { tags, summary: 'Make another of your workspaces the current one', body: SwitchWorkspaceBodySchema, response: { 200: OkSchema, ...problemResponses } } },
    async (request) => {
      if (!request.userOnly) throw new DomainError('forbidden', 'API tokens belong to one workspace and cannot switch.');
      const membership = await findActiveMembership(db, request.userOnly.userId, request.body.workspaceId);
      if (!membership) throw notFound('Workspace');
      await setSessionWorkspace(db, request.userOnly.sessionIdHash, membership.workspace_id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/password',
    { config: { access: 'user' }, schema: { tags, summary: 'Change your password; your other sessions end', body: ChangePasswordBodySchema, response: { 200: OkSchema, ...problemResponses } } },
    async (request) => {
      if (!request.userOnly) throw new DomainError('forbidden', 'Change a password from a signed-in session, not with an API token.');
      const user = (await findUserById(db, request.userOnly.userId))!;
      if (!(await verifyPassword(user.password_hash, request.body.currentPassword))) {
        throw new DomainError('validation_failed', 'The current password is wrong.', [{ path: 'body.currentPassword', message: 'is wrong' }]);
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
        await deleteUserSessions(trx, user.id, request.userOnly!.sessionIdHash);
      });
      return { ok: true as const };
    },
  );

  function presentToken(row: { id: string; name: string; token_prefix: string; scopes: string; staff_id: string; last_used_at: string | null; revoked_at: string | null; created_at: string }) {
    return { id: row.id, name: row.name, prefix: row.token_prefix, scopes: parseJson<Scope[]>(row.scopes, []), staffId: row.staff_id, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at, createdAt: row.created_at };
  }

  app.get('/api/v1/api-tokens', { config: { scope: 'admin' }, schema: { tags, summary: 'API tokens (yours; managers see all)', response: { 200: z.object({ items: z.array(ApiTokenSchema) }), ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    let query = db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', auth.workspaceId).orderBy('created_at', 'desc');
    if (auth.role === 'agent') query = query.where('staff_id', '=', auth.staffId);
    return { items: (await query.execute()).map(presentToken) };
  });

  app.post(
    '/api/v1/api-tokens',
    { config: { scope: 'admin' }, schema: { tags, summary: 'Create an API token acting as you; the token is shown once', body: CreateApiTokenBodySchema, response: { 201: CreatedApiTokenSchema, ...problemResponses } } },
    async (request, reply) => {
      const auth = authOf(request);
      const scopes = [...new Set(request.body.scopes)];
      const created = await inUnitOfWork(db, context.bus, async (uow) => {
        const token = await insertApiToken(uow.trx, { workspaceId: auth.workspaceId, staffId: auth.staffId, name: request.body.name, scopes });
        await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'api_token.created', subjectType: 'api_token', subjectId: token.id, payload: { name: request.body.name, scopes } });
        return token;
      });
      return reply.code(201).send({ id: created.id, name: request.body.name, prefix: created.token.slice(0, 10), scopes, staffId: auth.staffId, lastUsedAt: null, revokedAt: null, createdAt: created.createdAt, token: created.token });
    },
  );

  app.delete('/api/v1/api-tokens/:id', { config: { scope: 'admin' }, schema: { tags, summary: 'Revoke an API token', params: IdParamsSchema, response: { 200: ApiTokenSchema, ...problemResponses } } }, async (request) => {
    const auth = authOf(request);
    return inUnitOfWork(db, context.bus, async (uow) => {
      const token = await uow.trx.selectFrom('api_tokens').selectAll().where('workspace_id', '=', auth.workspaceId).where('id', '=', request.params.id).executeTakeFirst();
      if (!token || (auth.role === 'agent' && token.staff_id !== auth.staffId)) throw notFound('API token');
      const revokedAt = token.revoked_at ?? nowIso();
      await uow.trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', token.id).execute();
      await context.bus.append(uow, { workspaceId: auth.workspaceId, actor: actorOf(request), type: 'api_token.revoked', subjectType: 'api_token', subjectId: token.id });
      return presentToken({ ...token, revoked_at: revokedAt });
    });
  });
}
