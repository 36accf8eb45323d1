import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import { nowIso, sha256 } from '../lib/ids.js';
import { DomainError } from './errors.js';

interface PendingIdempotency {
  scope: string;
  key: string;
  requestHash: string;
}

const pendingByRequest = new WeakMap<FastifyRequest, PendingIdempotency>();

/**
 * POST routes accept an Idempotency-Key header: a retry with the same key and body returns the
 * first result; the same key with another body is a 422. Keys are scoped to the caller.
 */
export function registerIdempotency(app: App, context: AppContext): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters.', [{ path: 'header.idempotency-key', message: 'must be 1 to 255 characters' }]);
    }
    const caller = request.auth ? `${request.auth.workspaceId}:${request.auth.staffId}` : `public:${request.ip}`;
    const scope = `${caller}:${request.routeOptions.url}`;
    const requestHash = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
    const stored = await context.database.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (stored) {
      if (stored.request_hash !== requestHash) {
        throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
      }
      return reply.code(stored.status_code).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(stored.response_body);
    }
    pendingByRequest.set(request, { scope, key, requestHash });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = pendingByRequest.get(request);
    if (!pending || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    await context.database.db
      .insertInto('idempotency_keys')
      .values({ scope: pending.scope, key: pending.key, request_hash: pending.requestHash, status_code: reply.statusCode, response_body: payload, created_at: nowIso() })
      .onConflict((conflict) => conflict.columns(['scope', 'key']).doNothing())
      .execute();
    return payload;
  });
}
