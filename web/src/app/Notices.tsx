import { useEffect, useState } from 'react';
import { Anchor, Notification, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { get } from './api';
import { realtime } from './realtime';
import { isManager, useSession } from './session';
import type { Ticket } from './types';
import { money } from '../ui/format';

interface Notice {
  key: string;
  color: string;
  title: string;
  text: string;
  to: string;
  linkLabel: string;
}

interface StoredEvent {
  id: number;
  payload: Record<string, unknown>;
}

type Envelope = Parameters<Parameters<typeof realtime.onEvent>[0]>[0];

/** Notices stay until dismissed; past this many the oldest give way, so a burst cannot cover the page. */
const maxNotices = 4;

/**
 * The socket carries an event's type and, for a notice, whether it is for this person, never its
 * payload (which may name people or say why); the payload of one's own notice is read through the
 * ticket's own timeline route, so it is only seen by who may read the ticket.
 */
async function ticketEvent(event: Envelope): Promise<{ ticket: Ticket; payload: Record<string, unknown> } | null> {
  const [ticket, timeline] = await Promise.all([get<Ticket>(`/api/v1/tickets/${event.ticketId}`), get<{ items: StoredEvent[] }>(`/api/v1/tickets/${event.ticketId}/events`)]);
  const stored = timeline.items.find((item) => item.id === event.id);
  return stored ? { ticket, payload: stored.payload } : null;
}

/** What the event means for this person, or null when it is not theirs to hear about. */
async function noticeFor(event: Envelope, staffId: string, manager: boolean): Promise<Notice | null> {
  const key = `${event.type}:${event.id}`;
  // Someone else's notice: nothing to fetch.
  if ((event.type === 'approval.decided' || event.type === 'staff.notified') && !event.recipients?.includes(staffId)) return null;
  if (event.type === 'approval.decided' && event.ticketId) {
    const found = await ticketEvent(event);
    if (!found) return null;
    const { ticket, payload } = found;
    const approved = payload.decision === 'approve';
    const remedy = payload.type === 'custom' ? String(payload.label ?? 'Remedy') : `${String(payload.type)[0]!.toUpperCase()}${String(payload.type).slice(1)}`;
    return {
      key,
      color: approved ? 'green' : 'red',
      title: approved ? 'Your exception was approved' : 'Your exception was denied',
      text: `${remedy} ${money(Number(payload.value))} on #${ticket.number} ${ticket.subject}. “${String(payload.reason ?? '')}”`,
      to: `/tickets/${ticket.id}`,
      linkLabel: 'Open the ticket',
    };
  }
  if (event.type === 'staff.notified' && event.ticketId) {
    const found = await ticketEvent(event);
    if (!found) return null;
    const message = typeof found.payload.message === 'string' && found.payload.message ? found.payload.message : 'A rule asked for your attention.';
    return { key, color: 'indigo', title: `#${found.ticket.number} ${found.ticket.subject}`, text: message, to: `/tickets/${found.ticket.id}`, linkLabel: 'Open the ticket' };
  }
  if (event.type === 'theme.alerted' && manager) {
    const theme = await get<{ id: string; label: string; distinctSourcesInWindow: number; windowDays: number }>(`/api/v1/themes/${event.subjectId}`);
    return {
      key,
      color: 'red',
      title: 'Heard three times',
      text: `“${theme.label}”: ${theme.distinctSourcesInWindow} different customers or sources within ${theme.windowDays} days. Record an action or a reason to dismiss it.`,
      to: '/listening/themes',
      linkLabel: 'Respond to the theme',
    };
  }
  return null;
}

/** App-wide notices for the few events meant for one person, wherever in the app they are. */
export function Notices() {
  const { data: session } = useSession();
  const staffId = session?.workspace?.staffId ?? null;
  const manager = isManager(session);
  const [notices, setNotices] = useState<Notice[]>([]);

  useEffect(() => {
    if (!staffId) return;
    let active = true;
    const off = realtime.onEvent((event) => {
      noticeFor(event, staffId, manager)
        .then((notice) => {
          if (active && notice) setNotices((current) => (current.some((item) => item.key === notice.key) ? current : [...current, notice].slice(-maxNotices)));
        })
        // A ticket deleted or out of reach in the meantime: there is nothing to tell.
        .catch(() => undefined);
    });
    return () => {
      active = false;
      off();
    };
  }, [staffId, manager]);

  // A different person or workspace: the last one's notices are not theirs.
  useEffect(() => setNotices([]), [staffId]);

  const dismiss = (key: string) => setNotices((current) => current.filter((item) => item.key !== key));
  return (
    <Stack gap="xs" aria-live="polite" aria-label="Notices" role="region" style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 300, width: 'min(380px, calc(100vw - 32px))', pointerEvents: notices.length ? 'auto' : 'none' }}>
      {notices.map((notice) => (
        <Notification key={notice.key} color={notice.color} title={notice.title} onClose={() => dismiss(notice.key)} closeButtonProps={{ 'aria-label': 'Dismiss notice' }} withBorder data-testid="notice"
          // Mantine dims the description below the contrast a notice's text needs.
          styles={{ description: { color: 'var(--mantine-color-text)' } }}>
          <Text size="sm">{notice.text}</Text>
          <Anchor component={Link} to={notice.to} size="sm" fw={600} onClick={() => dismiss(notice.key)}>
            {notice.linkLabel}
          </Anchor>
        </Notification>
      ))}
    </Stack>
  );
}
