import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { roleRank, type AppContext, type App, type Role, type Scope } from '../context.js';
import { findActiveMembership, findSession, findTokenPrincipal } from '../modules/auth/index.js';
import { DomainError } from './errors.js';
import { nowIso } from '../lib/ids.js';

export const sessionCookieName = 'raving_session';

/** A route's access rule as declared in its config, with the defaults the hook applies. */
export interface RouteRule {
  method: string;
  url: string;
  access: 'public' | 'user' | 'staff';
  minimumRole: Role;
  scope?: Scope;
}
const routeRulesByApp = new WeakMap<object, RouteRule[]>();

/** Every route's access rule, so tests can check each role rule against the real server. */
export function routeRulesOf(app: object): RouteRule[] {
  return routeRulesByApp.get(app) ?? [];
}
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/**
 * Resolves who is calling (API token or session cookie) and enforces the route's access rule:
 * sign-in, workspace membership, role, token scope and, for cookie-authenticated writes, CSRF.
 */
export function registerAuthentication(app: App, context: AppContext): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('userOnly', null);
  const rules: RouteRule[] = [];
  routeRulesByApp.set(app, rules);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) rules.push({ method: method.toUpperCase(), url: route.url, access: route.config?.access ?? 'staff', minimumRole: route.config?.minimumRole ?? 'agent', scope: route.config?.scope });
  });

  // onRequest, before the body is parsed and validated: a caller without the right (or any) sign-in
  // learns nothing about the route's schema, and gets the same 401/403 whatever the body.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const rule = request.routeOptions.config;
    const access = rule?.access ?? 'staff';
    if (access === 'public' || !request.routeOptions.url) return;
    const { db } = context.database;

    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const principal = await findTokenPrincipal(db, authorization.slice(7).trim());
      if (!principal) throw new DomainError('unauthenticated', 'The API token is unknown or revoked.');
      const requiredScope: Scope = rule?.scope ?? (request.method === 'GET' ? 'read' : 'write');
      const granted = principal.scopes.includes('admin') || principal.scopes.includes(requiredScope) || (requiredScope === 'read' && principal.scopes.includes('write'));
      if (!granted) throw new DomainError('forbidden', `This API token lacks the "${requiredScope}" scope.`);
      request.auth = { userId: principal.userId, workspaceId: principal.workspaceId, staffId: principal.staffId, role: principal.role, via: 'token', scopes: principal.scopes };
      if (!principal.lastUsedAt || Date.parse(principal.lastUsedAt) < Date.now() - 60_000) {
        await db.updateTable('api_tokens').set({ last_used_at: nowIso() }).where('id', '=', principal.tokenId).execute();
      }
    } else {
      const token = request.cookies[sessionCookieName];
      const session = token ? await findSession(db, token) : undefined;
      if (!session) throw new DomainError('unauthenticated', 'Sign in to continue.');
      if (unsafeMethods.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (typeof header !== 'string' || !sameSecret(header, session.csrf_token)) {
          throw new DomainError('csrf_failed', 'Send the X-CSRF-Token header from GET /api/v1/auth/session with every change.');
        }
      }
      request.userOnly = { userId: session.user_id, sessionIdHash: session.id_hash, csrfToken: session.csrf_token };
      const membership = session.workspace_id ? await findActiveMembership(db, session.user_id, session.workspace_id) : undefined;
      if (!membership) {
        if (access === 'user') return;
        throw new DomainError('forbidden', 'You are not a member of a workspace; ask for an invitation.');
      }
      request.auth = {
        userId: session.user_id,
        workspaceId: membership.workspace_id,
        staffId: membership.id,
        role: membership.role,
        via: 'session',
        scopes: ['read', 'write', 'admin'],
        sessionIdHash: session.id_hash,
        csrfToken: session.csrf_token,
      };
    }
    if (access === 'user') return;
    const minimumRole = rule?.minimumRole ?? 'agent';
    if (roleRank[request.auth!.role] < roleRank[minimumRole]) {
      throw new DomainError('forbidden', `This needs the ${minimumRole} role or higher.`);
    }
  });
}

/** The authenticated staff context; routes with `access: staff` (the default) always have one. */
export function authOf(request: FastifyRequest) {
  if (!request.auth) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return request.auth;
}

export function actorOf(request: FastifyRequest) {
  const auth = authOf(request);
  return { type: auth.via === 'token' ? ('token' as const) : ('staff' as const), id: auth.staffId };
}
