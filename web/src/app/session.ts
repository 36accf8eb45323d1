import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, setCsrfToken } from './api';
import type { Session, Staff, TicketStatus, Team } from './types';

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await get<Session>('/api/v1/auth/session');
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetupNeeded() {
  return useQuery({ queryKey: ['setup'], queryFn: () => get<{ setupNeeded: boolean }>('/api/v1/setup'), staleTime: Infinity });
}

export function useRefreshSession() {
  const client = useQueryClient();
  return async () => {
    // A different person or workspace: nothing cached may leak into the new view.
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'setup' });
    await client.invalidateQueries({ queryKey: ['session'] });
    await client.invalidateQueries({ queryKey: ['setup'] });
  };
}

export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: () => get<{ items: Staff[] }>('/api/v1/staff').then((page) => page.items), staleTime: 60_000 });
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => get<{ items: Team[] }>('/api/v1/teams').then((page) => page.items), staleTime: 60_000 });
}

export function useStatuses() {
  return useQuery({ queryKey: ['statuses'], queryFn: () => get<{ items: TicketStatus[] }>('/api/v1/ticket-statuses').then((page) => page.items), staleTime: 300_000 });
}

export const isManager = (session: Session | null | undefined) => session?.workspace?.role === 'owner' || session?.workspace?.role === 'manager';
