import { useQuery } from '@tanstack/react-query';
import { get, query } from '../../app/api';
import { builtInViews, defaultView, inboxViewOf, type InboxView, type SavedView, type ViewFilters } from './views';

/**
 * Saved views come from the server (the caller's own and the workspace's shared ones), cached under
 * ['views'], which realtime saved_view events invalidate. Views once kept in a browser's
 * localStorage are not carried over.
 */
export function useSavedViews() {
  return useQuery({ queryKey: ['views'], queryFn: async () => (await get<{ items: SavedView[] }>('/api/v1/views')).items.map(inboxViewOf), staleTime: 30_000 });
}

export function useAllViews(): InboxView[] {
  const saved = useSavedViews();
  return [...builtInViews, ...(saved.data ?? [])];
}

/** The view a route names; undefined while saved views load, the default when it no longer exists. */
export function useView(id: string | undefined): InboxView | undefined {
  const saved = useSavedViews();
  const builtIn = builtInViews.find((view) => view.id === (id ?? defaultView.id));
  if (builtIn) return builtIn;
  if (saved.isPending) return undefined;
  return saved.data?.find((view) => view.id === id) ?? defaultView;
}

/**
 * The exact number of tickets in a view: one COUNT on the server with the view's filters (for saved
 * views, all of them in one request). Cached under ['counts'], which ticket changes invalidate.
 */
export function useViewCount(view: InboxView) {
  const builtIn = useQuery({
    queryKey: ['counts', view.filters],
    queryFn: async () => (await get<{ count: number }>(`/api/v1/tickets/count${query({ ...view.filters })}`)).count,
    staleTime: 10_000,
    enabled: !view.saved,
  });
  const saved = useQuery({
    queryKey: ['counts', 'views'],
    queryFn: async () => new Map((await get<{ items: Array<{ id: string; count: number }> }>('/api/v1/views/counts')).items.map((item) => [item.id, item.count])),
    staleTime: 10_000,
    enabled: Boolean(view.saved),
  });
  return view.saved ? saved.data?.get(view.id) : builtIn.data;
}
