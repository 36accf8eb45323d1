import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { post } from '../../app/api';
import { useSession } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';

export default function AccountPage() {
  const { data: session } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await post('/api/v1/auth/password', { currentPassword, newPassword });
      setDone(true);
      setCurrent('');
      setNew('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack maw={420}>
      <Title order={2} size="h3">Your account</Title>
      <Text size="sm">{session?.user.name} · {session?.user.email}</Text>
      <form onSubmit={submit} noValidate>
        <Title order={3} size="h5" mb="xs">Change password</Title>
        <PasswordInput label="Current password" value={currentPassword} onChange={(event) => setCurrent(event.currentTarget.value)} error={fieldError(error, 'currentPassword')} mb="sm" autoComplete="current-password" required />
        <PasswordInput label="New password" description="At least 10 characters. Your other sessions will be signed out." value={newPassword} onChange={(event) => setNew(event.currentTarget.value)} error={fieldError(error, 'newPassword')} mb="sm" autoComplete="new-password" required />
        <ErrorText error={error} />
        {done ? <Alert color="green" variant="light" mb="sm">Your password is changed.</Alert> : null}
        <Button type="submit" loading={busy} mt="xs">Change password</Button>
      </form>
    </Stack>
  );
}
