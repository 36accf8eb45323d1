/** Row types of the moments and recovery tables (feelings, blame guard, moments, recoveries, problems). */
export interface MessageFeelingTable {
  message_id: string;
  workspace_id: string;
  ticket_id: string;
  customer_id: string;
  sentiment: number;
  agitation: number;
  reasons: string;
  created_at: string;
}

export interface TicketFeelingTable {
  ticket_id: string;
  workspace_id: string;
  sentiment: number;
  agitation: number;
  agitation_trend: number;
  sentiment_trend: number;
  reasons: string;
  messages: number;
  updated_at: string;
}

export interface BlamePhraseTable {
  id: string;
  workspace_id: string;
  phrase: string;
  category: string;
  suggestion: string;
  created_at: string;
}

export interface MomentTable {
  id: string;
  workspace_id: string;
  kind: 'truth' | 'misery' | 'magic';
  rule: string;
  cause_key: string;
  ticket_id: string | null;
  customer_id: string | null;
  detail: string;
  occurred_at: string;
}

export interface RecoverySettingsTable {
  workspace_id: string;
  settings: string;
  updated_at: string;
}

export interface RecoveryTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  customer_id: string;
  moment_id: string;
  status: 'proposed' | 'open' | 'closed' | 'dismissed';
  outcome: 'recovered' | 'not_recovered' | null;
  steps: string;
  suggested_remedy: string;
  lifetime_value: number;
  follow_up_at: string | null;
  opened_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProblemTable {
  id: string;
  workspace_id: string;
  category: string;
  title: string;
  title_key: string;
  status: 'open' | 'solved';
  created_at: string;
  updated_at: string;
}

export interface RootCauseTable {
  id: string;
  workspace_id: string;
  recovery_id: string;
  problem_id: string;
  ticket_id: string;
  customer_id: string;
  category: string;
  what_failed: string;
  created_by: string | null;
  created_at: string;
}

export interface PreventiveActionTable {
  id: string;
  workspace_id: string;
  problem_id: string;
  root_cause_id: string | null;
  description: string;
  owner_id: string | null;
  due_at: string | null;
  status: 'open' | 'done';
  done_at: string | null;
  created_at: string;
}

export interface MomentsTables {
  message_feelings: MessageFeelingTable;
  ticket_feelings: TicketFeelingTable;
  blame_phrases: BlamePhraseTable;
  moments: MomentTable;
  recovery_settings: RecoverySettingsTable;
  recoveries: RecoveryTable;
  problems: ProblemTable;
  root_causes: RootCauseTable;
  preventive_actions: PreventiveActionTable;
}
