import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, query } from '../../app/api';
import type { Page, Ticket } from '../../app/types';
import { builtInViews, loadCustomViews, type InboxView, type ViewFilters } from './views';

export function useAllViews(): InboxView[] {
  const [custom, setCustom] = useState(loadCustomViews);
  useEffect(() => {
    const update = () => setCustom(loadCustomViews());
    window.addEventListener('raving-views-changed', update);
    window.addEventListener('storage', update);
    return () => {
      window.removeEventListener('raving-views-changed', update);
      window.removeEventListener('storage', update);
    };
  }, []);
  return [...builtInViews, ...custom];
}

export const countCap = 100;

/**
 * Tickets in a view, counted up to a cap: the list API has no count, and "100+" is all an agent
 * needs to know about a busy queue.
 */
export function useViewCount(filters: ViewFilters) {
  return useQuery({
    queryKey: ['counts', filters],
    queryFn: async () => {
      const page = await get<Page<Ticket>>(`/api/v1/tickets${query({ ...filters, limit: countCap })}`);
      return { count: page.items.length, more: page.nextCursor !== null };
    },
    staleTime: 10_000,
  });
}
