import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const SetupPage = lazy(() => import('./SetupPage'));
const SignInPage = lazy(() => import('./SignInPage'));
const AcceptInvitationPage = lazy(() => import('./AcceptInvitationPage'));
const ForgotPasswordPage = lazy(() => import('./PasswordResetPages').then((module) => ({ default: module.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('./PasswordResetPages').then((module) => ({ default: module.ResetPasswordPage })));

const feature: Feature = {
  name: 'auth',
  publicRoutes: [
    { path: '/setup', element: <SetupPage /> },
    { path: '/sign-in', element: <SignInPage /> },
    { path: '/accept-invitation', element: <AcceptInvitationPage /> },
    { path: '/forgot-password', element: <ForgotPasswordPage /> },
    // The address the password-reset email links to.
    { path: '/reset-password', element: <ResetPasswordPage /> },
  ],
};
export default feature;
