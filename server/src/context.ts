import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import type { EventBus } from './events/events.js';
import type { JobRegistry } from './jobs/queue.js';

/** What every module receives: no module reads process.env or opens its own connections. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  bus: EventBus;
  jobs: JobRegistry;
  /** Signs reply addresses, links and webhook secrets; from RAVING_SECRET or the data folder. */
  secret: string;
  log: FastifyBaseLogger;
  /** Nudges the job worker after enqueueing work that is due now; a no-op without a worker. */
  pokeWorker(): void;
  /**
   * Stops the job worker until the returned function is called: setup with demo data lives the demo
   * desk on a simulated clock and runs its due jobs itself. Absent where no worker runs.
   */
  pauseWorker?(): Promise<() => void>;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export type Role = 'owner' | 'manager' | 'agent';
export type Scope = 'read' | 'write' | 'admin';

export const roleRank: Record<Role, number> = { agent: 1, manager: 2, owner: 3 };

export interface AuthContext {
  userId: string;
  workspaceId: string;
  staffId: string;
  role: Role;
  via: 'session' | 'token';
  scopes: Scope[];
  sessionIdHash?: string;
  csrfToken?: string;
}

/** Route-level access rule, read by the authentication hook. */
export interface RouteAccess {
  /** `public` routes need no sign-in; `user` routes need a signed-in user but no workspace. */
  access?: 'public' | 'user' | 'staff';
  minimumRole?: Role;
  /** Token scope required; defaults to `read` for GET and `write` otherwise. */
  scope?: Scope;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    userOnly: { userId: string; sessionIdHash: string; csrfToken: string } | null;
  }
  interface FastifyContextConfig extends RouteAccess {}
}
