import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.js';
import { ApiClient, ownerPassword, setUpWorkspace } from '../../../test/client.js';
import { startEmailTestServer, startSmtpSink, waitUntil, type EmailTestServer, type SmtpSink } from './email.testing.js';
import { simpleParser } from 'mailparser';

describeEachDialect('account mail: invitations and password resets', (dialect) => {
  let server: EmailTestServer;
  let sink: SmtpSink;
  let owner: ApiClient;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startEmailTestServer(dialect, { RAVING_MAIL_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, RAVING_PUBLIC_URL: 'https://help.acme.example', RAVING_MAIL_FROM: 'accounts@acme.example' });
    server.worker.start();
    ({ owner } = await setUpWorkspace(server.url));
  });
  afterAll(async () => {
    await server.close();
    await sink.close();
  });

  async function nextMail(count: number) {
    await waitUntil(async () => sink.messages.length >= count, 10_000, `mail #${count}`);
    return { envelope: sink.messages[count - 1]!, parsed: await simpleParser(sink.messages[count - 1]!.raw) };
  }

  it('an invitation is mailed with its single-use link from the public URL', async () => {
    const invitation = await owner.post('/api/v1/invitations', { email: 'newagent@acme.example', role: 'agent' }, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
    expect(invitation.status).toBe(201);
    const mail = await nextMail(1);
    expect(mail.envelope.to).toEqual(['newagent@acme.example']);
    expect(mail.parsed.from?.value[0]?.address).toBe('accounts@acme.example');
    expect(mail.parsed.text).toContain(`https://help.acme.example/accept-invitation?token=${invitation.body.token}`);
    expect(mail.parsed.text).not.toContain('evil.example');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const outbox = (await owner.get('/api/v1/email/outbox')).body.items;
    expect(JSON.stringify(outbox)).not.toContain(invitation.body.token);
  });

  it('a password reset: always 200, a 256-bit single-use link, ends every session', async () => {
    const stranger = new ApiClient(server.url);
    const unknown = await stranger.post('/api/v1/auth/password-reset/request', { email: 'nobody@acme.example' });
    expect(unknown.status).toBe(200);
    const requested = await stranger.post('/api/v1/auth/password-reset/request', { email: 'OWNER@acme.example' }, { host: 'evil.example' });
    expect(requested).toMatchObject({ status: 200, body: { ok: true } });
    const mail = await nextMail(2);
    expect(mail.envelope.to).toEqual(['owner@acme.example']);
    const token = /https:\/\/help\.acme\.example\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(Buffer.from(token!, 'base64url').length).toBeGreaterThanOrEqual(16);
    // Nothing a workspace can read holds the link, and the sent mail keeps no copy of it.
    expect(JSON.stringify((await owner.get('/api/v1/email/outbox')).body)).not.toContain(token);
    const stored = await server.context.database.db.selectFrom('outbound_emails').select('body_text').where('purpose', '=', 'password_reset').execute();
    await waitUntil(async () => !JSON.stringify(await server.context.database.db.selectFrom('outbound_emails').select('body_text').where('purpose', '=', 'password_reset').execute()).includes(token!), 5000, 'the secret removed');
    expect(stored).toHaveLength(1);

    expect((await stranger.post('/api/v1/auth/password-reset/confirm', { token: 'x'.repeat(43), password: 'a brand new password' })).status).toBe(404);
    expect((await owner.get('/api/v1/auth/session')).status).toBe(200);
    const confirmed = await stranger.post('/api/v1/auth/password-reset/confirm', { token, password: 'a brand new password' });
    expect(confirmed.status).toBe(200);
    expect((await owner.get('/api/v1/tickets')).status).toBe(401);
    expect((await stranger.post('/api/v1/auth/password-reset/confirm', { token, password: 'another new password' })).status).toBe(404);
    const signIn = await new ApiClient(server.url).post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: 'a brand new password' });
    expect(signIn.status).toBe(200);
    const oldPassword = await new ApiClient(server.url).post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: ownerPassword });
    expect(oldPassword.status).toBe(401);
  });

  it('a reset link expires', async () => {
    const stranger = new ApiClient(server.url);
    await stranger.post('/api/v1/auth/password-reset/request', { email: 'owner@acme.example' });
    const mail = await nextMail(3);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')![1]!;
    const row = await server.context.database.db.selectFrom('password_resets').select('expires_at').where('used_at', 'is', null).executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.now()).toBeLessThanOrEqual(3_600_000);
    await server.context.database.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('used_at', 'is', null).execute();
    expect((await stranger.post('/api/v1/auth/password-reset/confirm', { token, password: 'too late password' })).status).toBe(404);
  });
});
