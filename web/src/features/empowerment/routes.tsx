import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const ApprovalQueuePage = lazy(() => import('./ApprovalQueuePage').then((module) => ({ default: module.ApprovalQueuePage })));
const EmpowermentReportPage = lazy(() => import('./EmpowermentReportPage').then((module) => ({ default: module.EmpowermentReportPage })));
const EmpowermentSettingsPage = lazy(() => import('./EmpowermentSettingsPage').then((module) => ({ default: module.EmpowermentSettingsPage })));

/**
 * The manager's approval queue, the empowerment report and the settings page (limits, thresholds,
 * customer value import). The ticket page's composer mounts TicketEmpowermentPanel, and the ticket
 * and customer pages mount CustomerValueCard, from this folder directly.
 */
const empowerment: Feature = {
  name: 'empowerment',
  routes: [
    { path: '/approvals', element: <ApprovalQueuePage /> },
    { path: '/reports/empowerment', element: <EmpowermentReportPage /> },
  ],
  settingsPages: [{ path: 'empowerment', label: 'Empowerment and customer value', element: <EmpowermentSettingsPage />, managerOnly: true, order: 50 }],
};

export default empowerment;
