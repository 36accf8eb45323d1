import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

export const relayChannel = 'raving_realtime';

/**
 * Several app nodes on one PostgreSQL: each node NOTIFYs what it committed and LISTENs for the
 * others, so a socket on node B hears of a reply saved on node A. NOTIFY payloads are capped at
 * 8000 bytes, so only small envelopes travel (no message bodies).
 */
export class PostgresRelay {
  private client: pg.Client | null = null;
  private closed = false;
  private pending: string[] = [];
  private sending = false;

  constructor(
    private readonly url: string,
    private readonly nodeId: string,
    private readonly log: FastifyBaseLogger,
    private readonly onMessage: (message: Record<string, unknown>) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'realtime relay connection failed; reconnecting');
      this.client = null;
      if (!this.closed) setTimeout(() => void this.start().catch(() => undefined), 1000).unref();
    });
    client.on('notification', (notification) => {
      if (notification.channel !== relayChannel || !notification.payload) return;
      try {
        const message = JSON.parse(notification.payload) as Record<string, unknown>;
        if (message.node !== this.nodeId) this.onMessage(message);
      } catch {
        // Not ours: another program on the same channel.
      }
    });
    await client.connect();
    await client.query(`LISTEN ${relayChannel}`);
    this.client = client;
  }

  publish(message: Record<string, unknown>): void {
    const payload = JSON.stringify({ ...message, node: this.nodeId });
    if (!this.client || payload.length > 7900) return;
    this.pending.push(payload);
    if (!this.sending) void this.sendPending();
  }

  /**
   * One query at a time on the connection: pg would queue overlapping ones itself, but warns that
   * this is deprecated. What piles up while a query is out goes in the next one, so a burst of
   * events (three per new ticket) costs one round trip rather than one each.
   */
  private async sendPending(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        const payloads = this.pending.splice(0, 500);
        if (!this.client) continue;
        await this.client
          .query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [relayChannel, payloads])
          .catch((error: unknown) => this.log.warn({ err: error }, 'realtime relay publish failed'));
      }
    } finally {
      this.sending = false;
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
