import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import { nowIso, sha256 } from '../lib/ids.js';
import { DomainError } from './errors.js';

interface PendingIdempotency {
  scope: string;
  key: string;
}

const pendingByRequest = new WeakMap<FastifyRequest, PendingIdempotency>();

/** A claim this old belongs to a request that died with its process; a retry may take it over. */
const abandonedAfterMilliseconds = 60_000;

/**
 * POST routes accept an Idempotency-Key header: a retry with the same key and body returns the
 * first result; the same key with another body is a 422. Keys are scoped to the caller.
 *
 * The key is claimed (a row with status 0) before the handler runs, so a retry that arrives while
 * the first request is still working gets a 409 instead of doing the work a second time. A
 * request that fails releases its claim, so it can be retried.
 */
export function registerIdempotency(app: App, context: AppContext): void {
  const { db } = context.database;

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
    const now = nowIso();
    const claim = await db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: requestHash, status_code: 0, response_body: '', created_at: now })
      .onConflict((conflict) => conflict.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(claim.numInsertedOrUpdatedRows ?? 0) > 0) {
      pendingByRequest.set(request, { scope, key });
      return;
    }
    const stored = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (stored && stored.request_hash !== requestHash) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
    }
    if (!stored || stored.status_code === 0) {
      if (stored && Date.parse(stored.created_at) < Date.now() - abandonedAfterMilliseconds) {
        const takenOver = await db
          .updateTable('idempotency_keys')
          .set({ created_at: now })
          .where('scope', '=', scope)
          .where('key', '=', key)
          .where('status_code', '=', 0)
          .where('created_at', '=', stored.created_at)
          .executeTakeFirst();
        if (Number(takenOver.numUpdatedRows) > 0) {
          pendingByRequest.set(request, { scope, key });
          return;
        }
      }
      throw new DomainError('conflict', 'A request with this Idempotency-Key is still being processed; retry in a moment.');
    }
    return reply.code(stored.status_code).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(stored.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = pendingByRequest.get(request);
    if (!pending) return payload;
    pendingByRequest.delete(request);
    const claimed = db.updateTable('idempotency_keys').where('scope', '=', pending.scope).where('key', '=', pending.key).where('status_code', '=', 0);
    if (reply.statusCode < 300 && typeof payload === 'string') {
      await claimed.set({ status_code: reply.statusCode, response_body: payload }).execute();
    } else {
      await db.deleteFrom('idempotency_keys').where('scope', '=', pending.scope).where('key', '=', pending.key).where('status_code', '=', 0).execute();
    }
    return payload;
  });
}
