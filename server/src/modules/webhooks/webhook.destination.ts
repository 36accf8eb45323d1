import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Where a webhook may be sent. A help desk that POSTs to any URL a manager types is a way into the
 * operator's own network (cloud metadata at 169.254.169.254, admin panels on localhost), so every
 * address the destination resolves to is checked when the connection is made, not only when the
 * URL is saved: a DNS name that answered with a public address yesterday may answer 127.0.0.1 now.
 */
export class DestinationRefused extends Error {}

const ipv4Refused: Array<{ first: number; size: number; why: string }> = [];
function ipv4Number(address: string): number {
  return address.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
}
function ipv4Range(cidr: string, why: string): void {
  const [base, bits] = cidr.split('/');
  ipv4Refused.push({ first: ipv4Number(base!), size: 2 ** (32 - Number(bits)), why });
}
ipv4Range('0.0.0.0/8', '"this network" (0.0.0.0/8)');
ipv4Range('10.0.0.0/8', 'private (RFC 1918)');
ipv4Range('100.64.0.0/10', 'shared carrier-grade NAT (100.64.0.0/10)');
ipv4Range('127.0.0.0/8', 'loopback');
ipv4Range('169.254.0.0/16', 'link-local');
ipv4Range('172.16.0.0/12', 'private (RFC 1918)');
ipv4Range('192.0.0.0/24', 'IETF protocol assignments');
ipv4Range('192.0.2.0/24', 'documentation');
ipv4Range('192.88.99.0/24', '6to4 relay');
ipv4Range('192.168.0.0/16', 'private (RFC 1918)');
ipv4Range('198.18.0.0/15', 'benchmarking');
ipv4Range('198.51.100.0/24', 'documentation');
ipv4Range('203.0.113.0/24', 'documentation');
ipv4Range('224.0.0.0/4', 'multicast');
ipv4Range('240.0.0.0/4', 'reserved or broadcast');

function ipv4Refusal(address: string): string | null {
  const value = ipv4Number(address);
  for (const range of ipv4Refused) if (value >= range.first && value < range.first + range.size) return range.why;
  return null;
}

/** The eight 16-bit words of an IPv6 address (zone id dropped, dotted IPv4 tail folded in). */
function ipv6Words(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const words = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (words.length !== 8) return null;
  return words.map((word) => parseInt(word, 16));
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

function ipv6Refusal(address: string): string | null {
  const w = ipv6Words(address);
  if (!w || w.some((word) => !Number.isInteger(word) || word < 0 || word > 0xffff)) return 'not a valid IPv6 address';
  const zeroUpTo = (count: number) => w.slice(0, count).every((word) => word === 0);
  if (zeroUpTo(8)) return 'unspecified (::)';
  if (zeroUpTo(7) && w[7] === 1) return 'loopback';
  // Addresses that carry an IPv4 address are judged by that address.
  const viaIpv4 = (high: number, low: number, form: string) => {
    const why = ipv4Refusal(embeddedIpv4(high, low));
    return why ? `${why}, as ${form}` : null;
  };
  if (zeroUpTo(5) && w[5] === 0xffff) return viaIpv4(w[6]!, w[7]!, 'IPv4-mapped IPv6');
  if (zeroUpTo(6)) return 'IPv4-compatible IPv6 (deprecated)';
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((word) => word === 0)) return viaIpv4(w[6]!, w[7]!, 'NAT64');
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return 'local-use NAT64';
  if (w[0] === 0x2002) return viaIpv4(w[1]!, w[2]!, '6to4');
  if ((w[0]! & 0xfe00) === 0xfc00) return 'unique local (fc00::/7)';
  if ((w[0]! & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((w[0]! & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if (w[0]! >> 8 === 0xff) return 'multicast';
  // Only global unicast (2000::/3) remains acceptable; inside it, a few special blocks are not.
  if ((w[0]! & 0xe000) !== 0x2000) return 'reserved IPv6 range';
  if (w[0] === 0x2001 && w[1] === 0) return 'Teredo tunnel';
  if (w[0] === 0x2001 && w[1] === 0xdb8) return 'documentation';
  if (w[0] === 0x2001 && w[1] === 2 && w[2] === 0) return 'benchmarking';
  if (w[0] === 0x2001 && (w[1]! & 0xffe0) === 0x20) return 'ORCHID';
  if (w[0] === 0x2001 && (w[1]! & 0xfff0) === 0x10) return 'ORCHID';
  if (w[0] === 0x3fff && (w[1]! & 0xf000) === 0) return 'documentation';
  return null;
}

/** Why a webhook may not connect to this address, or null if it may. */
export function refusalReason(address: string): string | null {
  const family = net.isIP(address.split('%')[0]!);
  if (family === 4) return ipv4Refusal(address);
  if (family === 6) return ipv6Refusal(address);
  return 'not an IP address';
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Syntax checks that need no network: scheme, no credentials, and IP literals judged at once. */
export function parseDestination(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused('The URL is not valid.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DestinationRefused('Only http:// and https:// URLs can receive webhooks.');
  if (url.username || url.password) throw new DestinationRefused('The URL must not contain a user name or password; authenticate the request with the webhook signature instead.');
  if (!url.hostname) throw new DestinationRefused('The URL has no host.');
  const host = hostOf(url);
  if (!allowPrivate && net.isIP(host)) {
    const why = refusalReason(host);
    if (why) throw new DestinationRefused(`${host} is a ${why} address; webhooks may only go to public addresses (the operator can allow private ones with RAVING_WEBHOOK_ALLOW_PRIVATE=1).`);
  }
  return url;
}

function refusalFor(host: string, address: string, why: string): DestinationRefused {
  const shown = host === address ? address : `${host} resolves to ${address}, which`;
  return new DestinationRefused(`${shown} is a ${why} address; webhooks may only go to public addresses (the operator can allow private ones with RAVING_WEBHOOK_ALLOW_PRIVATE=1).`);
}

/** Subscription-time check: the URL's shape, and where its host resolves today. */
export async function checkDestination(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = parseDestination(raw, allowPrivate);
  const host = hostOf(url);
  if (allowPrivate || net.isIP(host)) return url;
  let addresses: LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new DestinationRefused(`${host} does not resolve to any address.`);
  }
  for (const { address } of addresses) {
    const why = refusalReason(address);
    if (why) throw refusalFor(host, address, why);
  }
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves as usual, then refuses if ANY resolved address is
 * forbidden (a name with one public and one private record could otherwise be steered to the
 * private one). Because the socket connects to exactly the addresses returned here, a name cannot
 * be rebound between this check and the connection.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions | number, callback: LookupCallback): void => {
    const lookupOptions: LookupOptions = typeof options === 'number' ? { family: options } : { ...options };
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '');
      if (!allowPrivate) {
        for (const { address } of addresses) {
          const why = refusalReason(address);
          if (why) return callback(refusalFor(hostname, address, why) as NodeJS.ErrnoException, '');
        }
      }
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMilliseconds?: number;
  maxResponseBytes?: number;
}

export interface PostResult {
  status: number;
  /** The start of the response body, for the delivery log. */
  body: string;
}

/**
 * POSTs once. Redirects are never followed (a 3xx is a failed attempt like any non-2xx): following
 * one would send the request somewhere nobody checked. The response is read up to a cap and the
 * whole exchange has a deadline, so a slow or endless receiver cannot hold a worker.
 */
export function postWebhook(raw: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const url = parseDestination(raw, options.allowPrivate);
  const timeout = options.timeoutMilliseconds ?? 10_000;
  const cap = options.maxResponseBytes ?? 64 * 1024;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve(result!);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(options.allowPrivate) as unknown as typeof dns.lookup,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Raving-Webhooks/1', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => finish(null, { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) });
        response.on('data', (chunk: Buffer) => {
          if (size >= cap) return;
          chunks.push(chunk.subarray(0, cap - size));
          size += chunk.length;
          if (size >= cap) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', (error) => finish(error));
        response.on('close', done);
      },
    );
    const deadline = setTimeout(() => {
      const error = new Error(`no answer within ${timeout / 1000} s`);
      request.destroy(error);
      finish(error);
    }, timeout);
    request.on('error', (error) => finish(error));
    request.end(body);
  });
}
