import crypto from 'node:crypto';
import type { Config } from '../../config.js';
import type { Row } from '../../db/schema.js';
import { scales } from './survey.questions.js';

/**
 * A survey link carries the invitation id and its expiry, signed with the instance secret, so it
 * needs no sign-in and cannot be forged or extended. The rating in the query string is only a
 * preselection; nothing is recorded until the customer submits the form.
 */
function signatureOf(secret: string, invitationId: string, expiresAtSeconds: number): string {
  return crypto.createHmac('sha256', secret).update(`survey-link:v1:${invitationId}:${expiresAtSeconds}`).digest('base64url').slice(0, 32);
}

export function createSurveyToken(secret: string, invitationId: string, expiresAt: string): string {
  const seconds = Math.floor(Date.parse(expiresAt) / 1000);
  return `${invitationId}.${seconds.toString(36)}.${signatureOf(secret, invitationId, seconds)}`;
}

export type TokenCheck = { ok: true; invitationId: string; expiresAt: string } | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

export function verifySurveyToken(secret: string, token: string, now = Date.now()): TokenCheck {
  const match = /^([0-9a-f-]{36})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, invitationId, encodedExpiry, signature] = match as unknown as [string, string, string, string];
  const seconds = Number.parseInt(encodedExpiry, 36);
  const expected = signatureOf(secret, invitationId, seconds);
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return { ok: false, reason: 'tampered' };
  if (seconds * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, invitationId, expiresAt: new Date(seconds * 1000).toISOString() };
}

export function publicBaseUrl(config: Config): string {
  return (config.RAVING_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export function surveyLinks(services: { secret: string; config: Config }, invitation: Row<'survey_invitations'>) {
  const path = `/survey/${createSurveyToken(services.secret, invitation.id, invitation.expires_at)}`;
  const url = publicBaseUrl(services.config) + path;
  const scale = invitation.kind === 'feelings' ? undefined : scales[invitation.kind as 'csat' | 'nps' | 'ces'];
  const ratings = scale ? Array.from({ length: scale.max - scale.min + 1 }, (_, index) => ({ score: scale.min + index, url: `${url}?score=${scale.min + index}` })) : [];
  return { path, url, ratings };
}
