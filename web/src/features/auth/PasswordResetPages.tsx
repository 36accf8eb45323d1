import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { post } from '../../app/api';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { AuthFrame } from './AuthFrame';

const backToSignIn = (
  <Text size="sm" ta="center">
    <Anchor component={Link} to="/sign-in">Back to sign in</Anchor>
  </Text>
);

/** A form sent once: busy while the request runs, then done, or the error it met. */
function useOneShotForm(send: () => Promise<unknown>) {
  const [error, setError] = useState<unknown>(null);
  const [isDone, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send();
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { error, isDone, busy, submit };
}

/** Asks for a reset link by email; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const { error, isDone: isSent, busy, submit } = useOneShotForm(() => post('/api/v1/auth/password-reset/request', { email }));
  return (
    <AuthFrame title="Reset your password" subtitle="We email you a link to choose a new one.">
      {isSent ? (
        <Alert color="green" variant="light" role="status">If {email} has an account, a link is on its way. It works once, for 30 minutes.</Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <TextInput label="Email" type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={fieldError(error, 'email')} autoComplete="email" autoFocus />
          <ErrorText error={fieldError(error, 'email') ? null : error} />
          <Button type="submit" fullWidth mt="md" loading={busy}>Email me a link</Button>
        </form>
      )}
      {backToSignIn}
    </AuthFrame>
  );
}

/** Where the emailed link lands: a new password, then sign in again (every session of the account ended). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const { error, isDone, busy, submit } = useOneShotForm(() => post('/api/v1/auth/password-reset/confirm', { token: params.get('token') ?? '', password }));
  return (
    <AuthFrame title="Choose a new password">
      {isDone ? (
        <Alert color="green" variant="light" role="status">Your password is changed. Sign in with it now.</Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <PasswordInput label="New password" description="At least 10 characters" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} error={fieldError(error, 'password')} autoComplete="new-password" autoFocus />
          <ErrorText error={fieldError(error, 'password') ? null : error} />
          <Button type="submit" fullWidth mt="md" loading={busy}>Set password</Button>
        </form>
      )}
      {backToSignIn}
    </AuthFrame>
  );
}
