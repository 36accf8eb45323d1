import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const SettingsLayout = lazy(() => import('./SettingsLayout'));
const AccountPage = lazy(() => import('./AccountPage'));
const StaffPage = lazy(() => import('./StaffPage'));
const TeamsPage = lazy(() => import('./TeamsPage'));
const TokensPage = lazy(() => import('./TokensPage'));
const MacrosPage = lazy(() => import('./MacrosPage'));
const MailboxesPage = lazy(() => import('./EmailPages').then((module) => ({ default: module.MailboxesPage })));
const OutboxPage = lazy(() => import('./EmailPages').then((module) => ({ default: module.OutboxPage })));
const QuarantinePage = lazy(() => import('./EmailPages').then((module) => ({ default: module.QuarantinePage })));

/**
 * The settings frame renders every feature's `settingsPages` (this one's and others', e.g. email
 * mailboxes) as /settings/<path>, with a navigation entry each.
 */
const feature: Feature = {
  name: 'settings',
  routes: [{ path: '/settings/*', element: <SettingsLayout /> }],
  settingsPages: [
    { path: 'account', label: 'Your account', element: <AccountPage />, order: 0 },
    { path: 'staff', label: 'Staff & invitations', element: <StaffPage />, managerOnly: true, order: 10 },
    { path: 'teams', label: 'Teams', element: <TeamsPage />, managerOnly: true, order: 20 },
    { path: 'macros', label: 'Macros', element: <MacrosPage />, order: 30 },
    { path: 'api-tokens', label: 'API tokens', element: <TokensPage />, order: 40 },
    { path: 'mailboxes', label: 'Mailboxes', element: <MailboxesPage />, managerOnly: true, order: 25 },
    { path: 'outbox', label: 'Outbox', element: <OutboxPage />, managerOnly: true, order: 26 },
    { path: 'quarantine', label: 'Quarantine', element: <QuarantinePage />, managerOnly: true, order: 27 },
  ],
};
export default feature;
