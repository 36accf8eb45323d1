import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get, patch, post, query } from '../../app/api';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { dateTime } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';

interface Mailbox {
  id: string;
  address: string;
  name: string;
  hasRelay: boolean;
  hasImap: boolean;
  isActive: boolean;
}

interface OutboundEmail {
  id: string;
  to: string;
  subject: string;
  purpose: string;
  status: 'queued' | 'sent' | 'outbox' | 'failed' | 'suppressed' | 'bounced';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  ticketId: string | null;
}

interface InboundEmail {
  id: string;
  envelopeFrom: string | null;
  reason: string | null;
  size: number;
  createdAt: string;
}

const outboxColor = { queued: 'blue', sent: 'green', outbox: 'gray', failed: 'red', suppressed: 'yellow', bounced: 'red' } as const;
const emptyForm = { address: '', name: '', relayUrl: '', imapUrl: '' };

/** Support addresses: mail to them becomes tickets; replies leave through their relay (or wait in the outbox). */
export function MailboxesPage() {
  const client = useQueryClient();
  const mailboxes = useQuery({ queryKey: ['mailboxes'], queryFn: () => get<{ items: Mailbox[] }>('/api/v1/email/mailboxes').then((page) => page.items) });
  const [editing, setEditing] = useState<Mailbox | null>(null);
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState<unknown>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // Relay and IMAP addresses hold passwords, so the server never sends them back: blank keeps what is set.
    const connections = { ...(form.relayUrl.trim() ? { relayUrl: form.relayUrl.trim() } : {}), ...(form.imapUrl.trim() ? { imapUrl: form.imapUrl.trim() } : {}) };
    try {
      if (editing) await patch(`/api/v1/email/mailboxes/${editing.id}`, { name: form.name, ...connections });
      else await post('/api/v1/email/mailboxes', { address: form.address, name: form.name, ...connections });
      setEditing(null);
      setForm(emptyForm);
      void client.invalidateQueries({ queryKey: ['mailboxes'] });
    } catch (caught) {
      setError(caught);
    }
  };
  const setActive = async (mailbox: Mailbox, isActive: boolean) => {
    setRowErrors((current) => ({ ...current, [mailbox.id]: null }));
    try {
      await patch(`/api/v1/email/mailboxes/${mailbox.id}`, { isActive });
      void client.invalidateQueries({ queryKey: ['mailboxes'] });
    } catch (caught) {
      setRowErrors((current) => ({ ...current, [mailbox.id]: caught }));
    }
  };

  return (
    <Stack>
      <Title order={2} size="h3">Mailboxes</Title>
      <Text size="sm" c="dimmed">Mail sent to these addresses (over SMTP, or fetched over IMAP) becomes tickets. Replies leave through the mailbox's SMTP relay; without one they wait in the outbox.</Text>
      <ErrorText error={mailboxes.error} />
      <TableScroll label="Mailboxes">
        <Table miw={640} data-testid="mailboxes">
          <Table.Thead>
            <Table.Tr><Table.Th>Address</Table.Th><Table.Th>Sender name</Table.Th><Table.Th>SMTP relay</Table.Th><Table.Th>IMAP</Table.Th><Table.Th>Receiving</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(mailboxes.data ?? []).map((mailbox) => (
              <Table.Tr key={mailbox.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{mailbox.address}</Table.Td>
                <Table.Td>{mailbox.name}</Table.Td>
                <Table.Td>{mailbox.hasRelay ? 'Set' : <Text span size="sm" c="dimmed">None: outbox</Text>}</Table.Td>
                <Table.Td>{mailbox.hasImap ? 'Polled' : '—'}</Table.Td>
                <Table.Td>
                  <Switch checked={mailbox.isActive} onChange={(event) => void setActive(mailbox, event.currentTarget.checked)} aria-label={`Receive mail at ${mailbox.address}`} />
                  <ErrorText error={rowErrors[mailbox.id]} inline />
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => { setEditing(mailbox); setForm({ ...emptyForm, name: mailbox.name }); }}>Edit</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {mailboxes.data?.length === 0 ? <Text c="dimmed">No mailboxes yet: add your support address below.</Text> : null}
      <Paper withBorder p="md">
        <form onSubmit={save} noValidate>
          <Title order={3} size="h5" mb="xs">{editing ? `Edit ${editing.address}` : 'Add a mailbox'}</Title>
          <Group align="flex-start" grow wrap="wrap">
            {editing ? null : <TextInput label="Address" placeholder="support@example.com" value={form.address} onChange={(event) => setForm({ ...form, address: event.currentTarget.value })} error={fieldError(error, 'address')} />}
            <TextInput label="Sender name" placeholder="Example Support" value={form.name} onChange={(event) => setForm({ ...form, name: event.currentTarget.value })} error={fieldError(error, 'name')} />
          </Group>
          <Group align="flex-start" grow wrap="wrap" mt="xs">
            <TextInput label="SMTP relay" placeholder={editing?.hasRelay ? 'Unchanged' : 'smtp://user:password@smtp.example.com:587'} value={form.relayUrl} onChange={(event) => setForm({ ...form, relayUrl: event.currentTarget.value })} error={fieldError(error, 'relayUrl')} />
            <TextInput label="IMAP (optional)" placeholder={editing?.hasImap ? 'Unchanged' : 'imaps://user:password@imap.example.com:993'} value={form.imapUrl} onChange={(event) => setForm({ ...form, imapUrl: event.currentTarget.value })} error={fieldError(error, 'imapUrl')} />
          </Group>
          <ErrorText error={error && !fieldError(error, 'address') && !fieldError(error, 'name') && !fieldError(error, 'relayUrl') && !fieldError(error, 'imapUrl') ? error : null} />
          <Group mt="sm" gap="xs">
            <Button type="submit">{editing ? 'Save' : 'Add mailbox'}</Button>
            {editing ? <Button variant="subtle" onClick={() => { setEditing(null); setForm(emptyForm); }}>Cancel</Button> : null}
          </Group>
        </form>
      </Paper>
    </Stack>
  );
}

/** Outgoing mail and how it is doing: the place to look when a customer says they got nothing. */
export function OutboxPage() {
  const [status, setStatus] = useState<string | null>(null);
  const outbox = useQuery({ queryKey: ['outbox', status], queryFn: () => get<{ items: OutboundEmail[] }>(`/api/v1/email/outbox${query({ status })}`).then((page) => page.items) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">Outbox</Title>
        <Select aria-label="Show mail that is" placeholder="Every status" clearable w={180} value={status} onChange={setStatus} data={Object.keys(outboxColor)} />
      </Group>
      <Text size="sm" c="dimmed">“outbox” means no relay is configured: the mail is kept here, not sent.</Text>
      <ErrorText error={outbox.error} />
      <TableScroll label="Outbox">
        <Table miw={640} data-testid="outbox">
          <Table.Thead>
            <Table.Tr><Table.Th>When</Table.Th><Table.Th>To</Table.Th><Table.Th>Subject</Table.Th><Table.Th>Status</Table.Th><Table.Th>Attempts</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(outbox.data ?? []).map((mail) => (
              <Table.Tr key={mail.id}>
                <Table.Td>{dateTime(mail.createdAt)}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{mail.to}</Table.Td>
                <Table.Td>
                  {mail.ticketId ? <Anchor component={Link} to={`/tickets/${mail.ticketId}`} size="sm">{mail.subject}</Anchor> : mail.subject}
                  {mail.lastError ? <Text size="xs" c="red.8">{mail.lastError}</Text> : null}
                </Table.Td>
                <Table.Td><Badge color={outboxColor[mail.status]} variant="light">{mail.status}</Badge></Table.Td>
                <Table.Td>{mail.attempts}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {outbox.data?.length === 0 ? <Text c="dimmed">No outgoing mail{status ? ` that is ${status}` : ''}.</Text> : null}
    </Stack>
  );
}

/** Mail that could not be read or routed: why, the raw message, and a second try once the cause is fixed. */
export function QuarantinePage() {
  const client = useQueryClient();
  const quarantine = useQuery({ queryKey: ['quarantine'], queryFn: () => get<{ items: InboundEmail[] }>('/api/v1/email/quarantine').then((page) => page.items) });
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});
  const reprocess = async (id: string) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await post(`/api/v1/email/quarantine/${id}/reprocess`);
      void client.invalidateQueries({ queryKey: ['quarantine'] });
    } catch (caught) {
      setRowErrors((current) => ({ ...current, [id]: caught }));
    }
  };
  return (
    <Stack>
      <Title order={2} size="h3">Quarantine</Title>
      <ErrorText error={quarantine.error} />
      <TableScroll label="Quarantine">
        <Table miw={640} data-testid="quarantine">
          <Table.Thead>
            <Table.Tr><Table.Th>Received</Table.Th><Table.Th>From</Table.Th><Table.Th>Why it is here</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(quarantine.data ?? []).map((mail) => (
              <Table.Tr key={mail.id}>
                <Table.Td>{dateTime(mail.createdAt)}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{mail.envelopeFrom ?? '—'}</Table.Td>
                <Table.Td>{mail.reason ?? '—'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Anchor href={`/api/v1/email/inbound/${mail.id}/raw`} download size="sm">Raw message</Anchor>
                    <Button size="compact-sm" variant="light" onClick={() => void reprocess(mail.id)}>Try again</Button>
                  </Group>
                  <ErrorText error={rowErrors[mail.id]} inline />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {quarantine.data?.length === 0 ? <Text c="dimmed">Nothing in quarantine: every message was read and routed.</Text> : null}
    </Stack>
  );
}
