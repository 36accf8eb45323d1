import { useState, type FormEvent } from 'react';
import { Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { get, post } from '../../app/api';
import { useRefreshSession } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { AuthFrame } from './AuthFrame';

interface Preview {
  workspaceName: string;
  email: string;
  role: string;
  hasAccount: boolean;
}

export default function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useQuery({ queryKey: ['invitation', token], queryFn: () => get<Preview>(`/api/v1/invitations/preview/${encodeURIComponent(token)}`), enabled: token.length > 0 });
  const refresh = useRefreshSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (!token) return <AuthFrame title="Invitation"><Text>This link has no invitation token. Ask for a new invitation.</Text></AuthFrame>;
  if (preview.error) return <AuthFrame title="Invitation"><ErrorText error={preview.error} /></AuthFrame>;
  if (!preview.data) return <AuthFrame title="Invitation"><Text c="dimmed">Checking the invitation…</Text></AuthFrame>;
  const invitation = preview.data;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/invitations/accept', { token, password, ...(invitation.hasAccount ? {} : { name }) });
      await refresh();
      navigate('/');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={`Join ${invitation.workspaceName}`} subtitle={`You were invited as ${invitation.role} with ${invitation.email}.`}>
      <form onSubmit={submit} noValidate>
        {invitation.hasAccount ? (
          <Text size="sm" mb="sm">You already have an account: enter its password to join.</Text>
        ) : (
          <TextInput label="Your name" required value={name} onChange={(event) => setName(event.currentTarget.value)} error={fieldError(error, 'name')} mb="sm" autoComplete="name" autoFocus />
        )}
        <PasswordInput label={invitation.hasAccount ? 'Password' : 'Choose a password'} description={invitation.hasAccount ? undefined : 'At least 10 characters'} required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={fieldError(error, 'password')} mb="md" autoComplete={invitation.hasAccount ? 'current-password' : 'new-password'} />
        <ErrorText error={error} />
        <Button type="submit" fullWidth mt="md" loading={busy}>
          Accept invitation
        </Button>
      </form>
    </AuthFrame>
  );
}
