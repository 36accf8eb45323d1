import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, put, query } from '../../app/api';

export interface Moment {
  id: string;
  kind: 'truth' | 'misery' | 'magic';
  rule: string;
  ticketId: string | null;
  customerId: string | null;
  detail: Record<string, unknown>;
  occurredAt: string;
}

export interface TicketFeelings {
  ticketId: string;
  latest: { sentiment: number; agitation: number; reasons: string[]; trend: { sentiment: number; agitation: number }; messages: number; updatedAt: string } | null;
}

export interface RecoveryStep {
  key: string;
  label: string;
  done: boolean;
  doneAt: string | null;
  note: string;
}

export interface Recovery {
  id: string;
  ticketId: string;
  status: 'proposed' | 'open' | 'closed' | 'dismissed';
  outcome: 'recovered' | 'not_recovered' | null;
  steps: RecoveryStep[];
  suggestedRemedy: { type: string; value: number; reason: string };
  lifetimeValue: number;
  followUpAt: string | null;
  createdAt: string;
}

export interface PreventiveAction {
  id: string;
  description: string;
  ownerId: string | null;
  dueAt: string | null;
  status: 'open' | 'done';
}

export interface Problem {
  id: string;
  category: string;
  title: string;
  status: 'open' | 'solved';
  ticketsAffected: number;
  customersAffected: number;
  lifetimeValueAffected: number;
  ticketIds: string[];
  preventiveActions: PreventiveAction[];
}

export interface MomentsReport {
  weeks: Array<{ weekStart: string; truth: number; misery: number; magic: number; miseryTicketIds: string[]; magicTicketIds: string[] }>;
  recovery: { closed: number; recovered: number; rate: number | null; recoveredTicketIds: string[]; notRecoveredTicketIds: string[] };
  timeToRecoverHours: { median: number | null; p90: number | null; slowestTicketIds: string[] };
  topRootCauses: Array<{ problemId: string; category: string; title: string; count: number; ticketIds: string[] }>;
  lifetimeValueAtRisk: { total: number; customerIds: string[]; ticketIds: string[] };
}

export interface BlameCheck {
  flags: Array<{ phrase: string; matched: string; start: number; end: number; category: string; suggestion: string }>;
  suggestedText: string;
  acknowledgesFeelings: { acknowledges: boolean };
}

export const useTicketMoments = (ticketId: string) =>
  useQuery({ queryKey: ['ticket', ticketId, 'moments'], queryFn: () => get<{ items: Moment[] }>(`/api/v1/tickets/${ticketId}/moments?limit=100`).then((page) => page.items) });

export const useTicketFeelings = (ticketId: string) => useQuery({ queryKey: ['ticket', ticketId, 'feelings'], queryFn: () => get<TicketFeelings>(`/api/v1/tickets/${ticketId}/feelings`) });

export const useTicketRecoveries = (ticketId: string) =>
  useQuery({ queryKey: ['ticket', ticketId, 'recoveries'], queryFn: () => get<{ items: Recovery[] }>(`/api/v1/tickets/${ticketId}/recoveries`).then((page) => page.items) });

export function useRecoveryAction(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: { recoveryId: string } & ({ kind: 'step'; key: string; done: boolean } | { kind: 'accept' } | { kind: 'dismiss' } | { kind: 'close'; outcome: 'recovered' | 'not_recovered' })) => {
      if (action.kind === 'step') return patch<Recovery>(`/api/v1/recoveries/${action.recoveryId}/steps/${action.key}`, { done: action.done });
      if (action.kind === 'close') return post<Recovery>(`/api/v1/recoveries/${action.recoveryId}/close`, { outcome: action.outcome });
      return post<Recovery>(`/api/v1/recoveries/${action.recoveryId}/${action.kind}`);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function useRecordRootCause(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { recoveryId: string; category: string; whatFailed: string; preventiveAction?: { description: string; ownerId: string | null; dueAt: string | null } }) =>
      post(`/api/v1/recoveries/${input.recoveryId}/root-cause`, { category: input.category, whatFailed: input.whatFailed, preventiveAction: input.preventiveAction }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export const useProblems = (status?: 'open' | 'solved') => useQuery({ queryKey: ['problems', status], queryFn: () => get<{ items: Problem[] }>(`/api/v1/problems${query({ status })}`).then((page) => page.items) });

export function useSetActionStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; status: 'open' | 'done' }) => patch<PreventiveAction>(`/api/v1/preventive-actions/${input.id}`, { status: input.status }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['problems'] }),
  });
}

export const useMomentsReport = (params: { from: string; to: string }) => useQuery({ queryKey: ['reports', 'moments', params], queryFn: () => get<MomentsReport>(`/api/v1/reports/moments${query(params)}`) });

export const checkBlame = (text: string) => post<BlameCheck>('/api/v1/blame-guard/check', { text });

export interface RecoverySettings {
  mode: 'automatic' | 'proposed';
  followUpDays: number;
  followUpAction: 'remind' | 'send';
  followUpMessage: string;
  remedy: { shareOfLifetimeValue: number; minimum: number; maximum: number };
  playbook: Array<{ key: string; label: string }>;
}

export const useRecoverySettings = () => useQuery({ queryKey: ['recovery-settings'], queryFn: () => get<RecoverySettings>('/api/v1/recovery/settings') });

export function useSaveRecoverySettings() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (settings: RecoverySettings) => put<RecoverySettings>('/api/v1/recovery/settings', settings), onSuccess: (saved) => client.setQueryData(['recovery-settings'], saved) });
}

export interface BlamePhrase {
  id: string | null;
  phrase: string;
  category: string;
  suggestion: string;
  isDefault: boolean;
}

export const useBlamePhrases = () => useQuery({ queryKey: ['blame-phrases'], queryFn: () => get<{ items: BlamePhrase[] }>('/api/v1/blame-guard/phrases').then((page) => page.items) });

export function useBlamePhraseChange() {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: ['blame-phrases'] });
  return {
    add: useMutation({ mutationFn: (phrase: { phrase: string; category: string; suggestion: string }) => post<BlamePhrase>('/api/v1/blame-guard/phrases', phrase), onSuccess: settle }),
    remove: useMutation({ mutationFn: (id: string) => del(`/api/v1/blame-guard/phrases/${id}`), onSuccess: settle }),
  };
}
