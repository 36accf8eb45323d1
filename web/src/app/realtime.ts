import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';

export interface Viewer {
  staffId: string;
  name: string;
  typing: boolean;
}

interface EventEnvelope {
  id: number;
  type: string;
  ticketId: string | null;
  subjectType: string;
  subjectId: string;
  actor: { type: string; id: string | null };
  /** On notices: this person's id when the notice is for them, otherwise none (the server tells no one who else). */
  recipients?: string[];
}

type Listener = () => void;

/** One socket per tab; reconnects with backoff; keeps the presence board the server sends. */
class RealtimeConnection {
  private socket: WebSocket | null = null;
  private viewing: string | null = null;
  private retry = 0;
  private stopped = true;
  private readonly presence = new Map<string, Viewer[]>();
  private readonly listeners = new Set<Listener>();
  private eventListeners = new Set<(event: EventEnvelope) => void>();
  status: 'connecting' | 'open' | 'closed' = 'closed';

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
    this.socket = null;
    this.presence.clear();
    this.emit();
  }

  private connect(): void {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.status = 'connecting';
    socket.onopen = () => {
      this.retry = 0;
      this.status = 'open';
      if (this.viewing) socket.send(JSON.stringify({ type: 'view', ticketId: this.viewing }));
      this.emit();
    };
    socket.onmessage = (message) => {
      let data: { type: string; [key: string]: unknown };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (data.type === 'hello') {
        this.presence.clear();
        for (const item of (data.presence as Array<{ ticketId: string; viewers: Viewer[] }>) ?? []) this.presence.set(item.ticketId, item.viewers);
        // Whatever happened while we were away is fetched again.
        for (const listener of this.eventListeners) listener({ id: 0, type: 'reconnected', ticketId: null, subjectType: '', subjectId: '', actor: { type: 'system', id: null } });
        this.emit();
      } else if (data.type === 'presence') {
        this.presence.set(data.ticketId as string, data.viewers as Viewer[]);
        this.emit();
      } else if (data.type === 'event') {
        for (const listener of this.eventListeners) listener(data.event as EventEnvelope);
      }
    };
    socket.onclose = () => {
      this.status = 'closed';
      this.emit();
      if (this.stopped || this.socket !== socket) return;
      const delay = Math.min(10_000, 250 * 2 ** this.retry++);
      setTimeout(() => !this.stopped && this.connect(), delay);
    };
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  view(ticketId: string | null): void {
    this.viewing = ticketId;
    this.send({ type: 'view', ticketId });
  }

  typing(ticketId: string, typing: boolean): void {
    this.send({ type: 'typing', ticketId, typing });
  }

  viewers(ticketId: string): Viewer[] {
    return this.presence.get(ticketId) ?? none;
  }

  onEvent(listener: (event: EventEnvelope) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

const none: Viewer[] = [];
export const realtime = new RealtimeConnection();

function refreshFor(client: QueryClient, event: EventEnvelope): void {
  if (event.type === 'reconnected') {
    // The session and setup state never follow events, so they are not fetched again; a request still
    // in flight is kept rather than cancelled and restarted (on the first connection that is the
    // inbox's own first page, which would otherwise wait for a second round trip).
    void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'setup' }, { cancelRefetch: false });
    return;
  }
  if (event.ticketId) {
    void client.invalidateQueries({ queryKey: ['ticket', event.ticketId] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
    void client.invalidateQueries({ queryKey: ['counts'] });
    if (event.subjectType === 'customer') void client.invalidateQueries({ queryKey: ['customer'] });
    return;
  }
  if (event.subjectType === 'customer') void client.invalidateQueries({ queryKey: ['customer', event.subjectId] });
  if (event.subjectType === 'macro') void client.invalidateQueries({ queryKey: ['macros'] });
  if (event.subjectType === 'saved_view') {
    void client.invalidateQueries({ queryKey: ['views'] });
    void client.invalidateQueries({ queryKey: ['counts', 'views'] });
  }
  if (event.subjectType === 'team') void client.invalidateQueries({ queryKey: ['teams'] });
  if (event.subjectType === 'staff' || event.type.startsWith('staff.')) void client.invalidateQueries({ queryKey: ['staff'] });
}

/** Keeps the socket open while signed in and turns pushed events into refetches. */
export function useRealtime(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    realtime.start();
    const off = realtime.onEvent((event) => refreshFor(client, event));
    return () => {
      off();
      realtime.stop();
    };
  }, [enabled, client]);
}

export function useViewers(ticketId: string): Viewer[] {
  return useSyncExternalStore(realtime.subscribe, () => realtime.viewers(ticketId));
}

/** Announces the ticket on screen while the component is mounted. */
export function useViewing(ticketId: string): void {
  useEffect(() => {
    realtime.view(ticketId);
    return () => realtime.view(null);
  }, [ticketId]);
}
