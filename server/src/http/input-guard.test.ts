import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHostileInput } from './input-guard.js';
import { decodeCursor, encodeCursor } from './pagination.js';

describe('input guard', () => {
  it('finds NUL in values and keys, with the path to it', () => {
    expect(findHostileInput({ a: [{ b: 'x\u0000' }] }, 'body')).toEqual({ path: 'body.a.0.b', message: 'must not contain NUL characters' });
    expect(findHostileInput({ ['k\u0000']: 1 }, 'body')?.message).toContain('key');
    expect(findHostileInput('\u0000', 'querystring')?.path).toBe('querystring');
  });

  it('refuses nesting deeper than 32 without recursing (a million levels is fine to inspect)', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 1_000_000; level++) deep = [deep];
    expect(findHostileInput(deep, 'body')?.message).toContain('nested deeper');
    let shallow: unknown = 'bottom';
    for (let level = 0; level < 31; level++) shallow = { next: shallow };
    expect(findHostileInput(shallow, 'body')).toBeUndefined();
  });

  it('accepts any JSON without NUL and not too deep', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const hasNul = JSON.stringify(value).includes('\\u0000');
        expect(findHostileInput(value, 'body') !== undefined).toBe(hasNul);
      }),
    );
  });
});

describe('cursors', () => {
  it('round-trip, and anything forged is a validation error rather than a database error', () => {
    expect(decodeCursor(encodeCursor('2026-01-01T00:00:00.000Z', 'abc'))).toEqual({ sortValue: '2026-01-01T00:00:00.000Z', id: 'abc' });
    expect(decodeCursor(encodeCursor(42, 'abc'))).toEqual({ sortValue: 42, id: 'abc' });
    for (const forged of ['not base64 at all!', Buffer.from('["a\\u0000",  "b"]').toString('base64url'), Buffer.from('[null,"b"]').toString('base64url'), Buffer.from('["a","b\\u0000"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(forged), forged).toThrow('The cursor is not one this API handed out.');
    }
  });
});
