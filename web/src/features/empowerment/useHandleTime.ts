import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../../app/api';

/** Shorter stretches are glances at a ticket, not work on it. */
const minimumSeconds = 5;

/**
 * Records handle time while this agent has the ticket open and the tab visible: the time is counted
 * here and sent as finished seconds when the tab is hidden or the ticket is left, so a closed laptop
 * never leaves a server-side timer running up cost to serve.
 */
export function useHandleTime(ticketId: string | undefined): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!ticketId) return;
    let startedAt = document.visibilityState === 'visible' ? Date.now() : null;
    const flush = () => {
      if (startedAt === null) return;
      const seconds = Math.min(86_400, Math.round((Date.now() - startedAt) / 1000));
      startedAt = null;
      if (seconds < minimumSeconds) return;
      void post(`/api/v1/tickets/${ticketId}/handle-time`, { seconds })
        .then(() => client.invalidateQueries({ queryKey: ['ticket', ticketId, 'customer-value'] }))
        .catch(() => undefined);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
      else startedAt = Date.now();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [ticketId, client]);
}
