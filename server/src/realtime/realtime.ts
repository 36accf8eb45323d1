import crypto from 'node:crypto';
import fastifyWebsocket from '@fastify/websocket';
import { z } from 'zod';
import type { App, AppContext } from '../context.js';
import type { StoredEvent } from '../events/events.js';
import { sessionCookieName } from '../http/authenticate.js';
import { findActiveMembership, findSession } from '../modules/auth/index.js';
import { listStaff } from '../modules/staff/index.js';
import { PresenceBoard, type Viewer } from './presence.js';
import { PostgresRelay } from './relay.js';

/** The part of ws's WebSocket we use (its type declarations are not installed). */
interface WebSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: () => void): void;
}

/** What the browser may say; anything else is ignored. */
const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('view'), ticketId: z.string().min(1).max(64).nullable() }),
  z.object({ type: z.literal('typing'), ticketId: z.string().min(1).max(64), typing: z.boolean() }),
  z.object({ type: z.literal('ping') }),
]);

interface Connection {
  key: string;
  socket: WebSocket;
  workspaceId: string;
  staffId: string;
  name: string;
  ticketId: string | null;
  typing: boolean;
  typingTimer: NodeJS.Timeout | null;
}

/**
 * The envelope a socket receives: enough to refresh the right views, never message bodies or secrets.
 * An event meant for particular people (a notice) names them in `recipients`, so only their screens
 * fetch its details, through routes that check who may read them.
 */
export function envelopeOf(event: StoredEvent) {
  return { id: event.id, type: event.type, ticketId: event.ticketId, subjectType: event.subjectType, subjectId: event.subjectId, actor: event.actor, createdAt: event.createdAt, ...(event.recipients ? { recipients: event.recipients } : {}) };
}

type Envelope = ReturnType<typeof envelopeOf>;

/**
 * Each socket learns only whether it is among the recipients (its own id, or none): who else was
 * told is not its business, and the envelope stays small however many people are notified.
 */
function envelopeFor(envelope: Envelope, staffId: string): Envelope {
  if (!envelope.recipients) return envelope;
  return { ...envelope, recipients: envelope.recipients.includes(staffId) ? [staffId] : [] };
}

const typingLingerMilliseconds = 6_000;
const relayedPresenceMilliseconds = 30_000;
const sessionRecheckMilliseconds = 30_000;

/**
 * GET /api/v1/realtime (WebSocket). The upgrade request passes the normal authentication hook, so
 * the session cookie decides who the socket belongs to; events committed in that workspace (and only
 * that one) are pushed to it, with presence (who views or types on which ticket).
 */
export async function registerRealtime(app: App, context: AppContext): Promise<void> {
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  const { db, dialect } = context.database;
  const connections = new Map<string, Connection>();
  const board = new PresenceBoard();
  const nodeId = crypto.randomUUID();

  const openIn = (workspaceId: string) => [...connections.values()].filter((connection) => connection.workspaceId === workspaceId && connection.socket.readyState === connection.socket.OPEN);
  const sendTo = (workspaceId: string, message: unknown) => {
    const text = JSON.stringify(message);
    for (const connection of openIn(workspaceId)) connection.socket.send(text);
  };
  const sendEvent = (workspaceId: string, envelope: Envelope) => {
    if (!envelope.recipients) return sendTo(workspaceId, { type: 'event', event: envelope });
    for (const connection of openIn(workspaceId)) connection.socket.send(JSON.stringify({ type: 'event', event: envelopeFor(envelope, connection.staffId) }));
  };
  const broadcastPresence = (workspaceId: string, ticketIds: string[]) => {
    for (const ticketId of ticketIds) sendTo(workspaceId, { type: 'presence', ticketId, viewers: board.viewers(workspaceId, ticketId) });
  };

  let relay: PostgresRelay | null = null;
  if (dialect === 'postgres' && context.config.RAVING_DATABASE_URL) {
    relay = new PostgresRelay(context.config.RAVING_DATABASE_URL, nodeId, context.log, (message) => {
      const workspaceId = typeof message.workspaceId === 'string' ? message.workspaceId : null;
      if (!workspaceId) return;
      if (message.kind === 'event') sendEvent(workspaceId, message.event as Envelope);
      if (message.kind === 'presence' && typeof message.connectionKey === 'string') {
        const ticketId = typeof message.ticketId === 'string' ? message.ticketId : null;
        const changed = ticketId
          ? board.set(workspaceId, { connectionKey: message.connectionKey, ticketId, staffId: String(message.staffId), name: String(message.name), typing: message.typing === true, expiresAt: Date.now() + relayedPresenceMilliseconds })
          : board.set(workspaceId, { connectionKey: message.connectionKey, ticketId: null });
        broadcastPresence(workspaceId, changed);
      }
    });
    await relay.start();
  }

  const publishPresence = (connection: Connection) => {
    const changed = connection.ticketId
      ? board.set(connection.workspaceId, { connectionKey: connection.key, ticketId: connection.ticketId, staffId: connection.staffId, name: connection.name, typing: connection.typing, expiresAt: null })
      : board.set(connection.workspaceId, { connectionKey: connection.key, ticketId: null });
    broadcastPresence(connection.workspaceId, changed);
    relay?.publish({ kind: 'presence', workspaceId: connection.workspaceId, connectionKey: connection.key, ticketId: connection.ticketId, staffId: connection.staffId, name: connection.name, typing: connection.typing });
  };

  const unsubscribe = context.bus.onCommitted((event) => {
    const envelope = envelopeOf(event);
    sendEvent(event.workspaceId, envelope);
    relay?.publish({ kind: 'event', workspaceId: event.workspaceId, event: envelope });
  });

  // Local presence is re-announced so other nodes keep it; theirs expires when a node goes away.
  const heartbeat = setInterval(() => {
    for (const connection of connections.values()) {
      if (connection.ticketId && relay) relay.publish({ kind: 'presence', workspaceId: connection.workspaceId, connectionKey: connection.key, ticketId: connection.ticketId, staffId: connection.staffId, name: connection.name, typing: connection.typing });
    }
    const expired = board.expire();
    for (const [workspaceId, ticketId] of expired) broadcastPresence(workspaceId, [ticketId]);
  }, 10_000);
  heartbeat.unref();

  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
    for (const connection of connections.values()) connection.socket.close(1001, 'server shutting down');
    await relay?.stop();
  });

  app.get('/api/v1/realtime', { websocket: true, config: { access: 'public' }, schema: { hide: true } }, async (rawSocket, request) => {
    const socket = rawSocket as unknown as WebSocket;
    // Authenticated here rather than by the route hook: an upgrade refused with an HTTP error would
    // leave the raw socket open on the server, so every refusal is an opened-then-closed socket.
    const early: unknown[] = [];
    let handle: ((data: unknown) => void) | null = null;
    socket.on('message', (data) => (handle ? handle(data) : early.push(data)));
    const sessionToken = request.cookies[sessionCookieName] ?? '';
    const session = sessionToken ? await findSession(db, sessionToken) : undefined;
    const membership = session?.workspace_id ? await findActiveMembership(db, session.user_id, session.workspace_id) : undefined;
    // Another site's page must not open a socket with our cookie: the Origin must be this host.
    const origin = request.headers.origin;
    let foreign = false;
    try {
      foreign = Boolean(origin) && new URL(origin!).host !== request.headers.host;
    } catch {
      foreign = true;
    }
    if (!session || !membership) {
      socket.close(4401, 'sign in first');
      return;
    }
    if (foreign) {
      socket.close(4403, 'forbidden');
      return;
    }
    const auth = { workspaceId: membership.workspace_id, staffId: membership.id };
    const [member] = await listStaff(db, auth.workspaceId, auth.staffId);
    const connection: Connection = { key: `${nodeId}:${crypto.randomUUID()}`, socket, workspaceId: auth.workspaceId, staffId: auth.staffId, name: member?.name ?? 'Someone', ticketId: null, typing: false, typingTimer: null };
    connections.set(connection.key, connection);
    socket.send(JSON.stringify({ type: 'hello', staffId: auth.staffId, presence: board.snapshot(auth.workspaceId) }));

    const recheck = setInterval(() => {
      // A signed-out or expired session stops hearing the workspace.
      findSession(db, sessionToken)
        .then((session) => {
          if (!session || session.workspace_id !== auth.workspaceId) socket.close(4401, 'session ended');
        })
        .catch(() => undefined);
    }, sessionRecheckMilliseconds);
    recheck.unref();

    handle = (data) => {
      let parsed: z.infer<typeof ClientMessageSchema>;
      try {
        const result = ClientMessageSchema.safeParse(JSON.parse(String(data)));
        if (!result.success) return;
        parsed = result.data;
      } catch {
        return;
      }
      if (parsed.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
        return;
      }
      if (parsed.type === 'view') {
        if (connection.ticketId === parsed.ticketId) return;
        connection.ticketId = parsed.ticketId;
        connection.typing = false;
      } else {
        if (parsed.ticketId !== connection.ticketId) connection.ticketId = parsed.ticketId;
        if (connection.typingTimer) clearTimeout(connection.typingTimer);
        connection.typingTimer = null;
        const wasTyping = connection.typing;
        connection.typing = parsed.typing;
        if (parsed.typing) {
          // A closed laptop sends no "stopped typing": the indicator fades by itself.
          connection.typingTimer = setTimeout(() => {
            connection.typing = false;
            publishPresence(connection);
          }, typingLingerMilliseconds);
          connection.typingTimer.unref();
          if (wasTyping) return;
        }
      }
      publishPresence(connection);
    };
    for (const data of early.splice(0)) handle(data);

    socket.on('close', () => {
      clearInterval(recheck);
      if (connection.typingTimer) clearTimeout(connection.typingTimer);
      connections.delete(connection.key);
      connection.ticketId = null;
      publishPresence(connection);
    });
  });
}

export type { Viewer };
