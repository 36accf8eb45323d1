import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { Loading } from './App';
import { useSession, useSetupNeeded } from './session';
import { ErrorText } from '../ui/ErrorText';
import { Center } from '@mantine/core';

const publicPaths = ['/setup', '/sign-in', '/accept-invitation', '/forgot-password', '/reset-password'];

/** Sends a first run to setup and a stranger to sign-in; everything else renders as asked. */
export function Gate() {
  const location = useLocation();
  const setup = useSetupNeeded();
  const session = useSession();
  if (setup.isPending || session.isPending) return <Loading />;
  if (setup.error || session.error) {
    return (
      <Center p="xl">
        <ErrorText error={setup.error ?? session.error} />
      </Center>
    );
  }
  const isPublic = publicPaths.some((path) => location.pathname.startsWith(path));
  if (setup.data.setupNeeded && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!session.data && !isPublic) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  return <Outlet />;
}
