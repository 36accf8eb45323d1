import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { RatingBadge } from '../../ui/RatingBadge';
import { ListeningNav } from './ListeningNav';
import { agoText } from './listening.format';
import { openReviewTicket, saveReviewReply, useChange, useReviews, type Review } from './listening.api';

const replyLabel = { none: 'No reply yet', drafted: 'Reply drafted', posted: 'Reply posted' } as const;

function ReviewCard({ review }: { review: Review }) {
  const navigate = useNavigate();
  const [reply, setReply] = useState(review.reply.text ?? '');
  const save = useChange(['reviews'], saveReviewReply);
  const open = useChange(['reviews'], openReviewTicket);
  return (
    <Card withBorder padding="md" data-testid="review-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap={6}>
            <Text fw={600}>{review.author ?? 'Someone'}</Text>
            <Badge variant="light">{review.source}</Badge>
            {review.rating !== null ? <RatingBadge score={review.rating} scale="stars" aria-label={`${review.rating} stars`}>{review.rating}★</RatingBadge> : <Badge color="gray">{review.kind}</Badge>}
            {review.url ? <Anchor href={review.url} target="_blank" rel="noopener noreferrer nofollow" size="sm">Original</Anchor> : null}
          </Group>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{review.text}</Text>
        </Stack>
        <Text size="xs" c="dimmed">{agoText(review.postedAt)}</Text>
      </Group>
      <Group mt="sm" gap="xs">
        {review.ticketId ? (
          <Link to={`/tickets/${review.ticketId}`}>Ticket</Link>
        ) : (
          <Button size="xs" variant={review.isNegative ? 'filled' : 'light'} color={review.isNegative ? 'red.8' : 'gray'} loading={open.isPending} onClick={() => open.mutate(review.id, { onSuccess: (ticket) => navigate(`/tickets/${(ticket as { id: string }).id}`) })}>
            Open a ticket
          </Button>
        )}
        <Badge variant="outline">{replyLabel[review.reply.status]}</Badge>
      </Group>
      <Textarea mt="sm" label="Public reply" autosize minRows={2} value={reply} onChange={(event) => setReply(event.currentTarget.value)} />
      <Group mt="xs" gap="xs">
        <Button size="xs" variant="light" disabled={!reply.trim()} loading={save.isPending} onClick={() => save.mutate({ id: review.id, text: reply.trim(), status: 'drafted' })}>Save draft</Button>
        <Button size="xs" disabled={!reply.trim()} loading={save.isPending} onClick={() => save.mutate({ id: review.id, text: reply.trim(), status: 'posted' })}>Mark posted</Button>
      </Group>
      <ErrorText error={save.error ?? open.error} inline />
    </Card>
  );
}

/** Reviews and mentions from every source, with the public reply and the ticket that fixes the cause. */
export default function ReviewsPage() {
  const { data, error, isLoading } = useReviews();
  return (
    <Stack p="md" gap="md" maw={1000}>
      <ListeningNav />
      <Title order={2}>Reviews and mentions</Title>
      <ErrorText error={error} />
      {isLoading ? <Text>Loading…</Text> : null}
      {data && data.items.length === 0 ? <Text c="dimmed">No reviews yet. Send them to POST /api/v1/reviews or import a CSV.</Text> : null}
      {data?.items.map((review) => <ReviewCard key={review.id} review={review} />)}
    </Stack>
  );
}
