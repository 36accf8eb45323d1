import { useState, type FormEvent } from 'react';
import { Button, Checkbox, PasswordInput, Progress, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router-dom';
import { get, post } from '../../app/api';
import { useRefreshSession, useSetupNeeded } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { AuthFrame } from './AuthFrame';

export default function SetupPage() {
  const setup = useSetupNeeded();
  const refresh = useRefreshSession();
  const navigate = useNavigate();
  const [form, setForm] = useState({ workspaceName: '', ownerName: '', email: '', password: '', demo: false });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fillingDemo = busy && form.demo;
  // The demo desk is lived through twelve weeks before the owner is signed in: show how far it is.
  const progress = useQuery({
    queryKey: ['setup', 'demo-progress'],
    queryFn: () => get<{ demoProgress?: number }>('/api/v1/setup'),
    enabled: fillingDemo,
    refetchInterval: 700,
  });
  // While setup runs the workspace exists already: stay here until it answers.
  if (setup.data && !setup.data.setupNeeded && !busy) return <Navigate to="/" replace />;
  const share = fillingDemo ? progress.data?.demoProgress ?? 0 : 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/setup', { ...form, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
      await refresh();
      navigate('/');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const set = (key: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: key === 'demo' ? event.currentTarget.checked : event.currentTarget.value });

  return (
    <AuthFrame title="Set up your help desk" subtitle="Create the workspace and its owner account. You can invite your team next.">
      <form onSubmit={submit} noValidate>
        <TextInput label="Workspace name" placeholder="Acme Support" required value={form.workspaceName} onChange={set('workspaceName')} error={fieldError(error, 'workspaceName')} mb="sm" autoFocus />
        <TextInput label="Your name" required value={form.ownerName} onChange={set('ownerName')} error={fieldError(error, 'ownerName')} mb="sm" autoComplete="name" />
        <TextInput label="Email" type="email" required value={form.email} onChange={set('email')} error={fieldError(error, 'email')} mb="sm" autoComplete="email" />
        <PasswordInput label="Password" description="At least 10 characters" required value={form.password} onChange={set('password')} error={fieldError(error, 'password')} mb="sm" autoComplete="new-password" />
        <Checkbox label="Fill the workspace with demo tickets and customers" description="Twelve weeks of a small shop's help desk, lived through Raving: it takes a little while" checked={form.demo} onChange={set('demo')} mb="md" />
        {fillingDemo && (
          <div role="status" aria-live="polite">
            <Text size="sm" mb={4}>
              Living the demo desk's twelve weeks: week {Math.min(12, Math.floor(share * 12) + 1)} of 12
            </Text>
            <Progress value={share * 100} aria-label="Demo data made so far" mb="md" />
          </div>
        )}
        <ErrorText error={error} />
        <Button type="submit" fullWidth mt="md" loading={busy}>
          Create workspace
        </Button>
      </form>
    </AuthFrame>
  );
}
