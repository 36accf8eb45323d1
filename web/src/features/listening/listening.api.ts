import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, post, query } from '../../app/api';

export interface FeedbackItem {
  id: string;
  source: 'survey' | 'review' | 'mention' | 'mystery_shop' | 'staff_voice' | 'complaint';
  customerId: string | null;
  ticketId: string | null;
  ticket: { number: number; subject: string } | null;
  text: string;
  sentiment: number;
  sentimentLabel: 'negative' | 'neutral' | 'positive';
  themes: { id: string; label: string }[];
  createdAt: string;
}

export interface Theme {
  id: string;
  label: string;
  status: 'watching' | 'alerted' | 'actioned' | 'dismissed';
  mentionCount: number;
  distinctSourcesInWindow: number;
  windowDays: number;
  /** The last 12 ISO weeks, oldest first, zeros included. */
  recentWeeks: { week: string; mentions: number }[];
  sources: Record<string, number>;
  examples: { feedbackItemId: string; source: string; quote: string; ticketId: string | null; createdAt: string }[];
  ticketIds: string[];
  action: { description: string; ownerId: string | null; dueAt: string | null } | null;
  dismissReason: string | null;
  lastMentionedAt: string;
}

export interface Review {
  id: string;
  kind: 'review' | 'mention';
  source: string;
  author: string | null;
  rating: number | null;
  text: string;
  url: string | null;
  postedAt: string;
  ticketId: string | null;
  isNegative: boolean;
  reply: { text: string | null; status: 'none' | 'drafted' | 'posted' };
}

export interface StaffNote {
  id: string;
  isAnonymous: boolean;
  author: { staffId: string; name: string } | null;
  body: string;
  status: 'new' | 'acknowledged' | 'in_progress' | 'resolved' | 'declined';
  response: string | null;
  createdOn: string;
}

export interface SurveyResponse {
  id: string;
  kind: 'csat' | 'nps' | 'ces' | 'feelings';
  score: number | null;
  feelings: string[];
  comment: string | null;
  ticketId: string | null;
  customerId: string;
  agentId: string | null;
  createdAt: string;
}

export interface SurveySummary {
  invitations: number;
  responses: number;
  responseRate: number | null;
  csat: { responses: number; average: number | null; satisfiedShare: number | null };
  nps: { responses: number; score: number | null };
  ces: { responses: number; average: number | null };
  gratefulShare: number | null;
}

export interface MysteryEvaluation {
  id: string;
  formName: string;
  shopperName: string;
  channel: string | null;
  link: string | null;
  score: number | null;
  note: string | null;
  submittedBy: 'shopper' | 'manager' | null;
  expiresAt: string;
  submittedAt: string | null;
  createdAt: string;
}

export type SurveyFigures = SurveySummary & { key: string | null; label: string };

export interface ListeningSettings {
  surveys: {
    throttleDays: number;
    linkValidDays: number;
    feelings: string[];
    stages: Record<'first_response' | 'solved' | 'recovery', { enabled: boolean; kind: string }> & { periodic_nps: { enabled: boolean; everyDays: number } };
  };
  themes: { windowDays: number; alertAt: number; similarity: number };
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const useFeedback = (filters: { source?: string; sentiment?: string; themeId?: string }) =>
  useQuery({ queryKey: ['feedback', filters], queryFn: () => get<Page<FeedbackItem>>(`/api/v1/feedback${query({ ...filters, limit: 100 })}`) });

export const useThemes = (status?: string) => useQuery({ queryKey: ['themes', status], queryFn: () => get<Page<Theme>>(`/api/v1/themes${query({ status, limit: 100 })}`) });

export const useSurveySummary = () => useQuery({ queryKey: ['surveys', 'summary'], queryFn: () => get<SurveySummary>('/api/v1/surveys/summary') });

export const useSurveyResponses = () => useQuery({ queryKey: ['surveys', 'responses'], queryFn: () => get<Page<SurveyResponse>>('/api/v1/surveys/responses?limit=100') });

export const useSurveyBreakdown = (by: 'week' | 'agent' | 'team' | 'channel', since?: string) =>
  useQuery({ queryKey: ['surveys', 'breakdown', by, since], queryFn: () => get<{ items: SurveyFigures[] }>(`/api/v1/surveys/breakdown${query({ by, since })}`) });

export const useReviewRatings = () => useQuery({ queryKey: ['reviews', 'ratings'], queryFn: () => get<{ items: { source: string; month: string; reviews: number; averageRating: number | null }[] }>('/api/v1/reviews/ratings') });

export const useMysteryShopScores = () => useQuery({ queryKey: ['mystery-shop', 'scores'], queryFn: () => get<{ items: { period: string; evaluations: number; averageScore: number | null }[] }>('/api/v1/mystery-shop/scores?interval=week') });

export const useMysteryEvaluations = () => useQuery({ queryKey: ['mystery-shop', 'evaluations'], queryFn: () => get<{ items: MysteryEvaluation[] }>('/api/v1/mystery-shop/evaluations') });

export const useReviews = () => useQuery({ queryKey: ['reviews'], queryFn: () => get<Page<Review>>('/api/v1/reviews?limit=100') });

export const useStaffNotes = () => useQuery({ queryKey: ['staff-voice'], queryFn: () => get<{ items: StaffNote[] }>('/api/v1/staff-voice') });

export const useListeningSettings = () => useQuery({ queryKey: ['listening-settings'], queryFn: () => get<ListeningSettings>('/api/v1/listening/settings') });

/** A mutation that refreshes the named lists when it succeeds. */
export function useChange<Input>(keys: string[], run: (input: Input) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => Promise.all(keys.map((key) => client.invalidateQueries({ queryKey: [key] }))) });
}

export const respondToTheme = (input: { id: string; body: unknown }) => post(`/api/v1/themes/${input.id}/respond`, input.body);
export const openReviewTicket = (id: string) => post<{ id: string }>(`/api/v1/reviews/${id}/open-ticket`);
export const saveReviewReply = (input: { id: string; text: string; status: 'drafted' | 'posted' }) => post(`/api/v1/reviews/${input.id}/reply`, { text: input.text, status: input.status });
export const submitStaffNote = (input: { body: string; anonymous: boolean }) => post<{ followUpToken: string }>('/api/v1/staff-voice', input);
export const answerStaffNote = (input: { id: string; status?: string; response?: string }) => patch(`/api/v1/staff-voice/${input.id}`, { status: input.status, response: input.response });
export const followStaffNote = (token: string) => post<{ status: string; response: string | null; createdOn: string }>('/api/v1/staff-voice/follow-up', { token });
export const saveListeningSettings = (body: unknown) => patch<ListeningSettings>('/api/v1/listening/settings', body);
export const assignMysteryShop = (input: { shopperName: string; channel?: string }) => post<MysteryEvaluation>('/api/v1/mystery-shop/evaluations', input);
