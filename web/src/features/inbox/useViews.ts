import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, query } from '../../app/api';
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

/**
 * The exact number of tickets in a view: one COUNT on the server with the view's filters. Cached
 * under ['counts'], which ticket changes (live or bulk) invalidate.
 */
export function useViewCount(filters: ViewFilters) {
  return useQuery({
    queryKey: ['counts', filters],
    queryFn: async () => (await get<{ count: number }>(`/api/v1/tickets/count${query({ ...filters })}`)).count,
    staleTime: 10_000,
  });
}
