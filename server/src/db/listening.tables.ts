/** Row types of the listening tables (surveys, reviews, staff voice, mystery shopping, feedback, themes). */
export interface ListeningSettingsTable {
  workspace_id: string;
  settings: string;
  updated_at: string;
}

export interface SurveyInvitationTable {
  id: string;
  workspace_id: string;
  kind: string;
  stage: string;
  customer_id: string;
  ticket_id: string | null;
  agent_id: string | null;
  recipient_email: string | null;
  questions: string;
  delivery: string;
  expires_at: string;
  answered_at: string | null;
  created_at: string;
}

export interface SurveyResponseTable {
  id: string;
  workspace_id: string;
  invitation_id: string;
  kind: string;
  score: number | null;
  answers: string;
  feelings: string;
  comment: string | null;
  ticket_id: string | null;
  customer_id: string;
  agent_id: string | null;
  created_at: string;
}

export interface ReviewTable {
  id: string;
  workspace_id: string;
  kind: 'review' | 'mention';
  source: string;
  source_id: string;
  author: string | null;
  author_email: string | null;
  rating: number | null;
  text: string;
  url: string | null;
  posted_at: string;
  customer_id: string | null;
  ticket_id: string | null;
  sentiment: number;
  reply_text: string | null;
  reply_status: 'none' | 'drafted' | 'posted';
  reply_updated_at: string | null;
  created_at: string;
}

export interface StaffVoiceNoteTable {
  id: string;
  workspace_id: string;
  is_anonymous: number;
  author_staff_id: string | null;
  body: string;
  status: 'new' | 'acknowledged' | 'in_progress' | 'resolved' | 'declined';
  response: string | null;
  responded_by: string | null;
  responded_at: string | null;
  follow_up_token_hash: string;
  /** Day only (YYYY-MM-DD): a precise time could be matched against the author's other activity. */
  created_on: string;
  is_processed: number;
}

export interface MysteryShopFormTable {
  id: string;
  workspace_id: string;
  name: string;
  criteria: string;
  created_at: string;
}

export interface MysteryShopEvaluationTable {
  id: string;
  workspace_id: string;
  form_id: string;
  shopper_name: string;
  channel: string | null;
  scores: string | null;
  score: number | null;
  note: string | null;
  submitted_by: 'shopper' | 'manager' | null;
  expires_at: string;
  submitted_at: string | null;
  created_at: string;
}

export interface FeedbackItemTable {
  id: string;
  workspace_id: string;
  source: string;
  source_id: string;
  source_key: string;
  customer_id: string | null;
  ticket_id: string | null;
  text: string;
  sentiment: number;
  sentiment_label: 'negative' | 'neutral' | 'positive';
  created_at: string;
}

export interface ThemeTable {
  id: string;
  workspace_id: string;
  label: string;
  signature: string;
  status: 'watching' | 'alerted' | 'actioned' | 'dismissed';
  mention_count: number;
  alerted_at: string | null;
  action_description: string | null;
  action_owner_id: string | null;
  action_due_at: string | null;
  dismiss_reason: string | null;
  responded_by: string | null;
  responded_at: string | null;
  last_mentioned_at: string;
  created_at: string;
}

/** Lookup keys of a theme's signature: each token pair (size 0) and each token with the theme's size. */
export interface ThemeKeyTable {
  workspace_id: string;
  key: string;
  size: number;
  theme_id: string;
}

export interface ThemeMentionTable {
  id: string;
  workspace_id: string;
  theme_id: string;
  feedback_item_id: string;
  source_key: string;
  phrase: string;
  created_at: string;
}

export interface ListeningTables {
  listening_settings: ListeningSettingsTable;
  survey_invitations: SurveyInvitationTable;
  survey_responses: SurveyResponseTable;
  reviews: ReviewTable;
  staff_voice_notes: StaffVoiceNoteTable;
  mystery_shop_forms: MysteryShopFormTable;
  mystery_shop_evaluations: MysteryShopEvaluationTable;
  feedback_items: FeedbackItemTable;
  themes: ThemeTable;
  theme_keys: ThemeKeyTable;
  theme_mentions: ThemeMentionTable;
}
