/** Tables of the consistency engine (business hours, SLA); see modules/business-hours and modules/sla. */
export interface BusinessCalendarTable {
  id: string;
  workspace_id: string;
  /** A team's own calendar; null for the workspace default (the first one created). */
  team_id: string | null;
  name: string;
  time_zone: string;
  /** JSON [{ day, start, end }] in minutes after local midnight. */
  intervals: string;
  /** JSON ["YYYY-MM-DD", …] local dates. */
  holidays: string;
  created_at: string;
  updated_at: string;
}

export interface SlaPolicyTable {
  id: string;
  workspace_id: string;
  name: string;
  position: number;
  /** JSON { priorities?, tiers?, channels?, tags? }: every given list must match. */
  conditions: string;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_percent: number;
  calendar_id: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** The SLA state of one target of one ticket, rewritten on every evaluation. */
export interface TicketSlaTable {
  workspace_id: string;
  ticket_id: string;
  metric: 'first_response' | 'next_response' | 'resolution';
  policy_id: string;
  target_minutes: number;
  started_at: string;
  due_at: string | null;
  warning_at: string | null;
  met_at: string | null;
  breached_at: string | null;
  warned_at: string | null;
  elapsed_minutes: number;
  status: 'running' | 'paused' | 'met' | 'breached';
  updated_at: string;
}

/** "When TRIGGER and CONDITIONS then ACTIONS"; trigger is an event type, or `time` for time-based rules. */
export interface AutomationRuleTable {
  id: string;
  workspace_id: string;
  name: string;
  position: number;
  trigger: string;
  /** JSON, see modules/automations/automations.schema.ts. */
  conditions: string;
  actions: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** Routing's view of an agent; kept apart from `staff` so routing owns it. */
export interface AgentAvailabilityTable {
  workspace_id: string;
  staff_id: string;
  is_available: number;
  /** Open tickets this agent can hold before routing skips them. */
  capacity: number;
  /** JSON string[]: languages, products, tiers… matched against ticket tags. */
  skills: string;
  updated_at: string;
}

export interface RoutingSettingsTable {
  workspace_id: string;
  method: 'off' | 'round_robin' | 'load' | 'skills';
  last_assigned_staff_id: string | null;
  updated_at: string;
}

export interface PlaybookTable {
  id: string;
  workspace_id: string;
  name: string;
  /** JSON [{ id, title, required }]. */
  steps: string;
  created_at: string;
  updated_at: string;
}

/** A playbook attached to a ticket: its steps are copied so later edits do not rewrite history. */
export interface TicketPlaybookTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  playbook_id: string;
  name: string;
  steps: string;
  /** JSON { [stepId]: { at, by } }. */
  ticked: string;
  attached_at: string;
  completed_at: string | null;
}

/** A workspace's ticket types; `tickets.type_key` holds the key. A type may name the playbook its tickets get. */
export interface TicketTypeTable {
  workspace_id: string;
  key: string;
  label: string;
  playbook_id: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface ConsistencyTables {
  ticket_types: TicketTypeTable;
  playbooks: PlaybookTable;
  ticket_playbooks: TicketPlaybookTable;
  agent_availability: AgentAvailabilityTable;
  routing_settings: RoutingSettingsTable;
  automation_rules: AutomationRuleTable;
  business_calendars: BusinessCalendarTable;
  sla_policies: SlaPolicyTable;
  ticket_sla: TicketSlaTable;
}
