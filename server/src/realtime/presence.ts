/** Who is looking at (and typing on) which ticket, per workspace. Lives in memory: it is only ever "now". */
export interface Viewer {
  staffId: string;
  name: string;
  typing: boolean;
}

export interface PresenceEntry extends Viewer {
  /** The node and connection holding it: one person may have the ticket open in two tabs. */
  connectionKey: string;
  ticketId: string;
  /** Entries relayed from other nodes expire unless refreshed, so a crashed node cannot leave ghosts. */
  expiresAt: number | null;
}

export class PresenceBoard {
  private readonly byWorkspace = new Map<string, Map<string, PresenceEntry>>();

  /** Sets what one connection is looking at; returns the tickets whose viewer list changed. */
  set(workspaceId: string, entry: PresenceEntry | { connectionKey: string; ticketId: null }): string[] {
    const entries = this.byWorkspace.get(workspaceId) ?? new Map<string, PresenceEntry>();
    this.byWorkspace.set(workspaceId, entries);
    const previous = entries.get(entry.connectionKey);
    const changed = new Set<string>();
    if (previous) changed.add(previous.ticketId);
    if (entry.ticketId === null) entries.delete(entry.connectionKey);
    else {
      entries.set(entry.connectionKey, entry as PresenceEntry);
      const same = previous && previous.ticketId === entry.ticketId && previous.typing === (entry as PresenceEntry).typing;
      if (same) changed.delete(entry.ticketId);
      else changed.add(entry.ticketId);
    }
    if (entries.size === 0) this.byWorkspace.delete(workspaceId);
    return [...changed];
  }

  /** The people on a ticket, one line per person (typing if any of their tabs types). */
  viewers(workspaceId: string, ticketId: string, now = Date.now()): Viewer[] {
    const people = new Map<string, Viewer>();
    for (const entry of this.byWorkspace.get(workspaceId)?.values() ?? []) {
      if (entry.ticketId !== ticketId || (entry.expiresAt !== null && entry.expiresAt < now)) continue;
      const known = people.get(entry.staffId);
      people.set(entry.staffId, { staffId: entry.staffId, name: entry.name, typing: entry.typing || (known?.typing ?? false) });
    }
    return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every ticket someone is on in a workspace, for a socket that has just connected. */
  snapshot(workspaceId: string): Array<{ ticketId: string; viewers: Viewer[] }> {
    const tickets = new Set([...(this.byWorkspace.get(workspaceId)?.values() ?? [])].map((entry) => entry.ticketId));
    return [...tickets].map((ticketId) => ({ ticketId, viewers: this.viewers(workspaceId, ticketId) })).filter((item) => item.viewers.length > 0);
  }

  /** Drops relayed entries past their time; returns [workspaceId, ticketId] pairs that changed. */
  expire(now = Date.now()): Array<[string, string]> {
    const changed: Array<[string, string]> = [];
    for (const [workspaceId, entries] of this.byWorkspace) {
      for (const [key, entry] of entries) {
        if (entry.expiresAt !== null && entry.expiresAt < now) {
          entries.delete(key);
          changed.push([workspaceId, entry.ticketId]);
        }
      }
    }
    return changed;
  }
}
