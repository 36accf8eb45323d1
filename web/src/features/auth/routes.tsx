import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const SetupPage = lazy(() => import('./SetupPage'));
const SignInPage = lazy(() => import('./SignInPage'));
const AcceptInvitationPage = lazy(() => import('./AcceptInvitationPage'));

const feature: Feature = {
  name: 'auth',
  publicRoutes: [
    { path: '/setup', element: <SetupPage /> },
    { path: '/sign-in', element: <SignInPage /> },
    { path: '/accept-invitation', element: <AcceptInvitationPage /> },
  ],
};
export default feature;
