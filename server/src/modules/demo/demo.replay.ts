import { sql } from 'kysely';
import type { App, AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { JobWorker } from '../../jobs/worker.js';
import { addMessage, createTicket } from '../tickets/index.js';
import { SimulatedClock } from './demo.clock.js';

/** A staff member of the demo desk, calling the real HTTP routes in process (as the web app would). */
export class DemoClient {
  constructor(
    private readonly app: App,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async signIn(app: App, email: string, password: string): Promise<DemoClient> {
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
    if (response.statusCode !== 200) throw new Error(`demo sign-in of ${email} failed: ${response.statusCode} ${response.body}`);
    const cookie = String(response.headers['set-cookie']).split(';')[0]!;
    return new DemoClient(app, cookie, (response.json() as { csrfToken: string }).csrfToken);
  }

  /** A failed call stops the demo: the story is meant to be valid, so a refusal is a bug to see at once. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object): Promise<any> {
    const response = await this.app.inject({ method, url, payload, headers: { cookie: this.cookie, 'x-csrf-token': this.csrfToken } });
    if (response.statusCode >= 400) throw new Error(`demo ${method} ${url} failed: ${response.statusCode} ${response.body}`);
    return response.body ? response.json() : undefined;
  }

  get(url: string) {
    return this.call('GET', url);
  }

  post(url: string, payload: object = {}) {
    return this.call('POST', url, payload);
  }

  patch(url: string, payload: object) {
    return this.call('PATCH', url, payload);
  }

  put(url: string, payload: object) {
    return this.call('PUT', url, payload);
  }

  /** A customer's answer on the public survey page (JSON, as the widget sends it). */
  async answerSurvey(path: string, answers: { ratings: Record<string, number>; comment?: string; feelings?: string[] }): Promise<void> {
    const response = await this.app.inject({ method: 'POST', url: path, payload: answers });
    if (response.statusCode !== 200) throw new Error(`demo survey answer failed: ${response.statusCode}`);
  }
}

/**
 * A customer writing in. No route takes a customer's own words in process (mail arrives over SMTP or
 * IMAP), so this calls the ticket service exactly as the email pipeline does once it has parsed a
 * message: the customer is the actor, so the timeline reads "The customer created the ticket" and a
 * customer's answer reopens the ticket in their name.
 */
export class DemoCustomer {
  constructor(
    private readonly context: AppContext,
    private readonly workspaceId: string,
    readonly id: string,
  ) {}

  private get services() {
    return { bus: this.context.bus, dialect: this.context.database.dialect };
  }

  private get actor() {
    return { type: 'customer' as const, id: this.id };
  }

  /** A new ticket by email, the web form or chat, filed with the team and tags of its kind (as the mailbox or the form's topic files it). */
  async writes(input: { subject: string; text: string; channel: 'email' | 'web' | 'chat'; teamId: string | null; tags: string[] }): Promise<{ id: string }> {
    const created = await inUnitOfWork(this.context.database.db, this.context.bus, (uow) =>
      createTicket(uow, this.services, this.workspaceId, this.actor, {
        subject: input.subject,
        customerId: this.id,
        priority: 'normal',
        channel: input.channel,
        teamId: input.teamId,
        tags: input.tags,
        message: { kind: 'inbound', authorType: 'customer', authorId: this.id, text: input.text },
      }),
    );
    return { id: created.ticket.id };
  }

  /** The customer's next message on their ticket. */
  async answers(ticketId: string, text: string): Promise<void> {
    await inUnitOfWork(this.context.database.db, this.context.bus, (uow) => addMessage(uow, this.services, this.workspaceId, this.actor, ticketId, { kind: 'inbound', authorType: 'customer', authorId: this.id, text }));
  }
}

/**
 * A discrete-event simulation: each story is an async function that waits for simulated times
 * (`until`) and then acts through the API. The loop moves the clock to the earliest waiting story
 * or due job, runs the due jobs (SLA timers, surveys, follow-ups) at their own time, and lets the
 * stories due then continue, one moment at a time, so the same seed gives the same history.
 */
export class Simulation {
  readonly clock: SimulatedClock;
  private readonly waiting: Array<{ at: number; order: number; resume: () => void }> = [];
  private active = 0;
  private order = 0;
  private settled: (() => void) | undefined;
  private failure: unknown;
  private readonly worker: JobWorker;

  private reported = 0;

  constructor(
    private readonly context: AppContext,
    private readonly start: number,
    private readonly end: number,
    /** Told the share of the simulated period lived so far (0 to 1), at most once per simulated day. */
    private readonly onProgress?: (share: number) => void,
  ) {
    this.clock = new SimulatedClock(start);
    this.worker = new JobWorker({ db: context.database.db, dialect: context.database.dialect, registry: context.jobs, log: context.log, pollMilliseconds: 1000 });
  }

  /** Starts a story now; it runs until its first `until`. */
  spawn(story: () => Promise<void>): void {
    this.active++;
    void story()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.leave());
  }

  /** Waits until the simulated clock reaches `at` (at once if it already has). */
  until(at: number): Promise<void> {
    return new Promise((resume) => {
      this.waiting.push({ at: Math.min(at, this.end), order: this.order++, resume });
      this.leave();
    });
  }

  private leave(): void {
    this.active--;
    if (this.active === 0) this.settled?.();
  }

  private async quiet(): Promise<void> {
    if (this.active > 0) await new Promise<void>((resolve) => (this.settled = resolve));
    this.settled = undefined;
    if (this.failure) throw this.failure;
  }

  private async nextJobAt(): Promise<number | null> {
    const row = await this.context.database.db.selectFrom('jobs').select(sql<string | null>`min(run_at)`.as('next')).where('status', '=', 'queued').executeTakeFirst();
    return row?.next ? Date.parse(row.next) : null;
  }

  /** Runs the stories to the end of the simulated period, with the clock standing in for `Date`. */
  async run(): Promise<void> {
    await this.clock.run(async () => {
      for (;;) {
        await this.quiet();
        this.waiting.sort((a, b) => a.at - b.at || a.order - b.order);
        const nextStory = this.waiting[0]?.at ?? this.end;
        const nextJob = (await this.nextJobAt()) ?? Number.POSITIVE_INFINITY;
        if (nextJob <= nextStory && nextJob <= this.end) {
          this.clock.advanceTo(nextJob);
          await this.worker.drain();
          continue;
        }
        if (this.waiting.length === 0) break;
        this.clock.advanceTo(nextStory);
        if (this.clock.now - this.reported >= 86_400_000) {
          this.reported = this.clock.now;
          this.onProgress?.((this.clock.now - this.start) / (this.end - this.start));
        }
        const next = this.waiting.shift()!;
        this.active++;
        next.resume();
      }
    });
  }
}
