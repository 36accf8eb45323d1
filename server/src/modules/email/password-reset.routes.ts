import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { OkSchema, problemResponses } from '../../http/schemas.js';
import { addMilliseconds, newSecretToken, nowIso, sha256 } from '../../lib/ids.js';
import { deleteUserSessions, findUserByEmail, hashPassword } from '../auth/index.js';
import { queueAccountEmail } from './email.outbound.js';
import { PasswordResetConfirmBodySchema, PasswordResetRequestBodySchema } from './email.schema.js';

const tags = ['Authentication'];
const resetLifetimeMilliseconds = 30 * 60_000;
const requestsPerAddressPerHour = 3;

/** Links in mail come from configuration, never from the Host header a client sent. */
export function publicLink(context: AppContext, path: string): string {
  return new URL(path, context.config.RAVING_PUBLIC_URL ?? `http://localhost:${context.config.PORT}`).toString();
}

export function registerPasswordResetRoutes(app: App, context: AppContext): void {
  const { db } = context.database;

  app.post(
    '/api/v1/auth/password-reset/request',
    { config: { access: 'public' }, schema: { tags, summary: 'Email a single-use reset link (answers the same whether or not the address has an account)', body: PasswordResetRequestBodySchema, response: { 200: OkSchema, ...problemResponses } } },
    async (request) => {
      const email = request.body.email.trim().toLowerCase();
      const user = await findUserByEmail(db, email);
      if (user) {
        await inUnitOfWork(db, context.bus, async ({ trx }) => {
          const recent = await trx.selectFrom('password_resets').select('token_hash').where('user_id', '=', user.id).where('created_at', '>', addMilliseconds(nowIso(), -3_600_000)).execute();
          // Quietly bounded, so the form cannot be used to flood someone's inbox.
          if (recent.length >= requestsPerAddressPerHour) return;
          const token = newSecretToken(32);
          const now = nowIso();
          await trx.insertInto('password_resets').values({ token_hash: sha256(token), user_id: user.id, expires_at: addMilliseconds(now, resetLifetimeMilliseconds), used_at: null, created_at: now }).execute();
          const link = publicLink(context, `/reset-password?token=${token}`);
          await queueAccountEmail(trx, context.config, {
            workspaceId: null,
            purpose: 'password_reset',
            to: user.email,
            subject: 'Reset your Raving password',
            text: `Someone (hopefully you) asked to reset the password of your Raving account.\n\nChoose a new password here within 30 minutes:\n${link}\n\nThe link works once. If you did not ask for this, ignore this mail: your password stays as it is.`,
            isSensitive: true,
          });
        });
        context.pokeWorker();
      }
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    { config: { access: 'public' }, schema: { tags, summary: 'Set a new password with a reset token; ends every session of the account', body: PasswordResetConfirmBodySchema, response: { 200: OkSchema, ...problemResponses } } },
    async (request) => {
      const passwordHash = await hashPassword(request.body.password);
      const done = await inUnitOfWork(db, context.bus, async ({ trx }) => {
        const now = nowIso();
        const claimed = await trx.updateTable('password_resets').set({ used_at: now }).where('token_hash', '=', sha256(request.body.token)).where('used_at', 'is', null).where('expires_at', '>', now).returning('user_id').executeTakeFirst();
        if (!claimed) return false;
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', claimed.user_id).execute();
        // Other outstanding links die too: one reset ends them all.
        await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', claimed.user_id).where('used_at', 'is', null).execute();
        await deleteUserSessions(trx, claimed.user_id);
        return true;
      });
      if (!done) throw new DomainError('not_found', 'This reset link is unknown, used or expired; ask for a new one.');
      return { ok: true as const };
    },
  );
}

