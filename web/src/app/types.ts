export type Role = 'owner' | 'manager' | 'agent';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface Session {
  user: { id: string; email: string; name: string; isInstanceOwner: boolean };
  workspace: { id: string; name: string; role: Role; staffId: string } | null;
  workspaces: Array<{ workspaceId: string; name: string; slug: string; role: Role; staffId: string }>;
  csrfToken: string | null;
}

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  statusCategory: string;
  priority: Priority;
  channel: string;
  customerId: string;
  customer: { id: string; name: string; email: string | null; tier: string; lifetimeValue: number } | null;
  assigneeId: string | null;
  teamId: string | null;
  /** A key of the workspace's ticket types, or null. */
  type: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  solvedAt: string | null;
  /** The customer's earliest message no agent has answered yet; null when nobody waits. */
  waitingSince: string | null;
}

export interface Message {
  id: string;
  ticketId: string;
  kind: 'inbound' | 'outbound' | 'note';
  authorType: 'customer' | 'staff' | 'system';
  authorId: string | null;
  text: string;
  html: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface TicketEvent {
  id: number;
  type: string;
  actor: { type: string; id: string | null };
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface Staff {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  isActive: boolean;
  teamIds: string[];
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export interface Customer {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  organizationId: string | null;
  lifetimeValue: number;
  tier: string;
  customFields: Record<string, unknown>;
  createdAt: string;
}

export interface TicketStatus {
  key: string;
  label: string;
  category: string;
  position: number;
}

export interface Macro {
  id: string;
  name: string;
  body: string;
  kind: 'reply' | 'note';
  setStatus: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
