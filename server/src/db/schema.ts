import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ListeningTables } from './listening.tables.js';
import type { MomentsTables } from './moments.tables.js';
import type { ConsistencyTables } from './consistency.tables.js';

/**
 * Row types. Timestamps are ISO-8601 UTC strings (`2026-11-23T19:30:00.000Z`) on both dialects so
 * they sort as text and compare the same way everywhere; JSON columns are stored as text.
 */
export interface WorkspaceTable {
  id: string;
  name: string;
  slug: string;
  time_zone: string;
  ticket_counter: number;
  settings: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_instance_owner: number;
  created_at: string;
}

export interface StaffTable {
  id: string;
  workspace_id: string;
  user_id: string;
  role: 'owner' | 'manager' | 'agent';
  is_active: number;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  workspace_id: string | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface InvitationTable {
  id: string;
  workspace_id: string;
  email: string;
  role: 'owner' | 'manager' | 'agent';
  token_hash: string;
  invited_by: string;
  accepted_at: string | null;
  expires_at: string;
  created_at: string;
}

export interface ApiTokenTable {
  id: string;
  workspace_id: string;
  staff_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface TeamTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: string;
}

export interface TeamMemberTable {
  workspace_id: string;
  team_id: string;
  staff_id: string;
}

export interface OrganizationTable {
  id: string;
  workspace_id: string;
  name: string;
  domain: string | null;
  created_at: string;
}

export interface CustomerTable {
  id: string;
  workspace_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  organization_id: string | null;
  lifetime_value: number;
  tier: string;
  custom_fields: string;
  merged_into_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TicketStatusTable {
  workspace_id: string;
  key: string;
  label: string;
  category: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  position: number;
}

export interface TicketTable {
  id: string;
  workspace_id: string;
  number: number;
  subject: string;
  status: string;
  status_category: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  channel: string;
  customer_id: string;
  assignee_id: string | null;
  team_id: string | null;
  custom_fields: string;
  merged_into_id: string | null;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  /** The customer's earliest inbound message not yet answered by staff; null when not waiting. */
  waiting_since: string | null;
  /** A key of the workspace's ticket_types, or null. */
  type_key: string | null;
}

export interface TicketTagTable {
  workspace_id: string;
  ticket_id: string;
  tag: string;
}

export interface TicketLinkTable {
  workspace_id: string;
  ticket_id: string;
  linked_ticket_id: string;
  created_at: string;
}

export interface MessageTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  kind: 'inbound' | 'outbound' | 'note';
  author_type: 'customer' | 'staff' | 'system';
  author_id: string | null;
  body_text: string;
  body_html: string | null;
  metadata: string;
  created_at: string;
}

export interface EventTable {
  id: Generated<number>;
  workspace_id: string;
  actor_type: 'staff' | 'customer' | 'system' | 'token';
  actor_id: string | null;
  type: string;
  subject_type: string;
  subject_id: string;
  ticket_id: string | null;
  payload: string;
  created_at: string;
}

export interface JobTable {
  id: string;
  workspace_id: string | null;
  type: string;
  version: number;
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_until: string | null;
  /** The worker (host:pid:n) that last claimed the job. */
  claimed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: string;
}

export interface WebhookTable {
  id: string;
  workspace_id: string;
  url: string;
  event_types: string;
  secret: string;
  is_active: number;
  created_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  workspace_id: string;
  webhook_id: string;
  event_id: number;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  last_attempt_at: string | null;
}

export interface SearchDocumentTable {
  /** SQLite only: the FTS5 rowid of the document. */
  id?: Generated<number>;
  workspace_id: string;
  kind: 'ticket' | 'message' | 'customer';
  ref_id: string;
  ticket_id: string | null;
  body: string;
}

export interface CustomerValueTable {
  workspace_id: string;
  customer_id: string;
  revenue_to_date: number;
  orders: number;
  expected_future_value: number;
  source: 'api' | 'import';
  updated_at: string;
}

export interface HandleTimeEntryTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  customer_id: string;
  staff_id: string;
  /** Null while the timer runs. */
  seconds: number | null;
  started_at: string;
  stopped_at: string | null;
  created_at: string;
}

export interface RemedyTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  customer_id: string;
  staff_id: string;
  type: 'refund' | 'replacement' | 'credit' | 'discount' | 'goodwill' | 'custom';
  label: string | null;
  value: number;
  note: string;
  status: 'granted' | 'pending' | 'denied';
  granted_at: string | null;
  created_at: string;
}

export interface ApprovalTable {
  id: string;
  workspace_id: string;
  remedy_id: string;
  ticket_id: string;
  requested_by: string;
  request_reason: string;
  status: 'pending' | 'approved' | 'denied';
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  created_at: string;
  /** The reply written with the request: sent on approval (then the message id is set), handed back on denial. */
  held_reply_text: string | null;
  held_reply_status: string | null;
  held_reply_message_id: string | null;
}

export interface EscalationTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  staff_id: string;
  reason: string;
  created_at: string;
}

export interface CommitmentTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  customer_id: string;
  staff_id: string;
  description: string;
  due_at: string;
  remedy_type: string | null;
  remedy_value: number | null;
  status: 'open' | 'kept' | 'broken';
  is_kept_early: number;
  settled_at: string | null;
  created_at: string;
}

export interface EmpowermentSettingsTable {
  workspace_id: string;
  settings: string;
  updated_at: string;
}

export interface MailboxTable {
  id: string;
  workspace_id: string;
  address: string;
  name: string;
  team_id: string | null;
  relay_url: string | null;
  imap_url: string | null;
  imap_folder: string;
  imap_uid_validity: string | null;
  imap_last_uid: number;
  is_active: number;
  created_at: string;
}

export interface InboundEmailTable {
  id: string;
  workspace_id: string;
  mailbox_id: string;
  source: 'smtp' | 'imap';
  source_key: string | null;
  envelope_from: string | null;
  envelope_to: string;
  raw: Buffer;
  size: number;
  status: 'received' | 'processed' | 'duplicate' | 'quarantined';
  reason: string | null;
  email_message_id: string | null;
  content_hash: string | null;
  ticket_id: string | null;
  message_id: string | null;
  flags: string;
  created_at: string;
  processed_at: string | null;
}

export interface EmailIdTable {
  workspace_id: string;
  email_message_id: string;
  content_hash: string;
  ticket_id: string;
  message_id: string | null;
  direction: 'inbound' | 'outbound';
  created_at: string;
}

export interface EmailAttachmentTable {
  id: string;
  workspace_id: string;
  message_id: string | null;
  inbound_email_id: string | null;
  filename: string;
  content_type: string;
  declared_type: string | null;
  size: number;
  sha256: string;
  content_id: string | null;
  is_inline: number;
  created_at: string;
}

export interface OutboundEmailTable {
  id: string;
  workspace_id: string | null;
  ticket_id: string | null;
  message_id: string | null;
  mailbox_id: string | null;
  purpose: 'reply' | 'notification' | 'invitation' | 'password_reset' | 'survey';
  from_address: string;
  from_name: string;
  to_address: string;
  reply_to: string | null;
  subject: string;
  body_text: string;
  body_html: string | null;
  email_message_id: string;
  in_reply_to: string | null;
  references: string | null;
  is_automatic: number;
  is_sensitive: number;
  status: 'queued' | 'sent' | 'outbox' | 'failed' | 'suppressed' | 'bounced';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SuppressedAddressTable {
  workspace_id: string;
  address: string;
  reason: string;
  created_at: string;
}

export interface PasswordResetTable {
  token_hash: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A saved reply; `body` may hold {{customer.first_name}}-style variables filled in by the composer. */
export interface MacroTable {
  id: string;
  workspace_id: string;
  name: string;
  body: string;
  kind: 'reply' | 'note';
  set_status: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** An inbox view saved by a staff member; `filters` is JSON of the ticket list's filters. */
export interface SavedViewTable {
  id: string;
  workspace_id: string;
  owner_staff_id: string;
  name: string;
  filters: string;
  /** The ticket list's sort; null is the inbox default. */
  sort: string | null;
  is_shared: number;
  created_at: string;
  updated_at: string;
}

export interface Database extends ListeningTables, MomentsTables, ConsistencyTables {
  macros: MacroTable;
  saved_views: SavedViewTable;
  workspaces: WorkspaceTable;
  users: UserTable;
  staff: StaffTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  api_tokens: ApiTokenTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  organizations: OrganizationTable;
  customers: CustomerTable;
  ticket_statuses: TicketStatusTable;
  tickets: TicketTable;
  ticket_tags: TicketTagTable;
  ticket_links: TicketLinkTable;
  messages: MessageTable;
  events: EventTable;
  jobs: JobTable;
  idempotency_keys: IdempotencyKeyTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  search_documents: SearchDocumentTable;
  mailboxes: MailboxTable;
  inbound_emails: InboundEmailTable;
  email_ids: EmailIdTable;
  email_attachments: EmailAttachmentTable;
  outbound_emails: OutboundEmailTable;
  suppressed_addresses: SuppressedAddressTable;
  password_resets: PasswordResetTable;
  customer_values: CustomerValueTable;
  handle_time_entries: HandleTimeEntryTable;
  remedies: RemedyTable;
  approvals: ApprovalTable;
  escalations: EscalationTable;
  commitments: CommitmentTable;
  empowerment_settings: EmpowermentSettingsTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
