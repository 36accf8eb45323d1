import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { sessionCookieName } from '../../http/authenticate.js';

export function setSessionCookie(context: AppContext, request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string): void {
  reply.setCookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https' || (context.config.RAVING_PUBLIC_URL?.startsWith('https://') ?? false),
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName, { path: '/' });
}
