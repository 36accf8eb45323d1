import { describe, expect, it } from 'vitest';
import { parseDestination, refusalReason } from './webhook.destination.js';
import { newWebhookSecret, openSecret, sealSecret, signWebhook } from './webhook.signing.js';

// Pure functions, no database: these run once rather than once per dialect.
describe('webhook destinations', () => {
  it('refuses every non-public address family, IPv4 inside IPv6 included', () => {
    const refused = [
      '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254',
      '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1',
      '192.0.2.10', '198.51.100.1', '203.0.113.5', '198.18.0.1', '192.0.0.8',
      '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '0:0:0:0:0:ffff:c0a8:0101',
      '::127.0.0.1', '64:ff9b::10.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '2002:c0a8:101::1', '2001:db8::1', '2001:0:4136:e378::1',
      '100::1', '3fff::1', 'not-an-ip',
    ];
    for (const address of refused) expect(refusalReason(address), address).not.toBeNull();
    const allowed = ['93.184.215.14', '8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
    for (const address of allowed) expect(refusalReason(address), address).toBeNull();
  });

  it('names why, so the manager knows what to change', () => {
    expect(refusalReason('10.0.0.1')).toBe('private (RFC 1918)');
    expect(refusalReason('::ffff:127.0.0.1')).toBe('loopback, as IPv4-mapped IPv6');
    expect(refusalReason('fe80::1')).toBe('link-local (fe80::/10)');
  });

  it('accepts only http(s) URLs without credentials, judging IP literals in any spelling', () => {
    expect(parseDestination('https://93.184.215.14/hook', false).hostname).toBe('93.184.215.14');
    for (const url of ['http://0x7f.1/', 'http://017700000001/', 'http://127.1/', 'http://[0:0:0:0:0:ffff:127.0.0.1]/', 'file:///etc/passwd', 'gopher://x/', 'https://a:b@example.com/'])
      expect(() => parseDestination(url, false), url).toThrow();
    expect(parseDestination('http://127.0.0.1:9/', true).port).toBe('9');
  });

  it('signs exactly like the Standard Webhooks reference vector', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('keeps signing secrets sealed at rest, readable only with the instance secret', () => {
    const secret = newWebhookSecret();
    const sealed = sealSecret('instance-secret-one', secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret('instance-secret-one', sealed)).toBe(secret);
    expect(() => openSecret('instance-secret-two', sealed)).toThrow();
  });
});
