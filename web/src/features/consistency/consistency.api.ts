import { useQuery } from '@tanstack/react-query';
import { get, query } from '../../app/api';

export interface Distribution {
  count: number;
  /** Values in business minutes (first responses under an SLA target); the rest are wall-clock minutes. */
  inBusinessTime: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  spread: number | null;
  ticketIds: string[];
  slowestTicketIds: string[];
}

export interface Attainment {
  due: number;
  met: number;
  breached: number;
  rate: number | null;
  metTicketIds: string[];
  breachedTicketIds: string[];
}

export interface Summary {
  tickets: number;
  ticketIds: string[];
  attainment: Record<string, Attainment>;
  firstResponseMinutes: Distribution;
  resolutionMinutes: Distribution;
}

export interface ConsistencyReport {
  from: string;
  to: string;
  groupBy: string;
  overall: Summary;
  groups: Array<Summary & { key: string; label: string; weeks: Array<Summary & { week: string }> }>;
  outsideStandard: Array<{ ticketId: string; number: number; reasons: string[] }>;
}

export function useConsistencyReport(params: { from: string; to: string; groupBy: string }) {
  return useQuery({ queryKey: ['reports', 'consistency', params], queryFn: () => get<ConsistencyReport>(`/api/v1/reports/consistency${query(params)}`) });
}

export interface TicketSla {
  policy: { id: string; name: string } | null;
  evaluatedAt: string;
  targets: Array<{ metric: string; targetMinutes: number; dueAt: string | null; metAt: string | null; breachedAt: string | null; remainingMinutes: number; status: 'running' | 'paused' | 'met' | 'breached' }>;
}

export function useTicketSla(ticketId: string) {
  return useQuery({ queryKey: ['ticket', ticketId, 'sla'], queryFn: () => get<TicketSla>(`/api/v1/tickets/${ticketId}/sla`), refetchInterval: 60_000 });
}
