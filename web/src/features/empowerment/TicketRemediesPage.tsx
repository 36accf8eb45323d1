import { useState } from 'react';
import { Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { get } from '../../app/api';
import { CustomerValueCard } from './CustomerValueCard';
import { TicketEmpowermentPanel } from './TicketEmpowermentPanel';

/**
 * A ticket's remedies and promises with a reply box, so a remedy can be granted in the same action
 * as the reply. The same panel is meant to sit under the ticket page's composer.
 */
export function TicketRemediesPage() {
  const { ticketId = '' } = useParams();
  const [reply, setReply] = useState('');
  const ticket = useQuery({ queryKey: ['ticket', ticketId], queryFn: () => get<{ id: string; number: number; subject: string; customer: { id: string } | null }>(`/api/v1/tickets/${ticketId}`) });
  return (
    <Stack p="md" gap="sm" maw={900}>
      <Title order={2}>Remedies and promises{ticket.data ? ` · #${ticket.data.number}` : ''}</Title>
      {ticket.data ? (
        <Text size="sm">
          <Link to={`/tickets/${ticketId}`}>{ticket.data.subject}</Link>
        </Text>
      ) : null}
      {ticket.data?.customer ? <CustomerValueCard customerId={ticket.data.customer.id} ticketId={ticketId} /> : null}
      <Textarea label="Reply to the customer" autosize minRows={3} value={reply} onChange={(event) => setReply(event.currentTarget.value)} />
      <TicketEmpowermentPanel ticketId={ticketId} replyText={reply} onReplySent={() => setReply('')} />
    </Stack>
  );
}
