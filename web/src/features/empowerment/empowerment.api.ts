import { useQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { get, post, query } from '../../app/api';

export const remedyTypes = ['refund', 'replacement', 'credit', 'discount', 'goodwill', 'custom'] as const;
export type RemedyType = (typeof remedyTypes)[number];

export interface Approval {
  id: string;
  remedyId: string;
  ticketId: string;
  requestedBy: string;
  requestReason: string;
  status: 'pending' | 'approved' | 'denied';
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** The reply written with the request: held, sent on approval, or returned to its writer. */
  heldReply: { text: string; status: string | null; state: 'held' | 'sent' | 'returned'; messageId: string | null } | null;
}

export interface Remedy {
  id: string;
  ticketId: string;
  customerId: string;
  staffId: string;
  type: RemedyType;
  label: string | null;
  value: number;
  note: string;
  status: 'granted' | 'pending' | 'denied';
  grantedAt: string | null;
  createdAt: string;
  approval: Approval | null;
}

export interface QueuedApproval extends Approval {
  remedy: Omit<Remedy, 'approval'>;
  ticket: { id: string; number: number; subject: string };
  customer: { id: string; name: string; tier: string; lifetimeValue: number };
}

export interface Limits {
  perRemedy: number | null;
  perMonth: number | null;
  usedThisMonth: number;
  workspaceBudget: number | null;
  workspaceUsedThisMonth: number;
  isBestCustomer: boolean;
  factor: number;
}

export interface GrantResult {
  outcome: 'granted' | 'approval_requested';
  reasons: string[];
  remedy: Remedy;
  limits: Limits;
}

export interface Commitment {
  id: string;
  ticketId: string;
  description: string;
  dueAt: string;
  remedy: { type: string; value: number } | null;
  status: 'open' | 'kept' | 'broken';
  isKeptEarly: boolean;
  settledAt: string | null;
  createdAt: string;
}

export interface OverpromiseWarning {
  code: string;
  message: string;
}

export interface Suggestion {
  phrase: string;
  sentence: string;
  dueAt: string;
}

export interface Drill {
  count: number;
  ticketIds: string[];
}

export interface Figures {
  resolved: Drill;
  empowered: Drill;
  empowermentRate: number | null;
  meetsTarget: boolean | null;
  escalations: Drill;
  handoffs: Drill & { perTicket: number | null };
  remedies: { count: number; value: number; ticketIds: string[]; byType: Array<{ type: string; count: number; value: number; ticketIds: string[] }> };
  approvals: { requested: Drill; approved: Drill; denied: Drill; pending: Drill; medianSecondsToDecide: number | null };
  promises: { kept: Drill; keptEarly: Drill; broken: Drill };
}

export interface EmpowermentReport {
  from: string;
  to: string;
  groupBy: 'agent' | 'team' | 'week';
  target: number;
  total: Figures;
  groups: Array<Figures & { key: string | null; label: string }>;
}

export function useApprovals(status: 'pending' | 'all' = 'pending') {
  return useQuery({ queryKey: ['approvals', status], queryFn: () => get<{ items: QueuedApproval[] }>(`/api/v1/approvals${query({ status })}`).then((page) => page.items) });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; decision: 'approve' | 'deny'; reason: string }) => post<Remedy>(`/api/v1/approvals/${input.id}/decision`, { decision: input.decision, reason: input.reason }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['approvals'] }),
  });
}

export function useEmpowermentReport(params: { from: string; to: string; groupBy: string }) {
  return useQuery({ queryKey: ['reports', 'empowerment', params], queryFn: () => get<EmpowermentReport>(`/api/v1/reports/empowerment${query(params)}`) });
}

export interface CustomerValueReport {
  customers: number;
  bestCustomers: { count: number; lifetimeValue: number; shareOfLifetimeValue: number | null };
  lifetimeValue: number;
  costToServe: number;
  items: Array<{ customer: { id: string; name: string; email: string | null; tier: string }; lifetimeValue: number; costToServe: number; costShare: number | null }>;
}

export interface Pest {
  customer: { id: string; name: string; email: string | null; tier: string; lifetimeValue: number };
  score: number;
  reasons: Array<{ code: string; points: number; message: string }>;
  costToServe: number;
  tickets: number;
  remedies: number;
  abusiveMessages: number;
  ticketIds: string[];
}

export function useCustomerValueReport(limit = 10) {
  return useQuery({ queryKey: ['reports', 'customer-value', limit], queryFn: () => get<CustomerValueReport>(`/api/v1/reports/customer-value${query({ limit })}`) });
}

export function usePests() {
  return useQuery({ queryKey: ['pests'], queryFn: () => get<{ items: Pest[]; threshold: number }>('/api/v1/pests') });
}

export function useTicketRemedies(ticketId: string) {
  return useQuery({ queryKey: ['ticket', ticketId, 'remedies'], queryFn: () => get<{ items: Remedy[] }>(`/api/v1/tickets/${ticketId}/remedies`).then((page) => page.items) });
}

export function useLimits(ticketId: string) {
  return useQuery({ queryKey: ['ticket', ticketId, 'limits'], queryFn: () => get<Limits>(`/api/v1/empowerment/limits${query({ ticketId })}`) });
}

export function useGrantRemedy(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { type: RemedyType; value: number; note: string; label?: string; reason?: string; reply?: { text: string } }) => post<GrantResult>(`/api/v1/tickets/${ticketId}/remedies`, body),
    onSuccess: async () => {
      // A granted remedy is part of the customer's cost to serve.
      await client.invalidateQueries({ queryKey: ['ticket', ticketId] });
      await client.invalidateQueries({ queryKey: ['customer'] });
    },
  });
}

export function useEscalate(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => post<{ id: string }>(`/api/v1/tickets/${ticketId}/escalate`, { reason }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function useTicketCommitments(ticketId: string) {
  return useQuery({ queryKey: ['ticket', ticketId, 'commitments'], queryFn: () => get<{ items: Commitment[] }>(`/api/v1/tickets/${ticketId}/commitments`).then((page) => page.items) });
}

export function useCreateCommitment(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { description: string; dueAt: string; remedy?: { type: RemedyType; value: number } }) => post<Commitment & { warnings: OverpromiseWarning[] }>(`/api/v1/tickets/${ticketId}/commitments`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function useKeepCommitment(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (commitmentId: string) => post<Commitment>(`/api/v1/commitments/${commitmentId}/keep`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function useSuggestions(text: string) {
  return useQuery({
    queryKey: ['commitment-suggestions', text],
    queryFn: () => post<{ items: Suggestion[] }>('/api/v1/commitments/suggest', { text }).then((page) => page.items),
    enabled: text.trim().length > 5,
    staleTime: 60_000,
  });
}
