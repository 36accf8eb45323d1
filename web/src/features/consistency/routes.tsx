import { lazy } from 'react';
import type { Feature } from '../../app/feature';

const ConsistencyReportPage = lazy(() => import('./ConsistencyReportPage').then((module) => ({ default: module.ConsistencyReportPage })));
const SlaPoliciesPage = lazy(() => import('./SlaPoliciesPage').then((module) => ({ default: module.SlaPoliciesPage })));

/**
 * The consistency report and the SLA policies settings page. The ticket page can mount
 * TicketSlaBadges from this folder directly (the countdown per target).
 */
const consistency: Feature = {
  name: 'consistency',
  routes: [{ path: '/reports/consistency', element: <ConsistencyReportPage /> }],
  settingsPages: [{ path: 'sla', label: 'SLA policies', element: <SlaPoliciesPage />, managerOnly: true, order: 40 }],
};

export default consistency;
