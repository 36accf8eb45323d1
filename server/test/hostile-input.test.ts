import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setUpWorkspace } from './client.js';
import { harvestIds, populateWorkspace, type WorkspaceFixtures } from './fixtures.js';
import { describeEachDialect, startTestServer, type TestServer } from './harness.js';
import { exampleOf, loadOperations, type JsonSchema, type Operation } from './openapi.js';

/**
 * Hostile input on every write route of the OpenAPI document (so later routes are covered too):
 * random JSON, wrong types, huge strings, unicode oddities, prototype-pollution keys, as body,
 * path parameters and query. Always a success or a 4xx problem+json, never a 500, and the
 * server keeps serving.
 */
const runsPerRoute = Number(process.env.RAVING_FUZZ_RUNS ?? 15);

const oddities = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u202dreversed',
  '\ufeff',
  '\u200b\u200d',
  'Z\u0335\u0336\u0337a\u0338l\u0339go',
  '𝕏'.repeat(300),
  "' OR 1=1 --",
  '"; DROP TABLE tickets; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '%',
  '\r\nSet-Cookie: x=1',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '__proto__',
  'constructor',
  'toString',
  '*',
  'NEAR(a b)',
  '" OR "',
];

const hostileString = fc.oneof(
  fc.constantFrom(...oddities),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 100_001, max: 140_000 }).map((length) => 'ø'.repeat(length)),
  fc.integer({ min: 100_001, max: 140_000 }).map((length) => 'a'.repeat(length)),
);

const deepValue = fc.integer({ min: 20, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { nested: value };
  return value;
});

const pollution = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__": {"isAdmin": true, "role": "owner"}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  JSON.parse('{"__proto__": null}'),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.double(),
  fc.integer(),
  fc.bigInt().map((value) => value.toString()),
  fc.constantFrom(null, true, false, 0, -0, -1, 1e308, -1e308, [], {}),
  deepValue,
  pollution,
);

/** A plausible body with one field replaced by something hostile, so handlers past validation get exercised. */
function mutatedBody(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const example = (exampleOf(schema) ?? {}) as Record<string, unknown>;
  const keys = Object.keys(schema?.properties ?? {});
  return fc.record({ key: fc.constantFrom(...keys, '__proto__', 'constructor', 'unknownField', ''), value: hostileValue }).map(({ key, value }) => {
    const body: Record<string, unknown> = typeof example === 'object' && example !== null && !Array.isArray(example) ? { ...example } : {};
    Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
    return body;
  });
}

/** encodeURIComponent throws on lone surrogates; send them as the invalid UTF-8 a hostile client would. */
function encodePathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[\s\S]/g, (character) => {
      try {
        return encodeURIComponent(character);
      } catch {
        return '%ED%A0%80';
      }
    });
  }
}

describeEachDialect('hostile input', (dialect) => {
  let server: TestServer;
  let fixtures: WorkspaceFixtures;
  let operations: Operation[];
  let ids: string[];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { owner, workspaceId } = await setUpWorkspace(server.url);
    fixtures = await populateWorkspace(owner, workspaceId, 'Acme');
    operations = await loadOperations(server.url);
    await harvestIds(owner.withToken(fixtures.token), operations, fixtures.allIds);
    ids = [...fixtures.allIds];
  });
  afterAll(() => server.close());

  async function send(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
    const response = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${fixtures.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body,
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  function expectSafe(response: { status: number; contentType: string; text: string }, what: string) {
    expect(response.status, `${what} → ${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
    if (response.status >= 400) expect(response.contentType, what).toContain('application/problem+json');
  }

  // The route list grows with every module, hence the generous limit (about 0.2 s per route).
  it('every POST, PUT and PATCH route answers random and mutated bodies, params and queries with a success or a 4xx problem', { timeout: 240_000 }, async () => {
    const writes = operations.filter((operation) => ['POST', 'PUT', 'PATCH'].includes(operation.method));
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const operation of writes) {
      const pathValue = fc.oneof(fc.constantFrom(...ids), hostileString.filter((value) => value.length < 5000));
      const body = fc.oneof(fc.jsonValue(), mutatedBody(operation.bodySchema), mutatedBody(operation.bodySchema), hostileValue);
      const query = fc.option(fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', '__proto__', 'x'), hostileString.filter((value) => value.length < 2000), { maxKeys: 3 }));
      await fc.assert(
        fc.asyncProperty(fc.array(pathValue, { minLength: operation.pathParams.length, maxLength: operation.pathParams.length }), body, query, async (values, value, queryValues) => {
          let index = 0;
          const path = operation.path.replace(/\{[^}]+\}/g, () => encodePathSegment(values[index++]!));
          const search = queryValues ? `?${Object.entries(queryValues).map(([key, item]) => `${key}=${encodePathSegment(item)}`).join('&')}` : '';
          const response = await send(operation.method, path + search, JSON.stringify(value) ?? 'null');
          expectSafe(response, `${operation.method} ${operation.path}`);
        }),
        { numRuns: runsPerRoute },
      );
    }
    const alive = await send('GET', '/api/v1/workspace', undefined);
    expect(alive.status).toBe(200);
  });

  it('every GET route answers hostile query strings and path parameters with a success or a 4xx problem', { timeout: 240_000 }, async () => {
    for (const operation of operations.filter((candidate) => candidate.method === 'GET')) {
      const keys = [...Object.keys(operation.querySchema?.properties ?? {}), '__proto__', 'x'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.constantFrom(...ids), hostileString.filter((value) => value.length < 3000)), { minLength: operation.pathParams.length, maxLength: operation.pathParams.length }),
          fc.dictionary(fc.constantFrom(...keys), hostileString.filter((value) => value.length < 3000), { maxKeys: 3 }),
          async (values, queryValues) => {
            let index = 0;
            const path = operation.path.replace(/\{[^}]+\}/g, () => encodePathSegment(values[index++]!));
            const search = Object.entries(queryValues).map(([key, item]) => `${key}=${encodePathSegment(item)}`).join('&');
            expectSafe(await send('GET', `${path}?${search}`, undefined), `GET ${operation.path}`);
          },
        ),
        { numRuns: 10 },
      );
    }
  });

  it('refuses malformed JSON, wrong content types, empty bodies, oversized and absurdly nested bodies with a 4xx problem', async () => {
    const cases: Array<[string, string | undefined, Record<string, string>, number | number[]]> = [
      ['{"subject": "x", ', undefined, {}, 400],
      ['not json at all', undefined, {}, 400],
      ['', undefined, {}, 400],
      ['subject=x', undefined, { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['subject', undefined, { 'content-type': 'text/plain' }, [400, 415]],
      ['{}', undefined, { 'content-type': 'application/xml' }, 415],
      ['[' .repeat(200_000) + ']'.repeat(200_000), undefined, {}, 400],
      [JSON.stringify({ subject: 'x'.repeat(1_100_000), customer: { email: 'a@example.com' } }), undefined, {}, 413],
      ['{"__proto__": {"role": "owner"}, "subject": "x", "customer": {"email": "a@example.com"}}', undefined, {}, 400],
    ];
    for (const [body, , headers, status] of cases) {
      const response = await send('POST', '/api/v1/tickets', body, headers);
      expect([status].flat(), `${body.slice(0, 40)} → ${response.status} ${response.text.slice(0, 200)}`).toContain(response.status);
      expect(response.contentType).toContain('application/problem+json');
    }
    const withKey = await send('POST', '/api/v1/tickets', '['.repeat(50_000) + ']'.repeat(50_000), { 'idempotency-key': 'deep-body' });
    expect(withKey.status).toBe(400);
    const alive = await send('GET', '/api/v1/tickets?limit=1', undefined);
    expect(alive.status).toBe(200);
  });

  it('customer text keeps its unicode (except NUL, refused) and comes back as sent', async () => {
    const text = 'Grüße \u202eevil\u202c 𝕏 \ufeff <b>bold</b> \u200d';
    const created = await send('POST', '/api/v1/tickets', JSON.stringify({ subject: 'Unicode ✓', customer: { email: 'uni@example.com' }, message: { text } }));
    expect(created.status).toBe(201);
    const ticket = JSON.parse(created.text);
    const messages = await send('GET', `/api/v1/tickets/${ticket.id}/messages`, undefined);
    expect(JSON.parse(messages.text).items[0].text).toBe(text);
    const nul = await send('POST', '/api/v1/tickets', JSON.stringify({ subject: 'NUL', customer: { email: 'nul@example.com' }, message: { text: 'a\u0000b' } }));
    expect(nul.status).toBe(400);
    expect(JSON.parse(nul.text).errors[0].path).toBe('body.message.text');
  });
});
