import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const ApprovalQueuePage = lazy(() => import('./ApprovalQueuePage').then((module) => ({ default: module.ApprovalQueuePage })));
const EmpowermentReportPage = lazy(() => import('./EmpowermentReportPage').then((module) => ({ default: module.EmpowermentReportPage })));
const TicketRemediesPage = lazy(() => import('./TicketRemediesPage').then((module) => ({ default: module.TicketRemediesPage })));

/**
 * The manager's approval queue, the empowerment report and a ticket's remedies page. The ticket and
 * customer pages can mount TicketEmpowermentPanel and CustomerValueCard from this folder directly.
 */
const empowerment: Feature = {
  name: 'empowerment',
  routes: [
    { path: '/approvals', element: <ApprovalQueuePage /> },
    { path: '/reports/empowerment', element: <EmpowermentReportPage /> },
    { path: '/tickets/:ticketId/remedies', element: <TicketRemediesPage /> },
  ],
};

export default empowerment;
