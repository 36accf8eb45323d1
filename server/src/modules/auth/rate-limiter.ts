/**
 * A sliding-window counter kept in memory. Sign-in attempts are limited per account and per client
 * address; on several nodes each node limits on its own, which still bounds guessing to N × limit.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMilliseconds: number,
  ) {}

  /** Seconds to wait before the next attempt is allowed, or 0. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMilliseconds - now) / 1000));
  }

  record(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 100_000) this.attempts.delete(this.attempts.keys().next().value!);
  }

  reset(key: string): void {
    this.attempts.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((time) => time > now - this.windowMilliseconds);
  }
}
