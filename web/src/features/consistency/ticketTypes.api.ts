import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../../app/api';

/** A workspace's ticket type (see server/src/modules/ticket-types); tickets hold its key. */
export interface TicketType {
  key: string;
  label: string;
  playbookId: string | null;
  position: number;
}

export interface TicketTypeBody {
  key: string;
  label: string;
  playbookId: string | null;
}

/** Read by the settings page, the ticket page's properties and the inbox; changes rarely. */
export function useTicketTypes() {
  return useQuery({ queryKey: ['ticket-types'], queryFn: () => get<{ items: TicketType[] }>('/api/v1/ticket-types').then((page) => page.items), staleTime: 60_000 });
}

export function useTicketTypeChanges() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['ticket-types'] });
  const save = useMutation({
    mutationFn: ({ editing, body }: { editing: string | null; body: TicketTypeBody }) =>
      editing ? patch<TicketType>(`/api/v1/ticket-types/${editing}`, { label: body.label, playbookId: body.playbookId }) : post<TicketType>('/api/v1/ticket-types', body),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (key: string) => del(`/api/v1/ticket-types/${key}`), onSuccess: refresh });
  return { save, remove };
}
