import crypto from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of
 * random bytes; the signature is `v1,` + base64 HMAC-SHA256, keyed with those bytes, over
 * `${webhook-id}.${webhook-timestamp}.${body}`, the timestamp in whole seconds.
 */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${crypto.createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * Signing secrets must be readable to sign, so they cannot be hashed like API tokens; they are
 * encrypted with a key derived from the instance secret, so a copy of the database alone does not
 * let anyone forge deliveries.
 */
function keyFrom(instanceSecret: string): Buffer {
  return crypto.createHash('sha256').update(`raving webhook secrets\u0000${instanceSecret}`).digest();
}

export function sealSecret(instanceSecret: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFrom(instanceSecret), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
}

export function openSecret(instanceSecret: string, stored: string): string {
  if (!stored.startsWith('v1:')) throw new Error('unknown webhook secret format');
  const bytes = Buffer.from(stored.slice(3), 'base64url');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyFrom(instanceSecret), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
