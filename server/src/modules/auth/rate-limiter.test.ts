import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './rate-limiter.js';

describe('sign-in attempt limiter', () => {
  it('allows the limit within the window, then says how long to wait, and forgets old attempts', () => {
    const limiter = new AttemptLimiter(3, 60_000);
    const start = 1_000_000;
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(limiter.retryAfterSeconds('maya@example.com', start + attempt)).toBe(0);
      limiter.record('maya@example.com', start + attempt);
    }
    expect(limiter.retryAfterSeconds('maya@example.com', start + 10)).toBe(60);
    expect(limiter.retryAfterSeconds('other@example.com', start + 10)).toBe(0);
    expect(limiter.retryAfterSeconds('maya@example.com', start + 30_000)).toBe(30);
    expect(limiter.retryAfterSeconds('maya@example.com', start + 60_001)).toBe(0);
    limiter.reset('maya@example.com');
    expect(limiter.retryAfterSeconds('maya@example.com', start + 11)).toBe(0);
  });
});
