import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Code, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { isManager, useSession } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { ListeningNav } from './ListeningNav';
import { answerStaffNote, followStaffNote, submitStaffNote, useChange, useStaffNotes, type StaffNote } from './listening.api';

const statuses = ['new', 'acknowledged', 'in_progress', 'resolved', 'declined'];
/** "in_progress" → "in progress": a status as people write it. */
const statusLabel = (status: string) => status.replaceAll('_', ' ');

function Write() {
  const [body, setBody] = useState('');
  const [anonymous, setAnonymous] = useState(true);
  const [token, setToken] = useState<string | null>(null);
  const submit = useChange(['staff-voice'], submitStaffNote);
  return (
    <Card withBorder padding="md">
      <Text fw={600}>Tell management</Text>
      <Text size="sm" c="dimmed">What gets in the way of serving customers well? Anonymous notes store nothing that identifies you, not even the time.</Text>
      <Textarea mt="sm" autosize minRows={3} value={body} onChange={(event) => setBody(event.currentTarget.value)} aria-label="Your note" />
      <Group mt="sm" justify="space-between">
        <Checkbox label="Send anonymously" checked={anonymous} onChange={(event) => setAnonymous(event.currentTarget.checked)} />
        <Button disabled={!body.trim()} loading={submit.isPending} onClick={() => submit.mutate({ body: body.trim(), anonymous }, { onSuccess: (result) => { setToken((result as { followUpToken: string }).followUpToken); setBody(''); } })}>Send</Button>
      </Group>
      {token ? (
        <Text size="sm" mt="sm">Keep this code to follow the answer (it is shown only now): <Code>{token}</Code></Text>
      ) : null}
      <ErrorText error={submit.error} inline />
    </Card>
  );
}

function Follow() {
  const [token, setToken] = useState('');
  const [answer, setAnswer] = useState<{ status: string; response: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Card withBorder padding="md">
      <Group align="flex-end">
        <TextInput label="Follow a note with its code" value={token} onChange={(event) => setToken(event.currentTarget.value)} style={{ flex: 1 }} />
        <Button variant="light" disabled={token.trim().length < 20} onClick={() => followStaffNote(token.trim()).then(setAnswer, setError)}>Check</Button>
      </Group>
      {answer ? <Text mt="sm">Status: {statusLabel(answer.status)}{answer.response ? ` · Answer: ${answer.response}` : ' · No answer yet'}</Text> : null}
      <ErrorText error={error} inline />
    </Card>
  );
}

function NoteCard({ note }: { note: StaffNote }) {
  const [response, setResponse] = useState(note.response ?? '');
  const [status, setStatus] = useState<string | null>(note.status);
  const answer = useChange(['staff-voice'], answerStaffNote);
  return (
    <Card withBorder padding="md" data-testid="staff-note">
      <Group gap={6}>
        <Text fw={600}>{note.author ? note.author.name : 'Anonymous'}</Text>
        <Badge variant="light">{statusLabel(note.status)}</Badge>
        <Text size="xs" c="dimmed">{note.createdOn}</Text>
      </Group>
      <Text mt={4} style={{ whiteSpace: 'pre-wrap' }}>{note.body}</Text>
      <Textarea mt="sm" label="Answer" autosize minRows={2} value={response} onChange={(event) => setResponse(event.currentTarget.value)} />
      <Group mt="xs" align="flex-end">
        <Select label="Status" data={statuses.map((value) => ({ value, label: statusLabel(value) }))} value={status} onChange={setStatus} />
        <Button loading={answer.isPending} onClick={() => answer.mutate({ id: note.id, status: status ?? undefined, response: response.trim() || undefined })}>Save</Button>
      </Group>
      <ErrorText error={answer.error} inline />
    </Card>
  );
}

function Notes() {
  const { data, error } = useStaffNotes();
  return (
    <Stack gap="sm">
      <Title order={3}>Notes from staff</Title>
      <ErrorText error={error} />
      {data && data.items.length === 0 ? <Text c="dimmed">No notes yet.</Text> : null}
      {data?.items.map((note) => <NoteCard key={note.id} note={note} />)}
    </Stack>
  );
}

/** Everyone can write; managers read and answer. */
export default function StaffVoicePage() {
  const session = useSession();
  return (
    <Stack p="md" gap="md" maw={900}>
      <ListeningNav />
      <Title order={2}>Staff voice</Title>
      <Write />
      <Follow />
      {isManager(session.data) ? <Notes /> : null}
    </Stack>
  );
}
