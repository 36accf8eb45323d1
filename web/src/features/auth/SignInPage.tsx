import { useState, type FormEvent } from 'react';
import { Anchor, Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { post } from '../../app/api';
import { useRefreshSession, useSession } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { AuthFrame } from './AuthFrame';

/** Only same-site paths: a crafted ?next= must not send anyone elsewhere after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export default function SignInPage() {
  const session = useSession();
  const refresh = useRefreshSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/auth/sign-in', { email, password });
      await refresh();
      navigate(safeNext(params.get('next')));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title="Sign in">
      <form onSubmit={submit} noValidate>
        <TextInput label="Email" type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={fieldError(error, 'email')} mb="sm" autoComplete="email" autoFocus />
        <PasswordInput label="Password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={fieldError(error, 'password')} mb="md" autoComplete="current-password" />
        <ErrorText error={error} />
        <Button type="submit" fullWidth mt="md" loading={busy}>
          Sign in
        </Button>
      </form>
      <Text size="sm" ta="center">
        <Anchor component={Link} to="/forgot-password">Forgot your password?</Anchor>
      </Text>
    </AuthFrame>
  );
}
